"""Serializers of the requests-for-information API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sanyi.core.numbers import IdQueryField
from sanyi.disclosure_requests.choices import (
    AppealKind,
    AppealResult,
    FeeMethod,
    IntakeChannel,
    OpinionDelivery,
    Outcome,
    PaperMethod,
    ReplyMethod,
    RequestStatus,
)
from sanyi.disclosure_requests.models import (
    Appeal,
    ClockStop,
    InfoRequest,
    ReplyFile,
    ReplyPublication,
    RequestEvent,
    RequestNotice,
)

# Subsets of choices, named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].
CHARGED_FEE_METHODS = [c for c in FeeMethod.choices if c[0]]  # same enum as FeeMethod
CONCLUDED_APPEAL_RESULTS = [c for c in AppealResult.choices if c[0] != AppealResult.PENDING]


class DisclosureRequestQuery(serializers.Serializer):
    status = serializers.ChoiceField(RequestStatus.choices, required=False, help_text="状态")
    agency = IdQueryField(label="受理机关编号", param="agency", required=False)
    channel = serializers.ChoiceField(IntakeChannel.choices, required=False, help_text="申请方式")
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true 只看已超期的"
    )
    due_before = serializers.DateField(required=False, help_text="答复期限不晚于该日")
    open = serializers.BooleanField(required=False, default=False, help_text="true 只看未办结的")


class DisclosureRequestClockOutput(serializers.Serializer):
    state = serializers.CharField(
        help_text="ok 正常、yellow 即将到期、red 已超期、"
        "stopped 计时暂停、waiting 等待申请人或确认、done 已办结"
    )
    state_label = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    provisional = serializers.BooleanField(help_text="期限落在未公布放假安排的年份，为暂定")
    total = serializers.IntegerField(help_text="答复期限（工作日，含延长）")
    elapsed = serializers.IntegerField(help_text="已用工作日（不含暂停）")
    stopped = serializers.IntegerField(help_text="暂停计时的工作日")
    remaining = serializers.IntegerField(help_text="剩余工作日；负数为已超期")
    waiting_until = serializers.DateField(allow_null=True, help_text="补正或缴费期限")


class DisclosureRequestStopOutput(serializers.ModelSerializer):
    class Meta:
        model = ClockStop
        fields = ["id", "kind", "started_on", "expected_end_on", "ended_on", "party", "note",
                  "answer", "delivery_method", "tracking_number", "delivered_on"]  # fmt: skip


class DisclosureReplyFileOutput(serializers.ModelSerializer):
    class Meta:
        model = ReplyFile
        fields = ["id", "name", "content_type", "size", "sha256"]


class DisclosureReplyPublicationOutput(serializers.ModelSerializer):
    class Meta:
        model = ReplyPublication
        fields = ["id", "publication", "title"]


class DisclosureRequestEventOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = RequestEvent
        fields = ["id", "kind", "kind_label", "on", "actor_label", "note", "due_before",
                  "due_after"]  # fmt: skip


class DisclosureAppealOutput(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = ["id", "kind", "filed_on", "result", "concluded_on", "authority",
                  "case_number", "note"]  # fmt: skip


class DisclosureRequestNoticeOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = RequestNotice
        fields = ["id", "kind", "kind_label", "issued_on"]


class DisclosureRequestOutput(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name")
    applicant_name = serializers.CharField(
        source="applicant.display_name", help_text="申请人（自然人姓名打码）"
    )
    applicant_id_masked = serializers.CharField(source="applicant.masked_id")
    status_label = serializers.CharField(source="get_status_display")
    outcome_label = serializers.CharField(source="get_outcome_display")
    clock = serializers.SerializerMethodField()
    has_letter = serializers.SerializerMethodField()

    class Meta:
        model = InfoRequest
        fields = [
            "id", "number", "agency", "agency_name", "applicant_name", "applicant_id_masked",
            "applicant_column", "channel", "submitted_on", "received_on", "description",
            "purpose", "delivery_form", "status", "status_label", "assigned_to",
            "clock_start_on", "reply_due_on", "due_provisional", "correction_notice_on",
            "correction_request", "correction_due_on", "corrected_on", "extended_on",
            "extension_days", "extension_reason", "fee_method", "fee_units", "fee_amount",
            "fee_notice_on", "fee_due_on", "fee_paid_on", "outcome", "outcome_label",
            "concluded_on", "reply_text", "reply_legal_basis", "reply_referral", "reply_method",
            "reply_on_spot", "has_letter", "clock",
        ]  # fmt: skip

    @extend_schema_field(DisclosureRequestClockOutput)
    def get_clock(self, obj) -> dict:
        from sanyi.disclosure_requests.selectors import request_clock

        return DisclosureRequestClockOutput(request_clock(obj, self.context.get("today"))).data

    def get_has_letter(self, obj) -> bool:
        return bool(obj.reply_letter)


class DisclosureRequestApplicantOutput(serializers.Serializer):
    """The contact written on the request, in full: the reply is sent there. The applicant
    profile on file is never changed by a request."""

    name = serializers.CharField(source="addressee", help_text="申请所填姓名或名称")
    registered_name = serializers.CharField(
        source="applicant.name", help_text="证件号码登记的姓名或名称（不一致时请核实身份）"
    )
    kind = serializers.CharField(source="applicant.kind")
    phone = serializers.CharField(source="contact_phone")
    email = serializers.CharField(source="contact_email")
    address = serializers.CharField(source="contact_address")
    postal_code = serializers.CharField(source="contact_postal_code")


class DisclosureRequestDetailOutput(DisclosureRequestOutput):
    stops = DisclosureRequestStopOutput(many=True, read_only=True)
    events = DisclosureRequestEventOutput(many=True, read_only=True)
    appeals = DisclosureAppealOutput(many=True, read_only=True)
    notices = DisclosureRequestNoticeOutput(many=True, read_only=True)
    reply_files = DisclosureReplyFileOutput(many=True, read_only=True)
    reply_publications = DisclosureReplyPublicationOutput(many=True, read_only=True)
    applicant_contact = DisclosureRequestApplicantOutput(source="*", read_only=True)

    class Meta(DisclosureRequestOutput.Meta):
        fields = [
            *DisclosureRequestOutput.Meta.fields,
            "applicant_contact",
            "stops",
            "events",
            "appeals",
            "notices",
            "reply_files",
            "reply_publications",
            "paper_method",
            "paper_on",
            "paper_note",
        ]


class DisclosureRequestTrackInput(serializers.Serializer):
    number = serializers.CharField(max_length=32, help_text="申请编号")
    code = serializers.CharField(max_length=16, help_text="提交申请时显示的查询码")


class DisclosureRequestTrackNoticeInput(DisclosureRequestTrackInput):
    notice = serializers.IntegerField(help_text="告知书编号（查询结果 notices 中的 id）")


class DisclosureRequestTrackEventOutput(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()


class DisclosureRequestTrackOutput(serializers.ModelSerializer):
    """What the applicant sees of the own request."""

    agency_name = serializers.CharField(source="agency.name")
    status_label = serializers.CharField(source="get_status_display")
    outcome_label = serializers.CharField(source="get_outcome_display")
    events = serializers.SerializerMethodField()
    has_letter = serializers.SerializerMethodField()
    notices = DisclosureRequestNoticeOutput(many=True, read_only=True)

    class Meta:
        model = InfoRequest
        fields = [
            "number", "agency_name", "channel", "submitted_on", "received_on", "description",
            "status", "status_label", "reply_due_on", "due_provisional", "correction_request",
            "correction_due_on", "extension_days", "extension_reason", "fee_amount",
            "fee_due_on", "outcome", "outcome_label", "concluded_on", "reply_text",
            "has_letter", "events", "notices",
        ]  # fmt: skip

    @extend_schema_field(DisclosureRequestTrackEventOutput(many=True))
    def get_events(self, obj) -> list[dict]:
        from sanyi.disclosure_requests.choices import EventKind

        hidden = {EventKind.WARNED, EventKind.ASSIGNED}
        return [
            {"on": e.on.isoformat(), "kind": e.kind, "kind_label": e.get_kind_display()}
            for e in obj.events.order_by("on", "pk")
            if e.kind not in hidden
        ]

    def get_has_letter(self, obj) -> bool:
        return bool(obj.reply_letter)


# Action inputs --------------------------------------------------------------------------------


class DisclosureRequestOnInput(serializers.Serializer):
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="发生日期（默认今天）"
    )


class DisclosureRequestCorrectionNoticeInput(DisclosureRequestOnInput):
    what = serializers.CharField(max_length=2000, help_text="一次性告知需要补正的事项")
    due_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="补正期限（默认15个工作日）"
    )


class DisclosureRequestNoteInput(DisclosureRequestOnInput):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DisclosureRequestConsultationStartInput(DisclosureRequestOnInput):
    party = serializers.CharField(max_length=200, help_text="第三方名称")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    delivery_method = serializers.ChoiceField(
        OpinionDelivery.choices, help_text="征求意见书的送达方式：直接送达、邮寄、电子送达"
    )
    tracking_number = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default="", help_text="邮寄的邮件单号"
    )
    delivered_on = serializers.DateField(
        help_text="第三方收到征求意见书的日期（签收、妥投或电子回执）；15个工作日从这一天起算"
    )


class DisclosureRequestAgencyConsultationStartInput(DisclosureRequestOnInput):
    agency = serializers.CharField(max_length=200, help_text="被征求意见的机关")
    question = serializers.CharField(max_length=2000, help_text="征求意见的事项")


class DisclosureRequestAgencyConsultationEndInput(DisclosureRequestOnInput):
    answer = serializers.CharField(max_length=2000, help_text="其他机关的意见")


class DisclosureRequestExtendInput(DisclosureRequestOnInput):
    days = serializers.IntegerField(min_value=1, max_value=20, help_text="延长的工作日数")
    reason = serializers.CharField(max_length=1000)
    approver = serializers.IntegerField(help_text="批准人（另一位政务公开专员或审批负责人）编号")


class DisclosureRequestFeeNoticeInput(DisclosureRequestOnInput):
    method = serializers.ChoiceField(CHARGED_FEE_METHODS, help_text="按件计收或按量计收")
    pages = serializers.IntegerField(
        min_value=0, required=False, default=0, help_text="按量计收的页数（含折算页数）"
    )
    due_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="缴费期限（默认20个工作日）"
    )


class DisclosureRequestReplyInput(DisclosureRequestOnInput):
    outcome = serializers.ChoiceField(Outcome.choices)
    text = serializers.CharField(max_length=10000, help_text="答复内容")
    legal_basis = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="",
        help_text="法律依据（不填则按办理结果引用条例条款）",
    )  # fmt: skip
    referral = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="",
        help_text="本机关不掌握的：负责公开该信息的机关",
    )  # fmt: skip
    method = serializers.ChoiceField(ReplyMethod.choices, required=False, default="online")
    on_spot = serializers.BooleanField(required=False, default=False)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list,
        help_text="载有所公开信息的文件（multipart/form-data，可多个）：PDF、docx、xlsx、JPG、PNG",
    )  # fmt: skip
    publications = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list,
        help_text="已在平台公开的信息编号（公开信息 id）",
    )  # fmt: skip
    paper_method = serializers.ChoiceField(
        [("", "不提供纸质信息"), *PaperMethod.choices], required=False, default="",
        help_text="纸质信息送达方式",
    )  # fmt: skip
    paper_on = serializers.DateField(required=False, allow_null=True, default=None)
    paper_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DisclosureRequestAssignInput(serializers.Serializer):
    officer = serializers.IntegerField(help_text="承办人（该机关的政务公开专员）编号")


class DisclosureRequestWithdrawInput(DisclosureRequestOnInput):
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class DisclosureAppealInput(serializers.Serializer):
    kind = serializers.ChoiceField(AppealKind.choices)
    filed_on = serializers.DateField()
    authority = serializers.CharField(max_length=200, help_text="复议机关或人民法院")
    case_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DisclosureAppealConcludeInput(serializers.Serializer):
    result = serializers.ChoiceField(CONCLUDED_APPEAL_RESULTS)
    concluded_on = serializers.DateField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
