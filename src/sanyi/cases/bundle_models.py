"""Bundles (一件事一次办): one application for a life event, one receipt, one tracking page.

Behind a bundle each member item is its own ``Case``, routed to its own unit with its own
clocks; ``BundleMember`` links them, in order, with the member each waits for. A member that
waits starts (is submitted) when the earlier one concludes, with the earlier result document
as its material (docs/cases-applying.md, "One application per life event").
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Bundle(models.Model):
    number = models.CharField("一件事申请编号", max_length=40, unique=True)
    applicant = models.ForeignKey(
        "applicants.Applicant",
        on_delete=models.PROTECT,
        related_name="bundles",
        verbose_name="申请人",
    )
    life_event = models.ForeignKey(
        "catalog.LifeEvent", on_delete=models.PROTECT, related_name="bundles", verbose_name="一件事"
    )
    answers = models.JSONField("共用字段回答", default=dict, blank=True)
    start_key = models.CharField("提交幂等键", max_length=80, blank=True, default="")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = "一件事申请"
        verbose_name_plural = "一件事申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "start_key"],
                condition=~Q(start_key=""),
                name="bundle_start_once",
            )
        ]
        indexes = [models.Index(fields=["applicant", "-created_at"], name="bundle_applicant")]

    def __str__(self) -> str:
        return self.number


class BundleMember(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="members")
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="bundle_member", verbose_name="办件"
    )
    position = models.PositiveSmallIntegerField("顺序")
    waits_for = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waiting",
        verbose_name="等待前序办件",
    )
    carries = models.CharField("前序结果作为本事项材料", max_length=300, blank=True)
    started_at = models.DateTimeField("开始办理时间", null=True, blank=True)
    stopped_note = models.CharField("未能开始的原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "一件事申请中的办件"
        verbose_name_plural = "一件事申请中的办件"
        ordering = ["bundle", "position", "id"]

    def __str__(self) -> str:
        return f"{self.bundle.number} #{self.position}"
