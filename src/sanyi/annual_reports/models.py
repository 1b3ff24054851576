"""The statutory annual report on government information disclosure (国办公开办函〔2021〕30号).

A report belongs to one org unit and one year. While it is a draft its figures are computed
from the live data every time it is shown; issuing stores the computed figures
(``snapshot``) so the issued report never changes when the data does. A correction is a
new revision (a new draft copied from the issued one, with a reason); issuing it marks the
earlier one superseded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from sanyi.annual_reports.choices import ReportScope, ReportStatus


class AnnualReport(models.Model):
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name="报告单位",
    )
    year = models.PositiveSmallIntegerField("年度")
    revision = models.PositiveSmallIntegerField("版本", default=1)
    scope = models.CharField(
        "统计范围", max_length=12, choices=ReportScope.choices, default=ReportScope.SUBTREE
    )
    status = models.CharField(
        "状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    overview = models.TextField("一、总体情况", blank=True)
    problems = models.TextField("五、存在的主要问题及改进情况", blank=True)
    other_matters = models.TextField("六、其他需要报告的事项", blank=True)
    notes = models.TextField("备注", blank=True, help_text="内部备注，不出现在报告正文中")
    # {figure code: {"value": "12" | "3.5", "note": "来源说明"}}, see choices.Figure.
    manual_figures = models.JSONField("手工填写的数字", default=dict, blank=True)
    snapshot = models.JSONField("发布时的统计结果", null=True, blank=True, editable=False)
    revision_reason = models.TextField("修订原因", blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name="上一版本",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    issued_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政府信息公开年度报告"
        verbose_name_plural = "政府信息公开年度报告"
        ordering = ["-year", "org_unit__path", "-revision"]
        indexes = [
            models.Index(fields=["year", "status"], name="annual_report_year_status"),
            models.Index(fields=["status", "org_unit", "year"], name="annual_report_public"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "revision"], name="annual_report_unit_year_revision"
            ),
            models.UniqueConstraint(
                fields=["org_unit", "year"],
                condition=Q(status=ReportStatus.DRAFT),
                name="annual_report_one_draft",
            ),
            models.UniqueConstraint(
                fields=["org_unit", "year"],
                condition=Q(status=ReportStatus.ISSUED),
                name="annual_report_one_issued",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2008) & Q(year__lte=2100), name="annual_report_year_range"
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT)
                | (Q(snapshot__isnull=False) & Q(issued_at__isnull=False)),
                name="annual_report_issued_has_snapshot",
            ),
        ]

    def __str__(self) -> str:
        rev = f"（第{self.revision}版）" if self.revision > 1 else ""
        return f"{self.org_unit.name}{self.year}年政府信息公开工作年度报告{rev}"

    def get_absolute_url(self) -> str:
        return reverse("workbench:annual_reports:detail", args=[self.pk])

    @property
    def title(self) -> str:
        return f"{self.org_unit.name}{self.year}年政府信息公开工作年度报告"

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT
