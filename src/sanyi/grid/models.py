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

    class Meta:
        verbose_name = "入户走访"
        verbose_name_plural = "入户走访"

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


class VisitCode(models.Model):
    """An SMS code sent to the resident's mobile on file to confirm a visit; only a salted
    hash is kept, as for the sign-in codes."""

    task = models.ForeignKey("cases.CaseTask", on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=128, editable=False)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "走访确认码"
        verbose_name_plural = "走访确认码"
        indexes = [models.Index(fields=["task", "created_at"], name="grid_code_task")]

    def __str__(self) -> str:
        return f"走访确认码 {self.pk}"


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
