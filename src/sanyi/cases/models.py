"""Cases (办件): one application from its first save to the delivered result.

A case keeps one number for its whole life. It is handled under the item version in force
when it was created (``item_version``), so a later revision of the guide never changes the
rules of a case already running. The ledger (``CaseEvent``) records every step; pages, the
API and the recompute of due dates replay it. Clocks run on working days from the
acceptance date (``accepted_on``); time in ``ClockStop`` rows does not count and extensions
add working days (see docs/cases.md).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from sanyi.cases.choices import (
    AcceptanceDecision,
    CaseChannel,
    CaseStatus,
    Decision,
    DeliveryMethod,
    EventKind,
    MaterialOrigin,
    MaterialStatus,
    StopReason,
    TaskAction,
    TaskStatus,
    VisitPurpose,
    WarningLevel,
)

USER = settings.AUTH_USER_MODEL

# The short number (短号) read out at the window and over the phone: no 0/O, no 1/I.
SHORT_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
SHORT_NUMBER_LENGTH = 8


# Lists sort by due date with the id as tie-breaker and page by seeking (core.pagination),
# which needs a key that is never NULL: a date nobody has sorts last. The indexes below are
# built on the same expressions, so the lists read them in order.
NO_DUE_DATE = dt.date(9999, 12, 31)


def case_due_key() -> Coalesce:
    """A case's date to meet: the promised one, else the statutory one (as the clocks say)."""
    return Coalesce("promised_due_on", "statutory_due_on", Value(NO_DUE_DATE))


def task_due_key() -> Coalesce:
    return Coalesce("due_on", Value(NO_DUE_DATE))


def new_short_number() -> str:
    """A random short number. ``numbering.allocate_short_number`` checks it is free; the
    unique index is the guarantee."""
    return "".join(secrets.choice(SHORT_NUMBER_ALPHABET) for _ in range(SHORT_NUMBER_LENGTH))


class CaseNumberCounter(models.Model):
    """The last sequence number given for one implementation code and day (row-locked)."""

    implementation_code = models.CharField("实施编码", max_length=36)
    day = models.DateField("日期")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "办件编号计数器"
        verbose_name_plural = "办件编号计数器"
        constraints = [
            models.UniqueConstraint(fields=["implementation_code", "day"], name="case_counter_key")
        ]

    def __str__(self) -> str:
        return f"{self.implementation_code} {self.day:%Y%m%d} #{self.last}"


