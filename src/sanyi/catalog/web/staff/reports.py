"""Catalogue figures for its admins: guide quality, the reduction report and the searches
that found nothing."""

from __future__ import annotations

import datetime as dt
import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import render
from django.utils import timezone

from sanyi.catalog.admin_selectors import admin_units
from sanyi.catalog.choices import ItemLevel, VersionStatus
from sanyi.catalog.indexing import SEARCH_KINDS
from sanyi.catalog.lint import RULES_BY_CODE, Severity
from sanyi.catalog.reports import (
    CASE_COLUMNS,
    FIGURE_COLUMNS,
    SHARE_KEYS,
    reduction_report,
    reduction_report_xlsx,
    share_text,
)
from sanyi.catalog.selectors import catalog_lint, catalog_quality_summary
from sanyi.catalog.web.forms import path_label
from sanyi.catalog.web.staff.access import require_catalog_admin
from sanyi.core.responses import XLSX, file_response
from sanyi.orgs.models import OrgUnit
from sanyi.search.selectors import (
    POOR_RESULT_RULE,
    can_edit_synonyms,
    poor_result_queries,
    synonym_terms,
)

QUALITY_STATUSES = [
    (VersionStatus.PUBLISHED.value, "已发布的指南"),
    (VersionStatus.DRAFT.value, "草稿和待审核"),
]
DRILL_DOWN_MAX = 200


class QualityFilterForm(forms.Form):
    status = forms.ChoiceField(label="检查范围", choices=QUALITY_STATUSES, required=False)
    rule = forms.ChoiceField(label="规则", required=False)
    unit = forms.IntegerField(label="实施主体", required=False, min_value=1)
    level = forms.ChoiceField(
        label="行使层级", required=False, choices=[("", "（全部）"), *ItemLevel.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", "（全部）")] + [
            (code, f"{code} {rule.title}") for code, rule in RULES_BY_CODE.items()
        ]


def quality(request):
    """Counts of lint findings by rule, implementing unit and level; the drill-down lists
    the versions with problems for the chosen rule, unit or level."""
    require_catalog_admin(request)
    form = QualityFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or VersionStatus.PUBLISHED
    summary = catalog_quality_summary(viewer=request.user, status=status)
    drill = None
    if data.get("rule") or data.get("unit") or data.get("level"):
        drill = []
        for version, findings in catalog_lint(viewer=request.user, status=status):
            item = version.implementation_item
            if data.get("unit") and item.implementing_unit_id != data["unit"]:
                continue
            if data.get("level") and item.level != data["level"]:
                continue
            if data.get("rule"):
                findings = [f for f in findings if f.code == data["rule"]]
            if not findings:
                continue
            drill.append(
                {
                    "version": version,
                    "findings": [{"finding": f, "field": path_label(f.path)} for f in findings],
                    "errors": sum(f.severity == Severity.ERROR for f in findings),
                }
            )
    in_scope = set(admin_units(request.user).values_list("pk", flat=True))
    return render(
        request,
        "catalog/staff/quality.html",
        {
            "form": form,
            "status": status,
            "summary": summary,
            "drill": drill[:DRILL_DOWN_MAX] if drill is not None else None,
            "drill_total": len(drill) if drill is not None else 0,
            "in_scope": in_scope,
        },
    )


class ReductionFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="单位（含下级）", queryset=OrgUnit.objects.none(), required=False, empty_label="全区"
    )
    level = forms.ChoiceField(
        label="行使层级", required=False, choices=[("", "（全部）"), *ItemLevel.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The published catalogue is public, so any unit may be chosen, not only one's own.
        self.fields["unit"].queryset = OrgUnit.objects.filter(is_active=True).order_by("path")
        self.fields["unit"].label_from_instance = lambda u: "　" * u.depth + u.name


def reduction(request):
    """The reduction report on screen, or as JSON / Excel with ``?format=json|xlsx``."""
    require_catalog_admin(request)
    form = ReductionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    report = reduction_report(
        viewer=request.user, unit=data.get("unit"), level=data.get("level") or None
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    fmt = request.GET.get("format")
    if fmt == "json":
        return file_response(
            json.dumps(report.as_dict(), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
            f"reduction-report-{stamp}.json",
            "application/json; charset=utf-8",
            nosniff=False,
        )
    if fmt == "xlsx":
        return file_response(
            reduction_report_xlsx(report), f"reduction-report-{stamp}.xlsx", XLSX, nosniff=False
        )
    query = request.GET.copy()
    query.pop("format", None)
    total = report.as_dict()["total"]
    return render(
        request,
        "catalog/staff/reduction.html",
        {
            "form": form,
            "report": report,
            "total_rows": [(label, _shown(key, total[key])) for key, label in FIGURE_COLUMNS],
            "case_rows": [
                (label, _shown(key, report.cases[key]))
                for key, label in CASE_COLUMNS
                if key in report.cases
            ],
            "by_unit": [_shown_row(row) for row in report.by_unit],
            "by_level": [_shown_row(row) for row in report.by_level],
            "columns": FIGURE_COLUMNS,
            "query": query.urlencode(),
        },
    )


def _shown(key: str, value):
    """Shares as percent on the page (the data and the JSON keep fractions)."""
    return share_text(value) if key in SHARE_KEYS else value


def _shown_row(row: dict) -> dict:
    return {key: _shown(key, value) for key, value in row.items()}


ZERO_RESULT_PERIODS = {"7": 7, "30": 30, "90": 90}


def zero_results(request):
    """What residents searched the catalogue for and did not find, or found only items
    that mention the words somewhere (poor results); a synonym is added from each row."""
    require_catalog_admin(request)
    days = ZERO_RESULT_PERIODS.get(request.GET.get("days", ""), 30)
    since = timezone.now() - dt.timedelta(days=days)
    rows = poor_result_queries(viewer=request.user, since=since, limit=200, kinds=SEARCH_KINDS)
    existing = synonym_terms(texts=[r.text for r in rows])
    return render(
        request,
        "catalog/staff/zero_results.html",
        {
            "rows": [(row, existing.get(row.text)) for row in rows],
            "days": days,
            "periods": list(ZERO_RESULT_PERIODS.values()),
            "can_edit": can_edit_synonyms(request.user),
            "rule": POOR_RESULT_RULE,
        },
    )
