"""Writing annual reports: create a draft, edit its text and hand-entered figures, issue it
(frozen, after its checks pass), and make a new revision of an issued one.

A staff actor must be a disclosure officer of the report's unit or a unit above it; a
string actor ("系统：演示数据") is the system itself. Every write leaves an audit row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from sanyi.annual_reports.choices import ReportScope, ReportStatus
from sanyi.annual_reports.compute import (
    FIGURE_ITEMS,
    compute_report,
    format_money,
    parse_figure,
    report_checks,
    report_period,
)
from sanyi.annual_reports.models import AnnualReport
from sanyi.annual_reports.selectors import can_write
from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor, actor_user, is_user
from sanyi.core.transitions import locked
from sanyi.orgs.models import OrgUnit

TEXT_FIELDS = ["overview", "problems", "other_matters", "notes"]
TEXT_LIMIT = 20000


def _require_officer(actor: Actor, unit: OrgUnit) -> None:
    if not is_user(actor):
        return
    if not can_write(actor, unit):
        raise PermissionDenied("只有本单位或上级单位的政务公开工作人员可以编写年度报告")


def _locked(report: AnnualReport) -> AnnualReport:
    return locked(AnnualReport, report.pk, related=("org_unit",))


def _require_draft(report: AnnualReport, doing: str) -> None:
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(
            {"status": f"“{report.get_status_display()}”的报告不能{doing}；如需更正，请新建修订版"}
        )


@transaction.atomic
def annual_report_create(
    *,
    actor: Actor,
    org_unit: OrgUnit,
    year: int,
    scope: str = ReportScope.SUBTREE,
    today: dt.date | None = None,
) -> AnnualReport:
    """A new draft for the unit and year (one report per unit and year; corrections of an
    issued report are revisions)."""
    _require_officer(actor, org_unit)
    if not org_unit.is_active:
        raise ValidationError({"org_unit": "该单位已撤销，不能新建年度报告"})
    report_period(year, today)  # validates the year
    if scope not in ReportScope.values:
        raise ValidationError({"scope": "请选择统计范围"})
    existing = AnnualReport.objects.filter(org_unit=org_unit, year=year).first()
    if existing is not None:
        raise ValidationError(
            {"year": f"{org_unit.name}{year}年的年度报告已经存在，请打开原报告编辑或新建修订版"}
        )
    report = AnnualReport(
        org_unit=org_unit, year=year, scope=scope, created_by=actor_user(actor), revision=1
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError({"year": f"{org_unit.name}{year}年的年度报告已经存在"}) from None
    audit_record(
        actor=actor,
        action="annual_report.create",
        obj=report,
        changes={"year": [None, year], "scope": [None, scope]},
    )
    return report


def _clean_figures(figures: dict[str, Any]) -> dict[str, dict[str, str]]:
    cleaned: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    for key, entry in figures.items():
        if key not in FIGURE_ITEMS:
            errors[key] = "没有这一项数字"
            continue
        entry = entry or {}
        raw = str(entry.get("value") if entry.get("value") is not None else "").strip()
        note = str(entry.get("note") or "").strip()
        try:
            value = parse_figure(key, raw)
        except ValidationError as exc:
            errors[key] = exc.message_dict[key][0]
            continue
        if value is None:
            continue
        if not note:
            errors[key] = f"{FIGURE_ITEMS[key][1]}：手工填写的数字须注明数据来源"
            continue
        if len(note) > 500:
            errors[key] = f"{FIGURE_ITEMS[key][1]}：说明最多500字"
            continue
        text = str(value) if isinstance(value, int) else format_money(value)
        cleaned[key] = {"value": text, "note": note}
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def annual_report_update(
    *,
    actor: Actor,
    report: AnnualReport,
    overview: str | None = None,
    problems: str | None = None,
    other_matters: str | None = None,
    notes: str | None = None,
    scope: str | None = None,
    figures: dict[str, Any] | None = None,
) -> AnnualReport:
    """Change a draft's text sections, scope or hand-entered figures (only what is given;
    ``figures`` replaces all hand-entered figures: a blank value removes one)."""
    report = _locked(report)
    _require_officer(actor, report.org_unit)
    _require_draft(report, "修改")
    fields = [*TEXT_FIELDS, "scope", "manual_figures"]
    before = snapshot(report, fields)
    for name, value in (
        ("overview", overview),
        ("problems", problems),
        ("other_matters", other_matters),
        ("notes", notes),
    ):
        if value is not None:
            value = value.strip()
            if len(value) > TEXT_LIMIT:
                raise ValidationError({name: f"最多{TEXT_LIMIT}字"})
            setattr(report, name, value)
    if scope is not None:
        if scope not in ReportScope.values:
            raise ValidationError({"scope": "请选择统计范围"})
        report.scope = scope
    if figures is not None:
        report.manual_figures = _clean_figures(figures)
    changes = diff(before, snapshot(report, fields))
    if changes:
        report.save(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, action="annual_report.update", obj=report, changes=changes)
    return report


@transaction.atomic
def annual_report_issue(
    *, actor: Actor, report: AnnualReport, today: dt.date | None = None
) -> AnnualReport:
    """Issue a draft: compute its figures, refuse while a check fails, store the figures so
    the issued report never changes, and retire the revision it replaces."""
    report = _locked(report)
    _require_officer(actor, report.org_unit)
    _require_draft(report, "发布")
    period = report_period(report.year, today)
    if not period.complete:
        raise ValidationError(
            {"year": f"{report.year}年度尚未结束，年度报告须在次年1月1日以后发布"}
        )
    required = (("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况"))
    missing = [label for name, label in required if not getattr(report, name).strip()]
    data = compute_report(
        unit=report.org_unit,
        year=report.year,
        scope=report.scope,
        manual_figures=report.manual_figures,
        today=today,
    )
    # Everything that stops the issue, at once: the officer fixes it in one go.
    errors: dict[str, list[str]] = {}
    if missing:
        errors["overview"] = ["请先填写：" + "、".join(missing)]
    failures = report_checks(data)
    if failures:
        errors["__all__"] = [f.message for f in failures]
    if errors:
        raise ValidationError(errors)
    replaced = list(
        AnnualReport.objects.select_for_update().filter(
            org_unit=report.org_unit, year=report.year, status=ReportStatus.ISSUED
        )
    )
    for old in replaced:
        old.status = ReportStatus.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="annual_report.supersede",
            obj=old,
            changes={"status": [ReportStatus.ISSUED, ReportStatus.SUPERSEDED]},
            note=f"被第{report.revision}版替代",
        )
    report.snapshot = data
    report.status = ReportStatus.ISSUED
    report.issued_at = timezone.now()
    report.issued_by = actor_user(actor)
    report.save(update_fields=["snapshot", "status", "issued_at", "issued_by", "updated_at"])
    audit_record(
        actor=actor,
        action="annual_report.issue",
        obj=report,
        changes={"status": [ReportStatus.DRAFT, ReportStatus.ISSUED]},
        note=f"统计截至{data['period_end']}",
    )
    return report


@transaction.atomic
def annual_report_revise(*, actor: Actor, report: AnnualReport, reason: str) -> AnnualReport:
    """A new draft revision of an issued report, with its text and figures, and the reason.
    The issued report stays public until the revision is issued."""
    report = _locked(report)
    _require_officer(actor, report.org_unit)
    if report.status != ReportStatus.ISSUED:
        raise ValidationError({"status": "只有已发布的报告可以新建修订版"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明修订原因"})
    if len(reason) > 2000:
        raise ValidationError({"reason": "修订原因最多2000字"})
    if AnnualReport.objects.filter(
        org_unit=report.org_unit, year=report.year, status=ReportStatus.DRAFT
    ).exists():
        raise ValidationError({"reason": "该年度已有一份未发布的修订稿，请先完成它"})
    last = AnnualReport.objects.filter(org_unit=report.org_unit, year=report.year).aggregate(
        n=Max("revision")
    )["n"]
    draft = AnnualReport.objects.create(
        org_unit=report.org_unit,
        year=report.year,
        revision=last + 1,
        scope=report.scope,
        overview=report.overview,
        problems=report.problems,
        other_matters=report.other_matters,
        notes=report.notes,
        manual_figures=report.manual_figures,
        revision_reason=reason,
        previous=report,
        created_by=actor_user(actor),
    )
    audit_record(
        actor=actor,
        action="annual_report.revise",
        obj=draft,
        changes={"revision": [report.revision, draft.revision]},
        note=reason,
    )
    return draft


@transaction.atomic
def annual_report_discard(*, actor: Actor, report: AnnualReport) -> None:
    """Delete a draft that was never issued (the audit trail keeps the record of it)."""
    report = _locked(report)
    _require_officer(actor, report.org_unit)
    _require_draft(report, "删除")
    audit_record(actor=actor, action="annual_report.discard", obj=report)
    report.delete()
