"""Choices of case handling (政务服务办件). See docs/cases.md for the life of a case."""

from django.db import models


class CaseStatus(models.TextChoices):
    """Where a case is in its life. A case keeps one number from its first save to the end."""

    DRAFT = "draft", "草稿"
    PRECHECK = "precheck", "待预审"
    PRECHECK_RETURNED = "precheck_returned", "预审退回补正"
    AWAITING_ACCEPTANCE = "awaiting_acceptance", "预审通过，待受理"
    CORRECTION_NOTICE = "correction_notice", "已一次性告知补正"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    IN_PROGRESS = "in_progress", "办理中"
    SUSPENDED = "suspended", "暂停计时"
    CONCLUDED = "concluded", "已办结，待出件"
    DELIVERED = "delivered", "已出件"
    WITHDRAWN = "withdrawn", "已撤回"
    CANCELLED = "cancelled", "已作废"


# States in which the clocks run or stand still and staff still have work to do.
OPEN_STATUSES = (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
# States before acceptance: no clock yet.
PRE_ACCEPTANCE_STATUSES = (
    CaseStatus.DRAFT,
    CaseStatus.PRECHECK,
    CaseStatus.PRECHECK_RETURNED,
    CaseStatus.AWAITING_ACCEPTANCE,
    CaseStatus.CORRECTION_NOTICE,
)
FINAL_STATUSES = (
    CaseStatus.NOT_ACCEPTED,
    CaseStatus.DELIVERED,
    CaseStatus.WITHDRAWN,
    CaseStatus.CANCELLED,
)


class CaseChannel(models.TextChoices):
    ONLINE = "online", "网上申请"
    WINDOW = "window", "窗口申请"
    POST = "post", "邮寄申请"


class AcceptanceDecision(models.TextChoices):
    ACCEPT = "accept", "受理"
    ACCEPT_WITH_DEFICIENCY = "accept_with_deficiency", "容缺受理"
    CORRECTION_NOTICE = "correction_notice", "一次性告知补正"
    REJECT = "reject", "不予受理"


class MaterialStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    OK = "ok", "合格"
    TO_FIX = "to_fix", "需补正"
    DEFICIENT = "deficient", "容缺后补"
    SHARED = "shared", "共享获取，无需提交"
    WAIVED = "waived", "告知承诺代替"


class MaterialOrigin(models.TextChoices):
    UPLOAD = "upload", "本次上传"
    PAPER = "paper", "窗口收取纸质材料"
    WALLET = "wallet", "复用以前提交的材料"
    LICENCE = "licence", "复用电子证照"
    SHARED = "shared", "部门共享获取"
    RESULT = "result", "前序办件的结果"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已办"
    RETURNED = "returned", "已退回"
    CANCELLED = "cancelled", "已取消"


class TaskAction(models.TextChoices):
    APPROVE = "approve", "同意，转下一环节"
    # Concludes the case as 不予准予 (through case_conclude) at an approver's step.
    DISAGREE = "disagree", "不同意，不予准予并办结"
    RETURN = "return", "退回上一环节"
    REQUEST_CORRECTION = "request_correction", "要求申请人补正"
    FORWARD = "forward", "转交其他单位"
    OPINION = "opinion", "填写意见"


class StopReason(models.TextChoices):
    """Time that does not count towards the limits (挂起/暂停计时)."""

    CORRECTION = "correction", "补正材料"
    HEARING = "hearing", "听证"
    EXPERT_REVIEW = "expert_review", "专家评审"
    PUBLIC_NOTICE = "public_notice", "公示"
    THIRD_PARTY = "third_party", "征求第三方意见"
    INSPECTION = "inspection", "现场勘查"


class WarningLevel(models.TextChoices):
    NONE = "none", "正常"
    YELLOW = "yellow", "黄灯预警"
    RED = "red", "红灯超期"


class Decision(models.TextChoices):
    APPROVE = "approve", "准予"
    DENY = "deny", "不予准予"


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", "窗口领取（统一出件）"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"


class VisitPurpose(models.TextChoices):
    SUBMIT = "submit", "提交申请"
    CORRECTION = "correction", "补正材料"
    PICKUP = "pickup", "领取结果"
    OTHER = "other", "其他"


class EventKind(models.TextChoices):
    """Entries of a case's timeline (the ledger every page and the API replay)."""

    CREATED = "created", "创建申请"
    SUBMITTED = "submitted", "提交申请"
    PRECHECK_RETURNED = "precheck_returned", "预审退回，一次性告知"
    PRECHECK_RESUBMITTED = "precheck_resubmitted", "补正后重新提交"
    PRECHECK_PASSED = "precheck_passed", "预审通过"
    ACCEPTED = "accepted", "受理"
    ACCEPTED_WITH_DEFICIENCY = "accepted_with_deficiency", "容缺受理"
    CORRECTION_NOTICE = "correction_notice", "一次性告知补正"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    DEFICIENCY_RECEIVED = "deficiency_received", "收到容缺后补材料"
    TASK_STARTED = "task_started", "进入办理环节"
    TASK_DONE = "task_done", "环节办结"
    TASK_RETURNED = "task_returned", "退回上一环节"
    FORWARDED = "forwarded", "转交"
    OPINION = "opinion", "办理意见"
    CLOCK_STOPPED = "clock_stopped", "暂停计时"
    CLOCK_RESTARTED = "clock_restarted", "恢复计时"
    EXTENDED = "extended", "延期"
    DUE_RECOMPUTED = "due_recomputed", "节假日调整，重新计算期限"
    WARNING = "warning", "预警"
    CONCLUDED = "concluded", "办结"
    LICENCE_ISSUED = "licence_issued", "核发电子证照"
    READY_FOR_PICKUP = "ready_for_pickup", "结果待领取"
    DELIVERED = "delivered", "已出件"
    VISIT = "visit", "到现场"
    WITHDRAWN = "withdrawn", "撤回"
    CANCELLED = "cancelled", "作废（窗口误录）"
    RATED = "rated", "评价"
