"""Choices shared by requests for information and the annual report.

The outcome codes follow the rows of section 三 of the annual report (国办公开办函〔2021〕30号
format) one to one, in the report's order, so the report counts them without a mapping.
"""

from django.db import models


class ApplicantColumn(models.TextChoices):
    """The applicant columns of the annual report's section 三 table."""

    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER = "other", "其他"


class IntakeChannel(models.TextChoices):
    ONLINE = "online", "网上申请"
    IN_PERSON = "in_person", "当面提交"
    POST = "post", "邮寄"
    FAX = "fax", "传真"


class OutcomeGroup(models.TextChoices):
    DISCLOSE = "disclose", "（一）予以公开"
    PARTIAL = "partial", "（二）部分公开"
    WITHHOLD = "withhold", "（三）不予公开"
    UNAVAILABLE = "unavailable", "（四）无法提供"
    NOT_PROCESSED = "not_processed", "（五）不予处理"
    OTHER = "other", "（六）其他处理"


class Outcome(models.TextChoices):
    """How a request ended, as the annual report counts it (section 三, 三、本年度办理结果)."""

    DISCLOSE = "disclose", "予以公开"
    PARTIAL = "partial", "部分公开"
    WITHHOLD_STATE_SECRET = "withhold_state_secret", "属于国家秘密"
    WITHHOLD_LAW = "withhold_law", "其他法律行政法规禁止公开"
    WITHHOLD_SECURITY = "withhold_security", "危及“三安全一稳定”"
    WITHHOLD_THIRD_PARTY = "withhold_third_party", "保护第三方合法权益"
    WITHHOLD_INTERNAL = "withhold_internal", "属于三类内部事务信息"
    WITHHOLD_PROCESS = "withhold_process", "属于四类过程性信息"
    WITHHOLD_ENFORCEMENT = "withhold_enforcement", "属于行政执法案卷"
    WITHHOLD_INQUIRY = "withhold_inquiry", "属于行政查询事项"
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", "本机关不掌握相关政府信息"
    UNAVAILABLE_NEEDS_CREATION = "unavailable_needs_creation", "没有现成信息需要另行制作"
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", "补正后申请内容仍不明确"
    NOT_PROCESSED_PETITION = "not_processed_petition", "信访举报投诉类申请"
    NOT_PROCESSED_REPEAT = "not_processed_repeat", "重复申请"
    NOT_PROCESSED_PUBLICATION = "not_processed_publication", "要求提供公开出版物"
    NOT_PROCESSED_EXCESSIVE = "not_processed_excessive", "无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRMATION = (
        "not_processed_confirmation",
        "要求行政机关确认或重新出具已获取信息",
    )
    OTHER_NO_CORRECTION = (
        "other_no_correction",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    )
    OTHER_NO_FEE = (
        "other_no_fee",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    )
    OTHER = "other", "其他"


def outcome_group(outcome: str) -> str:
    """The report group (一)…(六) of an outcome code."""
    if outcome in (Outcome.DISCLOSE, Outcome.PARTIAL):
        return outcome
    for prefix, group in (
        ("withhold_", OutcomeGroup.WITHHOLD),
        ("unavailable_", OutcomeGroup.UNAVAILABLE),
        ("not_processed_", OutcomeGroup.NOT_PROCESSED),
        ("other", OutcomeGroup.OTHER),
    ):
        if outcome.startswith(prefix):
            return group
    raise ValueError(f"unknown outcome: {outcome}")


class AppealKind(models.TextChoices):
    """Section 四: administrative review, lawsuit directly, lawsuit after review."""

    REVIEW = "review", "行政复议"
    LAWSUIT_DIRECT = "lawsuit_direct", "行政诉讼（未经复议直接起诉）"
    LAWSUIT_AFTER_REVIEW = "lawsuit_after_review", "行政诉讼（复议后起诉）"


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


# Added by the requests service layer (the codes above are the report's contract) -------


class RequestStatus(models.TextChoices):
    """Where a request stands. The three last ones are final (the request is concluded)."""

    AWAITING_CONFIRMATION = "awaiting_confirmation", "待确认收到"
    IN_PROGRESS = "in_progress", "办理中"
    AWAITING_CORRECTION = "awaiting_correction", "待申请人补正"
    CONSULTING = "consulting", "征求意见中"
    AWAITING_FEE = "awaiting_fee", "待缴纳信息处理费"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已终止"
    WITHDRAWN = "withdrawn", "申请人已撤回"


