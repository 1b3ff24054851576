"""Requests for information (依申请公开) under the OGI Regulations (2019), Art. 27–45.

A request (``InfoRequest``) is made to one agency, by one applicant, and is answered
within 20 working days of its receipt (Art. 33). Everything that moves the clock is a row:
``RequestEvent`` is the ledger of what happened and when (intake, confirmation, correction,
consultation, extension, fee, reply, withdrawal, appeal, recompute), ``ClockStop`` holds
the periods that are not counted (third-party consultation, waiting for a fee). The due
date is always recomputed from these rows (``clocks.compute_due``), so a change of the
working-day calendar can replay every open request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanyi.disclosure_requests.choices import (
    FINAL_STATUSES,
    AppealKind,
    AppealResult,
    ApplicantColumn,
    DeliveryForm,
    EventKind,
    FeeMethod,
    IntakeChannel,
    NoticeKind,
    OpinionDelivery,
    Outcome,
    PaperMethod,
    ReplyMethod,
    RequestStatus,
    StopKind,
)


class InfoRequest(models.Model):
    number = models.CharField(
        "申请编号",
        max_length=32,
        unique=True,
        help_text="GK + 年份 + 受理机关编号4位 + 当年顺序号5位，例如 GK2026-0003-00012",
    )
    agency = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="info_requests",
        verbose_name="受理机关",
    )
    applicant = models.ForeignKey(
        "applicants.Applicant",
        on_delete=models.PROTECT,
        related_name="info_requests",
        verbose_name="申请人",
    )
    applicant_column = models.CharField(
        "申请人类别", max_length=20, choices=ApplicantColumn.choices
    )
    # What the applicant wrote on this request. The request is answered to these details;
    # the applicant profile on file is never changed by them (anyone may type an ID number).
    contact_name = models.CharField("申请所填姓名或名称", max_length=100, blank=True)
    contact_phone = models.CharField("申请所填联系电话", max_length=20, blank=True)
    contact_email = models.EmailField("申请所填电子邮箱", blank=True)
    contact_address = models.CharField("申请所填通信地址", max_length=200, blank=True)
    contact_postal_code = models.CharField("申请所填邮政编码", max_length=6, blank=True)
    channel = models.CharField("申请方式", max_length=16, choices=IntakeChannel.choices)
    query_code_hash = models.CharField("查询码摘要", max_length=64, editable=False)
    idempotency_key = models.CharField("提交标识", max_length=64, blank=True, editable=False)
    submitted_on = models.DateField("提交日期", help_text="申请人提交、寄出或发送申请的日期")
    received_on = models.DateField(
        "收到申请日期",
        null=True,
        blank=True,
        help_text="当面提交为提交之日；邮寄为签收之日；网上申请为确认之日；传真为收到之日",
    )
    description = models.TextField("所需政府信息的名称、文号或便于查询的其他特征性描述")
    purpose = models.TextField("申请用途", blank=True)
    delivery_form = models.CharField("获取信息的方式", max_length=16, choices=DeliveryForm.choices)
    status = models.CharField(
        "状态",
        max_length=24,
        choices=RequestStatus.choices,
        default=RequestStatus.AWAITING_CONFIRMATION,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办人",
    )

    # Clock -----------------------------------------------------------------------------
    clock_start_on = models.DateField(
        "答复期限起算日",
        null=True,
        blank=True,
        help_text="收到申请之日；补正的，为收到补正申请之日",
    )
    reply_due_on = models.DateField("答复期限", null=True, blank=True)
    due_provisional = models.BooleanField(
        "期限为暂定",
        default=False,
        help_text="期限落在尚未公布放假安排的年份，按周一至周五计算，公布后自动重算",
    )

    # Correction (Art. 30) --------------------------------------------------------------
    correction_notice_on = models.DateField("补正通知日期", null=True, blank=True)
    correction_request = models.TextField("需要补正的事项", blank=True)
    correction_due_on = models.DateField("补正期限", null=True, blank=True)
    corrected_on = models.DateField("收到补正日期", null=True, blank=True)

    # Extension (Art. 33) ---------------------------------------------------------------
    extended_on = models.DateField("延期日期", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长工作日数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="延期批准人",
    )

    # Fees (Art. 42, 国办函〔2020〕109号) ------------------------------------------------
    fee_method = models.CharField(
        "收费方式", max_length=16, choices=FeeMethod.choices, blank=True, default=""
    )
    fee_units = models.PositiveIntegerField(
        "计费数量", default=0, help_text="按件计收：当月第几件申请；按量计收：页数（含折算页数）"
    )
    fee_amount = models.PositiveIntegerField("信息处理费（元）", default=0)
    fee_notice_on = models.DateField("收费通知日期", null=True, blank=True)
    fee_due_on = models.DateField("缴费期限", null=True, blank=True)
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)

    # Reply (Art. 36) -------------------------------------------------------------------
    outcome = models.CharField(
        "办理结果", max_length=32, choices=Outcome.choices, blank=True, default=""
    )
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    reply_legal_basis = models.TextField("法律依据", blank=True)
    reply_referral = models.CharField(
        "负责公开该信息的机关", max_length=200, blank=True,
        help_text="本机关不掌握该信息、能够确定负责公开的机关的，写明其名称和联系方式",
    )  # fmt: skip
    reply_method = models.CharField(
        "送达方式", max_length=16, choices=ReplyMethod.choices, blank=True
    )
    reply_on_spot = models.BooleanField("当场答复", default=False)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复人",
    )
    # Paper delivery of granted information (the reply's carrier when it goes on paper).
    paper_method = models.CharField(
        "纸质信息送达方式", max_length=16, choices=PaperMethod.choices, blank=True
    )
    paper_on = models.DateField("纸质信息送达日期", null=True, blank=True)
    paper_note = models.CharField(
        "纸质信息说明", max_length=200, blank=True, help_text="页数、快递单号、领取地点等"
    )
    reply_letter = models.FileField(
        "答复书", upload_to="disclosure_requests/letters/%Y/", blank=True
    )
    reply_letter_sha256 = models.CharField(max_length=64, blank=True)

    created_at = models.DateTimeField("建立时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["reply_due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="inforequest_idempotency_unique",
            ),
            models.CheckConstraint(
                condition=Q(outcome="", concluded_on__isnull=True)
                | (~Q(outcome="") & Q(concluded_on__isnull=False)),
                name="inforequest_outcome_with_date",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__lte=20), name="inforequest_extension_max_20"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "reply_due_on"], name="inforequest_status_due"),
            models.Index(fields=["agency", "status"], name="inforequest_agency_status"),
            models.Index(fields=["reply_due_on"], name="inforequest_due"),
            models.Index(fields=["channel"], name="inforequest_channel"),
            models.Index(fields=["received_on"], name="inforequest_received"),
            models.Index(fields=["concluded_on"], name="inforequest_concluded"),
            models.Index(fields=["correction_due_on"], name="inforequest_correction_due"),
            models.Index(fields=["fee_due_on"], name="inforequest_fee_due"),
            models.Index(fields=["applicant", "received_on"], name="inforequest_applicant"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES

    @property
    def addressee(self) -> str:
        """The name letters and pages use: as written on the request."""
        return self.contact_name or self.applicant.name

    @property
    def addressee_display(self) -> str:
        """The addressee as public pages show it: a person's name masked."""
        from sanyi.core.ids import mask_name

        name = self.addressee
        return mask_name(name) if self.applicant.is_person else name

    @property
    def name_differs_from_file(self) -> bool:
        return bool(self.contact_name) and self.contact_name != self.applicant.name