class Case(models.Model):
    number = models.CharField("办件编号", max_length=60, unique=True)
    short_number = models.CharField(
        "短号",
        max_length=10,
        unique=True,
        default=new_short_number,
        editable=False,
        help_text="8位，便于读写和电话查询（不含0、O、1、I），与办件编号都可以查询进度",
    )
    query_code_hash = models.CharField("查询码（散列）", max_length=128, blank=True)
    applicant = models.ForeignKey(
        "applicants.Applicant",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="申请人",
    )
    agent = models.ForeignKey(
        "applicants.Applicant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases_as_agent",
        verbose_name="代办人",
    )
    agent_authorisation = models.ForeignKey(
        "applicants.AgentAuthorisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="授权委托书",
    )
    # Help to apply (帮办代办): the grid officer who applied on the resident's behalf, with
    # the resident's consent (kept by the grid app). The case stays an online one (docs/adr/
    # 0023-help-to-apply.md): the resident goes nowhere, so it counts no visit.
    assisted_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="代办网格员",
    )
    implementation_item = models.ForeignKey(
        "catalog.ImplementationItem",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="实施事项",
    )
    item_version = models.ForeignKey(
        "catalog.ItemVersion",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="事项版本",
        help_text="办件创建时生效的指南版本，办理全程按此版本执行",
    )
    variant = models.ForeignKey(
        "catalog.HandlingVariant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="业务办理项",
    )
    form_data = models.JSONField("申请表内容", default=dict, blank=True)
    channel = models.CharField("申请渠道", max_length=16, choices=CaseChannel.choices)
    status = models.CharField(
        "状态", max_length=24, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    idempotency_key = models.CharField("提交幂等键", max_length=80, blank=True)
    # A client that retries "create" after a lost answer sends the same key and gets this
    # case back instead of a second one (the API's Idempotency-Key on POST /cases/).
    start_key = models.CharField("新建幂等键", max_length=80, blank=True, default="")

    # Acceptance (受理)
    center = models.ForeignKey(
        "orgs.ServiceCenter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="受理中心",
    )
    window = models.ForeignKey(
        "orgs.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="受理窗口",
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="受理单位",
        help_text="受理中心所属单位；网上申请在受理前为事项实施单位",
    )
    current_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="current_cases",
        verbose_name="当前办理单位",
    )
    acceptance_decision = models.CharField(
        "受理决定", max_length=24, choices=AcceptanceDecision.choices, blank=True
    )
    acceptance_reason = models.TextField("不予受理理由", blank=True)
    acceptance_basis = models.TextField("不予受理依据", blank=True)
    accepted_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="受理人",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)

    # Clocks (working days unless the item says otherwise; see docs/cases.md)
    is_instant = models.BooleanField("即办件", default=False)
    statutory_days = models.PositiveIntegerField("法定时限（工作日）", null=True, blank=True)
    promised_days = models.PositiveIntegerField("承诺时限（工作日）", null=True, blank=True)
    extension_days = models.PositiveIntegerField("已批准延期（工作日）", default=0)
    statutory_due_on = models.DateField("法定办结期限", null=True, blank=True)
    promised_due_on = models.DateField("承诺办结期限", null=True, blank=True)
    due_provisional = models.BooleanField(
        "期限为暂定", default=False, help_text="期限落在尚未公布节假日安排的年份"
    )
    stopped_days = models.PositiveIntegerField("已暂停（工作日）", default=0)
    warning_level = models.CharField(
        "预警", max_length=8, choices=WarningLevel.choices, default=WarningLevel.NONE
    )

    # Conclusion (办结) and delivery (出件)
    decision = models.CharField("办结结果", max_length=8, choices=Decision.choices, blank=True)
    decision_reason = models.TextField("办结理由", blank=True)
    decision_basis = models.TextField("法律依据", blank=True)
    decided_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办结人",
    )
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    delivery_method = models.CharField(
        "出件方式", max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    delivered_at = models.DateTimeField("出件时间", null=True, blank=True)
    visits = models.PositiveSmallIntegerField("到现场次数", default=0)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="case_submit_once",
            ),
            models.UniqueConstraint(
                fields=["applicant", "start_key"],
                condition=~Q(start_key=""),
                name="case_start_once",
            ),
        ]
        indexes = [
            # Worklists and the overdue view: open cases by unit, then due date.
            models.Index(
                fields=["current_unit", "status", "promised_due_on"], name="case_unit_due"
            ),
            models.Index(fields=["status", "promised_due_on"], name="case_status_due"),
            models.Index(fields=["warning_level", "status"], name="case_warning"),
            models.Index(fields=["applicant", "-created_at"], name="case_applicant"),
            models.Index(fields=["implementation_item", "accepted_on"], name="case_item_accepted"),
            models.Index(fields=["center", "accepted_on"], name="case_center_accepted"),
            models.Index(fields=["unit", "status"], name="case_unit_status"),
            models.Index(fields=["concluded_on"], name="case_concluded"),
            # Case lists, newest first.
            models.Index(fields=["-created_at", "-id"], name="case_created"),
            # The overdue view: running cases (red) and yellow ones by due date, for the
            # viewer's whole scope and per unit handling them now. The columns the lists
            # filter on ride along, so their counts (up to 1000) read the index alone.
            models.Index(
                case_due_key(),
                F("id"),
                condition=Q(status="in_progress"),
                include=["promised_due_on", "statutory_due_on", "unit", "current_unit"],
                name="case_running_due",
            ),
            models.Index(
                F("current_unit"),
                case_due_key(),
                F("id"),
                condition=Q(status="in_progress"),
                include=["promised_due_on", "statutory_due_on", "unit"],
                name="case_running_unit_due",
            ),
            models.Index(
                case_due_key(),
                F("id"),
                condition=Q(warning_level="yellow"),
                include=["promised_due_on", "statutory_due_on", "status", "unit", "current_unit"],
                name="case_yellow_due",
            ),
            models.Index(
                F("current_unit"),
                case_due_key(),
                F("id"),
                condition=Q(warning_level="yellow"),
                include=["promised_due_on", "statutory_due_on", "status", "unit"],
                name="case_yellow_unit_due",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def assisted_text(self) -> str:
        """ "网格员代办（name）" for a case a grid officer applied for, else ""."""
        if self.assisted_by_id is None:
            return ""
        return f"网格员代办（{self.assisted_by}）"


class CaseMaterial(models.Model):
    """One required material of a case, and what was provided for it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey(
        "catalog.Material",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="目录中的材料",
    )
    name = models.CharField("材料名称", max_length=300)
    position = models.PositiveSmallIntegerField("序号", default=0)
    required = models.BooleanField("必要", default=True)
    origin = models.CharField(
        "来源", max_length=16, choices=MaterialOrigin.choices, default=MaterialOrigin.UPLOAD
    )
    file = models.FileField("文件", upload_to="cases/materials/%Y/%m/", blank=True, max_length=300)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    pages = models.PositiveSmallIntegerField("页数", null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="复用自",
    )
    licence = models.ForeignKey(
        "licences.ELicence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="复用的电子证照",
    )
    result_document = models.ForeignKey(
        "ResultDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="前序办件的结果文书",
    )
    status = models.CharField(
        "审核结果", max_length=16, choices=MaterialStatus.choices, default=MaterialStatus.PENDING
    )
    problem = models.CharField("问题说明", max_length=500, blank=True)
    follow_up_due_on = models.DateField("容缺材料补交期限", null=True, blank=True)
    follow_up_received_on = models.DateField("容缺材料补交日期", null=True, blank=True)
    checked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        ordering = ["case", "position", "id"]
        indexes = [models.Index(fields=["sha256"], name="case_material_sha")]

    def __str__(self) -> str:
        return self.name

    @property
    def not_submitted(self) -> bool:
        """An optional material the applicant did not supply: no file, no reused licence,
        nothing received at a window. It is never "合格", only "未提交（非必需）"."""
        if self.required or self.origin != MaterialOrigin.UPLOAD:
            return False
        if self.file or self.licence_id is not None:
            return False
        if self.status == MaterialStatus.PENDING:
            return True
        # Before paper received at a window was recorded as such, a ticked material kept
        # the origin "本次上传"; online, nothing can have been handed over.
        return self.status == MaterialStatus.OK and self.case.channel == CaseChannel.ONLINE

    @property
    def status_text(self) -> str:
        return NOT_SUBMITTED_OPTIONAL if self.not_submitted else self.get_status_display()

    @property
    def origin_text(self) -> str:
        return "—" if self.not_submitted else self.get_origin_display()


NOT_SUBMITTED_OPTIONAL = "未提交（非必需）"


class PrecheckRound(models.Model):
    """One round of pre-check (预审) or correction notice: every problem listed at once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="precheck_rounds")
    number = models.PositiveSmallIntegerField("轮次")
    at_acceptance = models.BooleanField(
        "受理环节告知", default=False, help_text="窗口受理时出具的一次性告知，而非网上预审"
    )
    notice = models.TextField("一次性告知内容")
    items = models.JSONField("逐项结果", default=list)
    reply_due_on = models.DateField("补正期限", null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField("补正提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "预审/补正告知"
        verbose_name_plural = "预审/补正告知"
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="precheck_round_number")
        ]

    def __str__(self) -> str:
        return f"{self.case} 第{self.number}次告知"


class CaseTask(models.Model):
    """One step of the item's process for one case (a worklist entry)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    step = models.ForeignKey(
        "catalog.ProcessStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理环节",
    )
    position = models.PositiveSmallIntegerField("环节序号")
    name = models.CharField("环节名称", max_length=100)
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="case_tasks", verbose_name="办理单位"
    )
    role = models.CharField("办理角色", max_length=32)
    assignee = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_tasks",
        verbose_name="承办人",
    )
    status = models.CharField(
        "状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    budget_days = models.PositiveSmallIntegerField("环节时限（工作日）", null=True, blank=True)
    started_at = models.DateTimeField("开始时间")
    started_on = models.DateField("开始日期")
    due_on = models.DateField("环节期限", null=True, blank=True)
    action = models.CharField("处理", max_length=24, choices=TaskAction.choices, blank=True)
    opinion = models.TextField("办理意见", blank=True)
    completed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "办理环节任务"
        verbose_name_plural = "办理环节任务"
        ordering = ["case", "started_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"], name="task_assignee_due"),
            models.Index(fields=["unit", "status", "due_on"], name="task_unit_due"),
            models.Index(fields=["case", "status"], name="task_case_status"),
            # Worklists: open steps in due order (the lists' sort key), for "mine", for one
            # unit and for a whole subtree (the scope filter checked per row, so a page stops
            # after its rows instead of sorting every open step). The columns the lists
            # filter on ride along, so their counts (up to 1000) read the index alone.
            models.Index(
                task_due_key(),
                F("id"),
                condition=Q(status="open"),
                include=["due_on", "unit", "role", "assignee"],
                name="task_open_due_key",
            ),
            models.Index(
                F("assignee"),
                task_due_key(),
                F("id"),
                condition=Q(status="open"),
                include=["due_on"],
                name="task_open_assignee_due",
            ),
            models.Index(
                F("unit"),
                task_due_key(),
                F("id"),
                condition=Q(status="open"),
                include=["due_on", "role"],
                name="task_open_unit_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.name}"


class ClockStop(models.Model):
    """Time that does not count (挂起): from ``stopped_on`` (still counted) up to and including
    ``restarted_on`` (see sanyi.calendar.workdays for the half-open rule)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clock_stops")
    reason = models.CharField("暂停原因", max_length=16, choices=StopReason.choices)
    note = models.CharField("说明", max_length=500, blank=True)
    stopped_on = models.DateField("暂停日期")
    restarted_on = models.DateField("恢复日期", null=True, blank=True)
    stopped_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    restarted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    days = models.PositiveIntegerField("暂停工作日数", null=True, blank=True)

    class Meta:
        verbose_name = "暂停计时"
        verbose_name_plural = "暂停计时"
        ordering = ["case", "stopped_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(restarted_on__isnull=True), name="one_open_stop"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_reason_display()} {self.stopped_on}"


class Extension(models.Model):
    """An approved extension: working days added to the limits, with the reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField("延期（工作日）")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("批准日期")
    old_due_on = models.DateField("原期限")
    new_due_on = models.DateField("新期限")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "延期"
        verbose_name_plural = "延期"
        ordering = ["case", "created_at"]

    def __str__(self) -> str:
        return f"{self.case} 延期{self.days}个工作日"


class ResultDocument(models.Model):
    """A document the conclusion produced (decision letter, certificate), generated as PDF."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField("文书名称", max_length=200)
    file = models.FileField("文件", upload_to="cases/results/%Y/%m/", max_length=300)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "结果文书"
        verbose_name_plural = "结果文书"

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """How the result reached the applicant (统一出件)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="delivery")
    method = models.CharField("出件方式", max_length=16, choices=DeliveryMethod.choices)
    window = models.ForeignKey(
        "orgs.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="出件窗口",
    )
    tracking_number = models.CharField("邮件单号", max_length=60, blank=True)
    address = models.CharField("送达地址", max_length=200, blank=True)
    ready_at = models.DateTimeField("待领取时间", null=True, blank=True)
    delivered_at = models.DateTimeField("出件时间", null=True, blank=True)
    handed_over_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_name = models.CharField("领取人", max_length=50, blank=True)

    class Meta:
        verbose_name = "出件"
        verbose_name_plural = "出件"
        indexes = [models.Index(fields=["method", "delivered_at"], name="delivery_method")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_method_display()}"


class Visit(models.Model):
    """One in-person visit of the applicant (or agent) for a case (跑动次数)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visit_records")
    purpose = models.CharField("事由", max_length=16, choices=VisitPurpose.choices)
    at = models.DateTimeField("时间")
    window = models.ForeignKey(
        "orgs.Window", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "到现场记录"
        verbose_name_plural = "到现场记录"
        ordering = ["case", "at"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_purpose_display()} {self.at:%Y-%m-%d}"


class CaseEvent(models.Model):
    """The case's ledger: every step, in order; what the applicant may see is flagged."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事件", max_length=32, choices=EventKind.choices)
    at = models.DateTimeField("时间")
    on = models.DateField("业务日期", help_text="事件所属日期（计时按此日期）")
    actor_label = models.CharField("操作人", max_length=100)
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    public = models.BooleanField("申请人可见", default=True)

    class Meta:
        verbose_name = "办件记录"
        verbose_name_plural = "办件记录"
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_order")]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


# Bundles (一件事一次办) live in their own module; imported here so Django sees the models.
from sanyi.cases.bundle_models import Bundle, BundleMember  # noqa: E402, F401
