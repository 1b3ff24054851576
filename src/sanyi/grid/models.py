"""Grid work (网格): the address rules that place applicants in a grid, and the doorstep
visits grid officers record for case steps.

A grid is an ``orgs.OrgUnit`` of kind ``grid``; its officers are the users holding the
``grid_officer`` role on it. Nothing here is a population register: the rules describe
addresses (streets and building ranges), and applicants are placed by the address they
gave themselves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

USER = settings.AUTH_USER_MODEL


class Parity(models.TextChoices):
    ALL = "all", "全部"
    ODD = "odd", "单号"
    EVEN = "even", "双号"


class AddressRule(models.Model):
    """One piece of a grid's boundary: a street, a range of door numbers (all, odd or even)
    and, optionally, a range of buildings (幢) at those numbers."""

    grid = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="网格"
    )
    street = models.CharField("道路", max_length=50)
    parity = models.CharField("单双号", max_length=4, choices=Parity.choices, default=Parity.ALL)
    number_from = models.PositiveIntegerField("起始门牌号")
    number_to = models.PositiveIntegerField("截止门牌号")
    building_from = models.PositiveIntegerField("起始幢号", null=True, blank=True)
    building_to = models.PositiveIntegerField("截止幢号", null=True, blank=True)
    created_at = models.DateTimeField("建立时间", auto_now_add=True)

    class Meta:
        verbose_name = "网格地址规则"
        verbose_name_plural = "网格地址规则"
        ordering = ["street", "number_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_from__lte=F("number_to")), name="grid_rule_number_range"
            ),
            models.CheckConstraint(
                condition=(Q(building_from__isnull=True) & Q(building_to__isnull=True))
                | Q(building_from__lte=F("building_to")),
                name="grid_rule_building_range",
            ),
        ]
        indexes = [models.Index(fields=["street"], name="grid_rule_street")]

    def __str__(self) -> str:
        return f"{self.street} {self.range_text}"

    @property
    def range_text(self) -> str:
        """ "1–99号单号" or "12号1–6幢", as the boundary is written down."""
        if self.number_from == self.number_to:
            text = f"{self.number_from}号"
        else:
            text = f"{self.number_from}–{self.number_to}号"
        if self.parity != Parity.ALL:
            text += Parity(self.parity).label
        if self.building_from is not None:
            text += f"{self.building_from}–{self.building_to}幢"
        return text


class Outcome(models.TextChoices):
    DONE = "done", "已核实，情况属实"
    DIFFERENT = "different", "已核实，情况与申请不符"
    DELIVERED = "delivered", "已送达"


class Confirmation(models.TextChoices):
    SMS = "sms", "短信验证码"
    SIGNATURE = "signature", "手写签名"


class Visit(models.Model):
    """A doorstep visit that completed one case step (入户调查, 核实, 送达)."""

    task = models.OneToOneField(
        "cases.CaseTask", on_delete=models.PROTECT, related_name="grid_visit", verbose_name="环节"
    )
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    visited_at = models.DateTimeField("走访时间")
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices)
    notes = models.TextField("情况记录", max_length=2000, blank=True)
    confirmation = models.CharField("居民确认方式", max_length=12, choices=Confirmation.choices)
    signature = models.FileField("居民签名", upload_to="grid/signatures/%Y/", blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    # The phone's draft key (Idempotency-Key) and a fingerprint of what it sent: sending
    # the same draft again answers with this visit instead of recording a second one.
    idempotency_key = models.CharField("幂等键", max_length=80, blank=True, default="")
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "入户走访"
        verbose_name_plural = "入户走访"
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="grid_visit_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"走访 {self.task_id}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to="grid/photos/%Y/", max_length=300)
    sha256 = models.CharField(max_length=64)
    location_kept = models.BooleanField("保留位置", default=False)

    class Meta:
        verbose_name = "走访照片"
        verbose_name_plural = "走访照片"

    def __str__(self) -> str:
        return f"走访照片 {self.pk}"


class ResidentCode(models.Model):
    """A one-time SMS code sent to a resident's mobile on file at the door: only a salted
    hash is kept, as for the sign-in codes (grid.services.resident_codes makes and checks
    them)."""

    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=128, editable=False)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        abstract = True


class VisitCode(ResidentCode):
    """A code confirming a doorstep visit."""

    task = models.ForeignKey("cases.CaseTask", on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "走访确认码"
        verbose_name_plural = "走访确认码"
        indexes = [models.Index(fields=["task", "created_at"], name="grid_code_task")]

    def __str__(self) -> str:
        return f"走访确认码 {self.pk}"


# --- event reports (事件上报) ---------------------------------------------------------------

# The clock rule: each unit the report reaches (the community first, then whoever it is
# routed to) has this many working days, counted from the day it arrives there.
EVENT_DAYS_PER_LEVEL = 5


class EventCategory(models.TextChoices):
    NEEDS_HELP = "needs_help", "困难群众、高龄独居需帮扶"
    FACILITY = "facility", "设施损坏"
    SANITATION = "sanitation", "环境卫生"
    SAFETY = "safety", "安全隐患"
    DISPUTE = "dispute", "矛盾纠纷"
    OTHER = "other", "其他"


class EventStatus(models.TextChoices):
    REPORTED = "reported", "待受理"
    ROUTED = "routed", "已转派，待受理"
    HANDLING = "handling", "处理中"
    CLOSED = "closed", "已办结"
    TO_CASE = "to_case", "已转办件"
    TO_OFFER = "to_offer", "已转主动服务"


OPEN_EVENT_STATUSES = (EventStatus.REPORTED, EventStatus.ROUTED, EventStatus.HANDLING)


class EventReport(models.Model):
    """A need or problem a grid officer saw in their grid and reported from the phone.

    It goes to the grid's community first (``unit``); whoever holds it accepts and handles
    it, routes it on (转派) to a unit above or to a department/station, turns it into a
    case, or into a proactive offer to the resident. Clock: ``due_on`` is
    ``EVENT_DAYS_PER_LEVEL`` (5) working days from ``arrived_on``, the day it reached its
    current unit; routing restarts it.
    """

    grid = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="网格"
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="当前办理单位"
    )
    reporter = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="上报人"
    )
    category = models.CharField("类别", max_length=16, choices=EventCategory.choices)
    title = models.CharField("标题", max_length=60)
    description = models.TextField("情况描述", max_length=2000)
    place = models.CharField("地点", max_length=200)
    applicant = models.ForeignKey(
        "applicants.Applicant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="涉及居民",
    )
    status = models.CharField(
        "状态", max_length=12, choices=EventStatus.choices, default=EventStatus.REPORTED
    )
    arrived_on = models.DateField("到达当前单位日期")
    due_on = models.DateField("办理期限")
    result = models.TextField("办理结果", max_length=2000, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="转为办件",
    )
    offer_item = models.CharField("提供的服务事项", max_length=200, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("上报时间", auto_now_add=True)

    class Meta:
        verbose_name = "网格事件"
        verbose_name_plural = "网格事件"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="grid_event_unit_status"),
            models.Index(fields=["grid", "status"], name="grid_event_grid_status"),
            models.Index(fields=["reporter", "created_at"], name="grid_event_reporter"),
        ]

    def __str__(self) -> str:
        return f"网格事件{self.pk}：{self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_EVENT_STATUSES


class EventPhoto(models.Model):
    event = models.ForeignKey(EventReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to="grid/events/%Y/", max_length=300)
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "事件照片"
        verbose_name_plural = "事件照片"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"事件照片 {self.pk}"


class EventAction(models.TextChoices):
    REPORT = "report", "上报"
    ACCEPT = "accept", "受理"
    ROUTE = "route", "转派"
    CLOSE = "close", "办结"
    TO_CASE = "to_case", "转为办件"
    OFFER = "offer", "转为主动服务"


class EventStep(models.Model):
    """One line of an event's history: who did what, where, when."""

    event = models.ForeignKey(EventReport, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("操作", max_length=12, choices=EventAction.choices)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="所在单位"
    )
    to_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="转派至",
    )
    note = models.TextField("说明", max_length=2000, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "事件办理记录"
        verbose_name_plural = "事件办理记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["actor", "event"], name="grid_event_step_actor")]

    def __str__(self) -> str:
        return f"{EventAction(self.action).label} {self.event_id}"


class AssistStatus(models.TextChoices):
    CONSENT = "consent", "等待居民同意"
    MATERIALS = "materials", "已同意，拍摄材料"
    SUBMITTED = "submitted", "已提交"


class ConsentMethod(models.TextChoices):
    SMS = "sms", "短信验证码"
    PHOTO = "photo", "签字授权书照片"


class Assist(models.Model):
    """Help to apply (帮办代办): a grid officer applying online for a resident of their grid,
    and the resident's consent to it. The case is opened once the resident consented; the
    consent (how, when, to whom, the photographed authorisation) is kept with it."""

    officer = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name="网格员"
    )
    grid = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="网格"
    )
    applicant = models.ForeignKey(
        "applicants.Applicant", on_delete=models.PROTECT, related_name="+", verbose_name="居民"
    )
    item = models.ForeignKey(
        "catalog.ImplementationItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="事项",
    )
    status = models.CharField(
        "状态", max_length=12, choices=AssistStatus.choices, default=AssistStatus.CONSENT
    )
    consent_method = models.CharField(
        "同意方式", max_length=8, choices=ConsentMethod.choices, blank=True
    )
    consented_at = models.DateTimeField("同意时间", null=True, blank=True)
    authorisation = models.FileField(
        "授权书照片", upload_to="grid/assist/%Y/", max_length=300, blank=True
    )
    authorisation_sha256 = models.CharField(max_length=64, blank=True)
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_assist",
        verbose_name="办件",
    )
    created_at = models.DateTimeField("开始时间", auto_now_add=True)

    class Meta:
        verbose_name = "网格员代办"
        verbose_name_plural = "网格员代办"
        indexes = [models.Index(fields=["officer", "-created_at"], name="grid_assist_officer")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="consent")
                | (~Q(consent_method="") & Q(consented_at__isnull=False) & Q(case__isnull=False)),
                name="grid_assist_consent_before_case",
            )
        ]

    def __str__(self) -> str:
        return f"网格员代办 {self.pk}"