class ClockStop(models.Model):
    """A period not counted in the reply period: a consultation of a third party (Art. 32)
    or of another agency (Art. 33 ¶3), or a fee notice to the payment."""

    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="stops", verbose_name="申请"
    )
    kind = models.CharField("类别", max_length=16, choices=StopKind.choices)
    started_on = models.DateField("开始日期")
    expected_end_on = models.DateField(
        "预计结束日期", help_text="第三方答复期限（15个工作日）或缴费期限"
    )
    ended_on = models.DateField("结束日期", null=True, blank=True)
    party = models.CharField("第三方或被征求意见的机关", max_length=200, blank=True)
    note = models.TextField("征求意见事项或说明", blank=True)
    answer = models.TextField("答复意见", blank=True)
    delivery_method = models.CharField(
        "征求意见书送达方式", max_length=16, choices=OpinionDelivery.choices, blank=True
    )
    tracking_number = models.CharField("邮件单号", max_length=50, blank=True)
    delivered_on = models.DateField(
        "第三方收到日期", null=True, blank=True, help_text="第三方的15个工作日从这一天起算"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "计时暂停"
        verbose_name_plural = "计时暂停"
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}"

    @property
    def span(self) -> tuple:
        """The stop as the calendar counts it: (stopped_on, restarted_on)."""
        return (self.started_on, self.ended_on or self.expected_end_on)


