"""The staff handbook (业务手册) of the demo items: what a window officer checks in each
material, what applicants commonly get wrong, and what each step's officer does.

Matched by words in the material or step name, first match wins, so one entry covers the
same document across items (身份证, 户口簿, 申请书 …). ``apply_handbook`` fills an item
dict of ``build_items`` in place; a material nothing matches keeps an empty handbook, and
the lint rule L024 then reminds the catalogue admin.
"""

from __future__ import annotations

from typing import Any

# (words in the material name, 审查要点, 常见问题)
MATERIAL_HANDBOOK: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (
        ("原残疾人证", "原"),
        "核对证号与系统记录一致；换领的收回原证，在原证上加盖“作废”章。",
        "遗失原证却说“忘带了”：遗失的按补领办理，不收原证。",
    ),
    (
        ("居民身份证",),
        "读卡器读取身份证芯片，核对照片与本人相符、证件在有效期内；代办的还要核对代办人身份证。",
        "证件过期或是临时身份证未登记；拿复印件代替原件；代办人忘带自己的身份证。",
    ),
    (
        ("户口簿",),
        "通过人口信息共享核对户籍地和家庭成员；共享查不到时才看原件首页和本人页。",
        "户口已迁出但未更新；本人页与身份证号码不一致。",
    ),
    (
        ("申请书", "申请表", "申领表", "申报表"),
        "逐栏核对必填项已填、与身份证信息一致、申请人本人签名（单位加盖公章）并写明日期。",
        "漏签名或代签；电话、地址写错；用了旧版表格。",
    ),
    (
        ("授权书", "委托书"),
        "核对委托人、受托人身份信息和委托事项、期限，委托人亲笔签名（单位加盖公章）。",
        "委托事项写成“全权委托”而不写具体事项；没有写期限。",
    ),
    (
        ("照片",),
        "核对尺寸、底色符合要求，近六个月内拍摄，免冠、五官清晰，与本人相符。",
        "用生活照或翻拍照片；底色不对；戴帽子或有色眼镜。",
    ),
    (
        ("营业执照",),
        "通过市场主体登记信息核对名称、统一社会信用代码和经营范围，状态为“存续”。",
        "执照名称与申请书不一致；经营范围未包含申请的项目。",
    ),
    (
        ("章程", "制度", "清单", "说明", "图纸"),
        "核对内容覆盖指南列明的各项、与申请事项相符，每页加盖公章或骑缝章。",
        "照抄模板不结合本单位实际；缺页、未盖章。",
    ),
    (
        ("场所", "用地", "规划许可", "不动产"),
        "核对地址与申请书一致，产权人或出租人与证明文件一致，租赁合同在有效期内。",
        "租赁合同已到期或剩余期限不足；地址写法与证件不一致。",
    ),
    (
        ("合同", "中标", "承诺书", "审查合格书"),
        "核对双方名称、项目名称与申请一致，签章齐全、日期有效。",
        "合同未加盖双方公章；项目名称与其他材料写法不一致。",
    ),
    (
        ("银行账户",),
        "核对开户人与申请人一致，账号完整，银行卡为本人一类账户。",
        "提供家属的账户；账户已销户或为二类账户无法入账。",
    ),
    (
        ("证", "证件"),
        "查看原件，核对证号、持证人与申请人一致，证件在有效期内；通过共享能查到的不收复印件。",
        "证件已过有效期；持证人与申请人不是同一人。",
    ),
)

# (words in the step name, 办理要点)
STEP_HANDBOOK: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("受理",),
        "对照材料清单逐项核对原件；齐全的当场受理并出具受理回执，不齐全的一次性告知需要补正的全部内容，"
        "不属于本机关职责的告知向哪个机关申请。",
    ),
    (
        ("入户", "现场核查"),
        "两人以上入户，出示工作证件，如实记录家庭人口、收入、财产和居住情况，请申请人签字确认；拍照留存。",
    ),
    (
        ("初审",),
        "核对材料与系统共享信息一致，对照受理条件逐条审查，写明初审意见和依据后提交下一环节。",
    ),
    (
        ("审查", "审核"),
        "对照受理条件和设定依据逐条审查，核对共享数据；需要补充说明的在系统中退回并写明原因，"
        "审查意见写明事实、依据和结论。",
    ),
    (
        ("决定", "审批"),
        "核对前一环节意见和依据，作出准予或不予决定；不予的必须写明理由、依据和申请人申请复议或提起诉讼的途径。",
    ),
    (
        ("发证", "制卡", "发放"),
        "核对证件信息与决定一致后制发；通知申请人领取，或按申请人选择的方式邮寄，登记送达情况。",
    ),
    (
        ("送达", "告知", "办结"),
        "按申请人选择的方式送达结果文书，在系统中登记送达日期；结果当场交付的请申请人签收。",
    ),
)


def _first(name: str, table) -> tuple | None:
    return next((entry for entry in table if any(w in name for w in entry[0])), None)


def apply_handbook(item: dict[str, Any]) -> None:
    """Fill the handbook fields of one item's materials and steps in place."""
    for row in item["materials"]:
        found = _first(row["name"], MATERIAL_HANDBOOK)
        if found:
            row["review_points"], row["common_mistakes"] = found[1], found[2]
    for row in item["steps"]:
        found = _first(row["name"], STEP_HANDBOOK)
        if found:
            row["handling_points"] = found[1]
