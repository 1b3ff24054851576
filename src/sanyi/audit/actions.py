"""Plain Chinese names of the audit action codes, for every page that shows a history.

Audit rows store a code (``publication.create``, ``staff.totp_device_create``) so that
they stay stable and searchable; people read the name. A test
(``audit/tests/test_action_names.py``) finds every code the code base writes and fails on
one without a name here, so a new action cannot reach a history page as a bare code.
"""

from __future__ import annotations

ACTION_NAMES: dict[str, str] = {
    # life events (catalogue)
    "life_event.create": "新建一件事",
    "life_event.edit": "修改一件事",
    # annual reports
    "annual_report.create": "新建年度报告",
    "annual_report.update": "修改年度报告",
    "annual_report.issue": "发布年度报告",
    "annual_report.revise": "修订年度报告",
    "annual_report.supersede": "年度报告被新版本取代",
    "annual_report.discard": "放弃年度报告草稿",
    # API tokens
    "api_token.issue": "获取接口令牌",
    "api_token.revoke": "注销接口令牌",
    # applicants
    "applicant.create": "新建申请人档案",
    "applicant.update": "修改申请人信息",
    "applicant.correct_at_window": "窗口核实后更正申请人信息",
    "applicant.phone_change": "更换手机号",
    "applicant.sign_in": "申请人登录",
    "applicant.sign_in_failed": "申请人登录失败",
    "applicant.agent_authorise": "授权代办人",
    "applicant.agent_revoke": "撤销代办授权",
    "applicant.wallet_consent": "同意调用证照和材料",
    "applicant.reuse_consent_grant": "同意复用证照和材料",
    "applicant.reuse_consent_withdraw": "撤回复用证照和材料的同意",
    # grid
    "grid.rules_import": "导入网格地址规则",
    "grid.applicants_place": "按地址更新申请人所在网格",
    "grid.visit_code_send": "发送走访确认码",
    "grid.visit_record": "记录上门走访",
    "grid.id_viewed": "网格员查看完整证件号码",
    # appointments
    "appointments.schedule_create": "新建预约排班",
    "appointments.schedule_pause": "暂停预约排班",
    "appointments.schedule_resume": "恢复预约排班",
    "appointments.slots_generate": "生成预约时段",
    "appointments.booking_create": "预约",
    "appointments.booking_move": "改约",
    "appointments.booking_cancel": "取消预约",
    "appointments.booking_check_in": "预约签到",
    "appointments.booking_cancel_by_centre": "中心关闭时段，取消预约",
    "appointments.schedule_update": "修改预约时间设置",
    "appointments.slot_close": "关闭预约时段",
    "appointments.slot_reopen": "重新开放预约时段",
    "appointments.slots_publish": "发布预约时段",
    "appointments.booking_no_show": "预约未到",
    # calendar
    "calendar_year.load": "载入年度节假日安排",
    "calendar_year.update": "修改节假日通知信息",
    "calendar_year.remove": "撤下年度节假日安排",
    "calendar_day.set": "设置节假日或调休日",
    "calendar_day.remove": "删除节假日或调休日",
    # cases
    "cases.start": "开始申请",
    "cases.update_draft": "保存申请草稿",
    "cases.submit": "提交申请",
    "cases.resubmit": "补正后重新提交",
    "cases.precheck": "网上预审",
    "cases.accept": "窗口受理",
    "cases.walk_in_cancel": "取消窗口受理",
    "cases.counter_name_confirmed": "窗口核对申请人姓名",
    "cases.applicant_id_viewed": "查看申请人完整证件号码",
    "cases.eligibility_override": "人工判定办理条件",
    "cases.material_upload": "上传材料",
    "cases.material_reuse": "复用已有材料",
    "cases.material_autofill": "自动调取材料",
    "cases.task_claim": "领取办理环节",
    "cases.clock_stop": "暂停计时",
    "cases.clock_restart": "恢复计时",
    "cases.extend": "延长办理期限",
    "cases.recompute_due": "重新计算办理期限",
    "cases.conclude": "办结",
    "cases.deliver": "送达结果",
    "cases.visit": "记录到场",
    "cases.withdraw": "撤回申请",
    "cases.bundle_apply": "申请一件事",
    "cases.bundle_accept": "受理一件事",
    "cases.bundle_member_start": "一件事中的事项开始办理",
    # catalogue
    "catalog_item.create": "新建事项",
    "catalog_item.update": "修改事项指南",
    "catalog_item.update_identity": "修改事项基本信息",
    "catalog_item.new_draft": "新建草稿版本",
    "catalog_item.submit": "提交审核",
    "catalog_item.approve": "审核通过",
    "catalog_item.reject": "退回修改",
    "catalog_item.publish": "发布事项",
    "catalog_item.import_publish": "导入并发布事项",
    "catalog_item.plan_cancel": "计划取消事项",
    "catalog_item.cancel": "取消事项",
    "catalog_item.discard": "放弃草稿",
    "catalog_item.delete": "删除事项",
    "catalog_item.eligibility_rule": "修改办理条件规则",
    "catalog_item.material_file": "上传材料样表",
    "life_event.save": "保存一件事",
    "life_event.arrange": "调整一件事的事项",
    # openness
    "directory_entry.create": "新建公开目录",
    "directory_entry.update": "修改公开目录",
    "negative_entry.create": "新建负面清单条目",
    "negative_entry.update": "修改负面清单条目",
    "openness_area.create": "新建公开领域",
    "interpretation.create": "新建政策解读",
    "publication.create": "新建公开信息",
    "publication.update": "修改公开信息",
    "publication.import": "导入公开信息",
    "publication.attachment_add": "添加附件",
    "publication.submit": "提交审核",
    "publication.approve": "审核通过",
    "publication.schedule": "定时发布",
    "publication.publish_due": "到时自动发布",
    "publication.revoke": "撤回公开信息",
    "publication.validity": "修改有效性",
    # requests for information
    "disclosure_request.file_download": "下载答复附件",
    "disclosure_request.submit": "提交公开申请",
    "disclosure_request.register": "登记公开申请",
    "disclosure_request.confirm": "确认收到申请",
    "disclosure_request.assign": "分派承办人",
    "disclosure_request.correction_notice": "通知补正",
    "disclosure_request.correction_received": "收到补正",
    "disclosure_request.consultation_start": "开始征求意见",
    "disclosure_request.consultation_end": "征求意见结束",
    "disclosure_request.extend": "延长答复期限",
    "disclosure_request.fee_notice": "通知缴纳信息处理费",
    "disclosure_request.fee_paid": "信息处理费已缴",
    "disclosure_request.recompute": "重新计算答复期限",
    "disclosure_request.reply": "答复",
    "disclosure_request.withdraw": "撤回申请",
    "disclosure_request.appeal": "登记复议或诉讼",
    "disclosure_request.appeal_conclude": "复议或诉讼结束",
    # e-licences
    "licences.issue": "签发电子证照",
    "licences.revoke": "注销电子证照",
    # notifications
    "notify.requeue": "重新发送消息",
    "notify.outbox_prune": "清理已发消息",
    "notify.webhook_create": "新建消息推送地址",
    "notify.webhook_update": "修改消息推送地址",
    "notify.webhook_delete": "删除消息推送地址",
    # organisation and staff
    "org_unit.create": "新建单位",
    "org_unit.update": "修改单位",
    "org_unit.move": "调整上级单位",
    "org_unit.abolish": "撤销单位",
    "org_unit.reactivate": "恢复单位",
    "org_unit.delete": "删除单位",
    "service_center.create": "新建服务中心",
    "service_center.update": "修改服务中心",
    "window.create": "新建窗口",
    "window.update": "修改窗口",
    "staff.create": "新建工作人员",
    "staff.update": "修改工作人员",
    "staff.deactivate": "停用工作人员账号",
    "staff.totp_device_create": "为工作人员设置手机验证器",
    "role.assign": "分配角色",
    "role.revoke": "收回角色",
    "otp_device.start": "开始设置手机验证器",
    "otp_device.confirm": "确认手机验证器",
    "user.password_change": "修改密码",
    # ratings
    "ratings.submit": "提交评价",
    "ratings.appeal_file": "对差评提出申诉",
    "ratings.appeal_decide": "处理差评申诉",
    "ratings.rectification_open": "开始整改",
    "ratings.rectification_done": "整改完成",
    "ratings.return_visit": "回访",
    # search
    "synonym.create": "新增同义词",
    "synonym.update": "修改同义词",
    "synonym.delete": "删除同义词",
}

# Verbs at the end of a code, for a code written by data older than this table.
VERBS = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "publish": "发布",
    "submit": "提交",
    "approve": "审核通过",
    "revoke": "撤销",
    "import": "导入",
}


def action_name(code: str) -> str:
    """The plain Chinese name of an audit action code; "其他操作" for an unknown one."""
    name = ACTION_NAMES.get(code)
    if name is None:
        name = VERBS.get(code.rsplit(".", 1)[-1], "其他操作")
    return name