OPEN_STATUSES = (
    RequestStatus.AWAITING_CONFIRMATION,
    RequestStatus.IN_PROGRESS,
    RequestStatus.AWAITING_CORRECTION,
    RequestStatus.CONSULTING,
    RequestStatus.AWAITING_FEE,
)
FINAL_STATUSES = (RequestStatus.REPLIED, RequestStatus.CLOSED, RequestStatus.WITHDRAWN)
# Outcomes that grant the information: the reply must carry it (files, published
# documents or paper delivery).
GRANT_OUTCOMES = (Outcome.DISCLOSE, Outcome.PARTIAL)


class DeliveryForm(models.TextChoices):
    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子文本（电子邮件或网上下载）"
    DISC = "disc", "光盘或其他存储介质"
    ONSITE = "onsite", "当场阅读、抄录"


class ReplyMethod(models.TextChoices):
    """How the reply letter reached the applicant."""

    ONLINE = "online", "网上送达"
    POST = "post", "邮寄"
    IN_PERSON = "in_person", "当面领取"
    EMAIL = "email", "电子邮件"
    FAX = "fax", "传真"


class FeeMethod(models.TextChoices):
    """国办函〔2020〕109号: one method per application."""

    NONE = "", "不收费"
    PER_ITEM = "per_item", "按件计收"
    PER_PAGE = "per_page", "按量计收"


class StopKind(models.TextChoices):
    """Periods that are not counted in the reply period."""

    CONSULTATION = "consultation", "征求第三方意见"
    AGENCY = "agency", "征求其他机关意见"
    FEE = "fee", "收费通知至缴费"


class OpinionDelivery(models.TextChoices):
    """How the request for a third party's opinion reached it (Art. 32: its 15 working
    days run from the day it received the request)."""

    BY_HAND = "by_hand", "直接送达"
    POST = "post", "邮寄"
    ELECTRONIC = "electronic", "电子送达"


class PaperMethod(models.TextChoices):
    """How information granted on paper reached the applicant."""

    POST = "post", "邮寄"
    IN_PERSON = "in_person", "当面领取"
    ONSITE = "onsite", "现场阅读、抄录"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "网上提交申请"
    REGISTERED = "registered", "登记申请"
    CONFIRMED = "confirmed", "确认收到申请"
    ASSIGNED = "assigned", "指定承办人"
    CORRECTION_NOTICE = "correction_notice", "发出补正通知"
    CORRECTION_RECEIVED = "correction_received", "收到补正材料"
    CORRECTION_LAPSED = "correction_lapsed", "逾期未补正，不再处理"
    CONSULTATION_STARTED = "consultation_started", "开始征求第三方意见"
    CONSULTATION_ENDED = "consultation_ended", "征求第三方意见结束"
    AGENCY_CONSULT_STARTED = "agency_consult_started", "开始征求其他机关意见"
    AGENCY_CONSULT_ENDED = "agency_consult_ended", "收到其他机关意见"
    EXTENDED = "extended", "延长答复期限"
    FEE_NOTICE = "fee_notice", "发出收费通知"
    FEE_PAID = "fee_paid", "收到信息处理费"
    FEE_LAPSED = "fee_lapsed", "逾期未缴费，不再处理"
    REPLIED = "replied", "作出答复"
    WITHDRAWN = "withdrawn", "申请人撤回申请"
    APPEAL_FILED = "appeal_filed", "申请人提起复议或诉讼"
    APPEAL_CONCLUDED = "appeal_concluded", "复议或诉讼审结"
    RECOMPUTED = "recomputed", "工作日历调整，重算答复期限"
    WARNED = "warned", "期限预警"


class NoticeKind(models.TextChoices):
    """Written notices to the applicant before the reply."""

    CORRECTION = "correction", "补正申请告知书"
    EXTENSION = "extension", "延期答复告知书"
    FEE = "fee", "收费通知书"


class ClockState(models.TextChoices):
    OK = "ok", "正常"
    YELLOW = "yellow", "即将到期"
    RED = "red", "已超期"
    STOPPED = "stopped", "计时暂停"
    WAITING = "waiting", "等待申请人"
    DONE = "done", "已办结"