class ReplyFile(models.Model):
    """A file that carries the information a reply grants; the applicant downloads it."""

    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="reply_files", verbose_name="申请"
    )
    file = models.FileField("文件", upload_to="disclosure_requests/replies/%Y/")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "答复所附文件"
        verbose_name_plural = "答复所附文件"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ReplyPublication(models.Model):
    """A document already published on the portal that a reply points the applicant to."""

    request = models.ForeignKey(
        InfoRequest,
        on_delete=models.CASCADE,
        related_name="reply_publications",
        verbose_name="申请",
    )
    publication = models.ForeignKey(
        "openness.Publication", on_delete=models.PROTECT, related_name="+", verbose_name="公开信息"
    )
    title = models.CharField("答复时的标题", max_length=300)

    class Meta:
        verbose_name = "答复所引已公开信息"
        verbose_name_plural = "答复所引已公开信息"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "publication"], name="replypublication_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RequestEvent(models.Model):
    """The ledger: one row for everything that happened to a request, in order."""

    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="events", verbose_name="申请"
    )
    kind = models.CharField("事项", max_length=24, choices=EventKind.choices)
    on = models.DateField("发生日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="经办人",
    )
    actor_label = models.CharField("经办人", max_length=100)
    note = models.TextField("说明", blank=True)
    due_before = models.DateField("原答复期限", null=True, blank=True)
    due_after = models.DateField("新答复期限", null=True, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["request", "kind"], name="requestevent_kind")]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class Appeal(models.Model):
    """An administrative review or lawsuit against the handling of a request."""

    request = models.ForeignKey(
        InfoRequest, on_delete=models.PROTECT, related_name="appeals", verbose_name="申请"
    )
    kind = models.CharField("类别", max_length=24, choices=AppealKind.choices)
    filed_on = models.DateField("提起日期")
    result = models.CharField(
        "结果", max_length=16, choices=AppealResult.choices, default=AppealResult.PENDING
    )
    concluded_on = models.DateField("审结日期", null=True, blank=True)
    authority = models.CharField("复议机关或人民法院", max_length=200)
    case_number = models.CharField("案号", max_length=100, blank=True)
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "行政复议、行政诉讼"
        verbose_name_plural = "行政复议、行政诉讼"
        ordering = ["filed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="pending", concluded_on__isnull=True)
                | (~Q(result="pending") & Q(concluded_on__isnull=False)),
                name="appeal_result_with_date",
            )
        ]
        indexes = [
            models.Index(fields=["kind", "filed_on"], name="appeal_kind_filed"),
            models.Index(fields=["concluded_on"], name="appeal_concluded"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.request.number}）"


class RequestNotice(models.Model):
    """A written notice to the applicant (correction, extension, fee) as issued, in PDF."""

    request = models.ForeignKey(
        InfoRequest, on_delete=models.CASCADE, related_name="notices", verbose_name="申请"
    )
    kind = models.CharField("类别", max_length=16, choices=NoticeKind.choices)
    issued_on = models.DateField("发出日期")
    file = models.FileField("文书", upload_to="disclosure_requests/notices/%Y/")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "告知书"
        verbose_name_plural = "告知书"
        ordering = ["issued_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.request.number}）"


class RequestCounter(models.Model):
    """The last sequence number given per agency and year (for ``InfoRequest.number``)."""

    agency = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="requestcounter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"