class AssistCode(ResidentCode):
    """A code by which the resident consents to help to apply."""

    assist = models.ForeignKey(Assist, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "代办同意码"
        verbose_name_plural = "代办同意码"
        indexes = [models.Index(fields=["assist", "created_at"], name="grid_assist_code")]

    def __str__(self) -> str:
        return f"代办同意码 {self.pk}"


class HouseholdVisit(models.Model):
    """A routine visit to a household of the officer's grid (走访台账), not tied to a case.

    The household is an applicant the address mapping placed in the grid; nothing is
    collected about it beyond what was found and when to come back.
    """

    applicant = models.ForeignKey(
        "applicants.Applicant", on_delete=models.PROTECT, related_name="+", verbose_name="住户"
    )
    # The grid at the time of the visit: figures per grid stay put when a household moves.
    grid = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="网格"
    )
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    visited_at = models.DateTimeField("走访时间")
    notes = models.TextField("走访情况", max_length=2000, blank=True)
    follow_up = models.BooleanField("需要跟进", default=False)
    next_due_on = models.DateField("下次走访日期")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "走访台账"
        verbose_name_plural = "走访台账"
        ordering = ["-visited_at", "-id"]
        indexes = [
            # The household's log and its latest visit (the next due date).
            models.Index(fields=["applicant", "-visited_at"], name="grid_hvisit_household"),
            # Supervision: visits per grid and per officer in a period.
            models.Index(fields=["grid", "visited_at"], name="grid_hvisit_grid"),
            models.Index(fields=["officer", "visited_at"], name="grid_hvisit_officer"),
        ]

    def __str__(self) -> str:
        return f"走访台账 {self.pk}"
