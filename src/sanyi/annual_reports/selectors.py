"""Reading annual reports: who sees which, and the report as a document to show or export.

Disclosure officers see and write the reports of their unit and every unit below it;
supervisors read them. The public sees issued reports only (``public_reports``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from sanyi.annual_reports.choices import ReportScope, ReportStatus
from sanyi.annual_reports.compute import (
    FIGURE_ITEMS,
    CheckFailure,
    ReportData,
    cell_label,
    compute_report,
    report_checks,
)
from sanyi.annual_reports.layout import Table, report_tables
from sanyi.annual_reports.models import AnnualReport
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role, scope_q, scope_units

if TYPE_CHECKING:
    from sanyi.orgs.models import User

READ_ROLES = (Role.DISCLOSURE_OFFICER, Role.SUPERVISOR)
WRITE_ROLE = Role.DISCLOSURE_OFFICER


def can_read(viewer: User, unit: OrgUnit) -> bool:
    return has_role(viewer, READ_ROLES, unit)


def can_write(viewer: User, unit: OrgUnit) -> bool:
    return has_role(viewer, WRITE_ROLE, unit)


def writable_units(viewer: User) -> QuerySet[OrgUnit]:
    """Units the user may make reports for (active units in their officer scope)."""
    return scope_units(viewer, WRITE_ROLE).filter(is_active=True)


def annual_report_list(*, viewer: User, year: int | None = None, status: str = "") -> QuerySet:
    qs = AnnualReport.objects.filter(scope_q(viewer, READ_ROLES)).select_related("org_unit")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "org_unit__path", "-revision")


def history_check(viewer: User, object_id: str) -> bool:
    """Who may read a report's audit history (workbench history page): its readers."""
    from django.http import Http404

    report = (
        AnnualReport.objects.select_related("org_unit").filter(pk=int(object_id)).first()
        if str(object_id).isdigit()
        else None
    )
    if report is None:
        raise Http404("对象不存在")
    return can_read(viewer, report.org_unit)


def annual_report_get(*, viewer: User, pk: int) -> AnnualReport:
    """The report if the viewer may read it; ``AnnualReport.DoesNotExist`` otherwise."""
    return annual_report_list(viewer=viewer).select_related("issued_by", "previous").get(pk=pk)


def public_reports(*, unit: OrgUnit | None = None) -> QuerySet:
    """Issued reports in force (not superseded), newest year first."""
    qs = AnnualReport.objects.filter(status=ReportStatus.ISSUED).select_related("org_unit")
    if unit is not None:
        qs = qs.filter(org_unit=unit)
    return qs.order_by("-year", "org_unit__path")


def report_data(report: AnnualReport, *, today: dt.date | None = None) -> ReportData:
    """The stored snapshot of an issued report, or the figures computed now for a draft."""
    if report.snapshot is not None and not report.is_draft:
        return report.snapshot
    return compute_report(
        unit=report.org_unit,
        year=report.year,
        scope=report.scope,
        manual_figures=report.manual_figures,
        today=today,
    )


@dataclass
class ReportDocument:
    """Everything a format needs to draw one report."""

    title: str
    unit_name: str
    year: int
    data: ReportData
    failures: list[CheckFailure]
    tables: list[Table]
    overview: str = ""
    problems: str = ""
    other_matters: str = ""
    status: str = ReportStatus.DRAFT
    status_label: str = ReportStatus.DRAFT.label
    revision: int = 1
    revision_reason: str = ""
    issued_at: dt.datetime | None = None
    report: AnnualReport | None = None
    figure_notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def period_note(self) -> str:
        d = self.data
        scope = d.get("scope_label", "")
        if d.get("complete_year"):
            return f"统计期间：{self.year}年1月1日至12月31日。统计范围：{scope}。"
        end = dt.date.fromisoformat(d["period_end"])
        return (
            f"{self.year}年度尚未结束，本报告数字截至{end.year}年{end.month}月{end.day}日。"
            f"统计范围：{scope}。"
        )

    def as_dict(self) -> dict[str, Any]:
        """The machine-readable report (the JSON format and the API)."""
        return {
            "title": self.title,
            "unit": self.data.get("unit"),
            "year": self.year,
            "status": self.status,
            "revision": self.revision,
            "revision_reason": self.revision_reason,
            "issued_at": self.issued_at.isoformat() if self.issued_at else None,
            "period_note": self.period_note,
            "sections": {
                "overview": self.overview,
                "problems": self.problems,
                "other_matters": self.other_matters,
            },
            "data": self.data,
            "cell_labels": {key: cell_label(key) for key in self.data.get("cells", {})},
            "checks": {
                "passed": self.ok,
                "failures": [f.as_dict() for f in self.failures],
            },
        }


def _figure_notes(data: ReportData) -> list[dict[str, Any]]:
    notes = []
    for key, info in data.get("figures", {}).items():
        if info.get("source") == "manual" and key in FIGURE_ITEMS:
            item, name, _measure = FIGURE_ITEMS[key]
            notes.append(
                {
                    "key": key,
                    "label": f"{name}（{item}）",
                    "value": data["cells"].get(f"s2.{key}"),
                    "note": info.get("note", ""),
                    "system_value": info.get("system_value"),
                }
            )
    return notes


def build_document(data: ReportData, *, report: AnnualReport | None = None) -> ReportDocument:
    failures = report_checks(data)
    unit_name = data.get("unit", {}).get("name", "")
    year = data["year"]
    doc = ReportDocument(
        title=f"{unit_name}{year}年政府信息公开工作年度报告",
        unit_name=unit_name,
        year=year,
        data=data,
        failures=failures,
        tables=report_tables(data, failures),
        figure_notes=_figure_notes(data),
    )
    if report is not None:
        doc.report = report
        doc.overview, doc.problems, doc.other_matters = (
            report.overview,
            report.problems,
            report.other_matters,
        )
        doc.status, doc.status_label = report.status, report.get_status_display()
        doc.revision, doc.revision_reason = report.revision, report.revision_reason
        doc.issued_at = report.issued_at
    return doc


def report_document(report: AnnualReport, *, today: dt.date | None = None) -> ReportDocument:
    return build_document(report_data(report, today=today), report=report)


def adhoc_document(
    *, unit: OrgUnit, year: int, scope: str = ReportScope.SUBTREE, today: dt.date | None = None
) -> ReportDocument:
    """A report computed from the data alone, for a unit and year without a saved report."""
    return build_document(compute_report(unit=unit, year=year, scope=scope, today=today))


def latest_report(*, unit: OrgUnit, year: int) -> AnnualReport | None:
    """The issued report in force for the unit and year, else its draft."""
    qs = AnnualReport.objects.filter(org_unit=unit, year=year).select_related("org_unit")
    return (
        qs.filter(status=ReportStatus.ISSUED).first()
        or qs.filter(status=ReportStatus.DRAFT).first()
    )
