"""Ratings of concluded cases, the rectification of bad ones, and appeals (申诉复核).

One rating per case (一事一评). A rating of 2 or below opens a rectification for the unit
that handled the case, with a deadline in working days and a return visit (回访). A unit may
appeal a bad rating it thinks wrong or malicious; a supervisor other than the one appealing
decides, and an upheld appeal takes the rating out of the statistics.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanyi.ratings.choices import (
    AppealStatus,
    RatingChannel,
    RatingLevel,
    RectificationStatus,
    ReturnVisitResult,
)

USER = settings.AUTH_USER_MODEL


class Rating(models.Model):
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="rating", verbose_name="办件"
    )
    applicant = models.ForeignKey(
        "applicants.Applicant", on_delete=models.PROTECT, related_name="ratings"
    )
    channel = models.CharField("评价渠道", max_length=8, choices=RatingChannel.choices)
    level = models.PositiveSmallIntegerField("总体评价", choices=RatingLevel.choices)
    criteria = models.JSONField("分项评价", default=dict, blank=True)
    comment = models.CharField("评价内容", max_length=500, blank=True)
    rated_at = models.DateTimeField("评价时间")
    rated_on = models.DateField("评价日期")
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="受理单位",
    )
    handling_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="办理单位",
    )
    item = models.ForeignKey(
        "catalog.ImplementationItem",
        on_delete=models.PROTECT,
        related_name="ratings",
        verbose_name="事项",
    )
    window = models.ForeignKey(
        "orgs.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name="窗口",
    )
    excluded = models.BooleanField(
        "不计入统计", default=False, help_text="申诉成立的差评不计入统计"
    )

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        indexes = [
            models.Index(fields=["unit", "rated_on"], name="rating_unit_day"),
            models.Index(fields=["handling_unit", "rated_on"], name="rating_handling_day"),
            models.Index(fields=["item", "rated_on"], name="rating_item_day"),
            models.Index(fields=["window", "rated_on"], name="rating_window_day"),
            models.Index(fields=["rated_on"], name="rating_day"),
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level <= 2


class Rectification(models.Model):
    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="rectification")
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name="整改单位",
    )
    status = models.CharField(
        "状态",
        max_length=12,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    opened_on = models.DateField("下发日期")
    due_on = models.DateField("整改期限")
    due_provisional = models.BooleanField("期限为暂定", default=False)
    return_visit_on = models.DateField("回访日期", null=True, blank=True)
    return_visit_result = models.CharField(
        "回访结果", max_length=12, choices=ReturnVisitResult.choices, blank=True
    )
    return_visit_note = models.TextField("回访记录", blank=True)
    return_visit_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    measures = models.TextField("整改措施", blank=True)
    completed_on = models.DateField("整改完成日期", null=True, blank=True)
    completed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "差评整改"
        verbose_name_plural = "差评整改"
        indexes = [models.Index(fields=["unit", "status", "due_on"], name="rectification_due")]

    def __str__(self) -> str:
        return f"{self.rating.case} 整改"


class RatingAppeal(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField("申诉理由")
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField("申诉时间")
    status = models.CharField(
        "状态", max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("复核时间", null=True, blank=True)
    decision_note = models.TextField("复核意见", blank=True)

    class Meta:
        verbose_name = "差评申诉"
        verbose_name_plural = "差评申诉"
        constraints = [
            models.UniqueConstraint(
                fields=["rating"], condition=Q(status="pending"), name="one_pending_appeal"
            )
        ]
        indexes = [models.Index(fields=["status", "filed_at"], name="appeal_status")]

    def __str__(self) -> str:
        return f"{self.rating.case} 申诉"
