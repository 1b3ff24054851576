"""Staff pages of the annual report (/workbench/open/reports/).

Disclosure officers of a unit or above write its reports; supervisors read them. A report
outside the viewer's scope does not exist for them (404); every change goes through one
service, which checks the role and the status again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from sanyi.annual_reports import services
from sanyi.annual_reports.choices import ReportStatus
from sanyi.annual_reports.compute import FIGURE_ITEMS
from sanyi.annual_reports.formats import FORMATS, filename
from sanyi.annual_reports.models import AnnualReport
from sanyi.annual_reports.selectors import (
    READ_ROLES,
    annual_report_get,
    annual_report_list,
    can_write,
    report_document,
    writable_units,
)
from sanyi.annual_reports.web.forms import ReportCreateForm, ReportEditForm, ReviseForm
from sanyi.core import responses
from sanyi.core.forms import apply_service_errors
from sanyi.orgs.permissions import scope_paths


def _require_reader(request) -> None:
    if not scope_paths(request.user, READ_ROLES):
        raise PermissionDenied("只有政务公开工作人员和监督人员可以查看年度报告")


def _report_or_404(request, pk: int) -> AnnualReport:
    _require_reader(request)
    try:
        return annual_report_get(viewer=request.user, pk=pk)
    except AnnualReport.DoesNotExist:
        raise Http404("年度报告不存在或不在您的管理范围内") from None


def _require_writer(request, report: AnnualReport) -> None:
    if not can_write(request.user, report.org_unit):
        raise PermissionDenied("只有本单位或上级单位的政务公开工作人员可以修改年度报告")


def _error_text(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@require_safe
def report_list(request):
    _require_reader(request)
    units = writable_units(request.user)
    form = ReportCreateForm(units=units) if units.exists() else None
    reports = list(annual_report_list(viewer=request.user)[:200])
    return render(
        request,
        "annual_reports/staff/list.html",
        {"reports": reports, "form": form},
    )


@require_POST
def report_create(request):
    _require_reader(request)
    units = writable_units(request.user)
    form = ReportCreateForm(request.POST, units=units)
    if form.is_valid():
        try:
            report = services.annual_report_create(
                actor=request.user,
                org_unit=form.cleaned_data["org_unit"],
                year=form.cleaned_data["year"],
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "已新建年度报告草稿。数字按现有数据自动统计，请填写正文。")
            return redirect("workbench:annual_reports:detail", pk=report.pk)
    reports = list(annual_report_list(viewer=request.user)[:200])
    return render(
        request,
        "annual_reports/staff/list.html",
        {"reports": reports, "form": form},
        status=400,
    )


@require_safe
def report_detail(request, pk: int):
    report = _report_or_404(request, pk)
    doc = report_document(report)
    return render(
        request,
        "annual_reports/staff/detail.html",
        {
            "report": report,
            "doc": doc,
            "can_write": can_write(request.user, report.org_unit),
            "formats": FORMATS.values(),
            "revise_form": ReviseForm(),
            "revisions": AnnualReport.objects.filter(
                org_unit=report.org_unit, year=report.year
            ).order_by("-revision"),
        },
    )


def report_edit(request, pk: int):
    report = _report_or_404(request, pk)
    _require_writer(request, report)
    if report.status != ReportStatus.DRAFT:
        messages.error(request, "已发布的报告不能修改；如需更正，请新建修订版。")
        return redirect("workbench:annual_reports:detail", pk=report.pk)
    if request.method == "POST":
        form = ReportEditForm(request.POST)
        if form.is_valid():
            try:
                services.annual_report_update(
                    actor=request.user,
                    report=report,
                    scope=form.cleaned_data["scope"],
                    overview=form.cleaned_data["overview"],
                    problems=form.cleaned_data["problems"],
                    other_matters=form.cleaned_data["other_matters"],
                    notes=form.cleaned_data["notes"],
                    figures=form.figures(),
                )
            except ValidationError as exc:
                renamed = ValidationError(
                    {
                        (f"figure_{k}" if k in FIGURE_ITEMS else k): v
                        for k, v in exc.message_dict.items()
                    }
                )
                apply_service_errors(form, renamed)
            else:
                messages.success(request, "已保存。")
                return redirect("workbench:annual_reports:detail", pk=report.pk)
    elif request.method in ("GET", "HEAD"):
        form = ReportEditForm.for_report(report)
    else:
        return HttpResponse(status=405)
    doc = report_document(report)
    form.show_system_values(doc.data)
    return render(
        request,
        "annual_reports/staff/edit.html",
        {"report": report, "form": form, "doc": doc},
        status=400 if form.errors else 200,
    )


@require_POST
def report_issue(request, pk: int):
    report = _report_or_404(request, pk)
    _require_writer(request, report)
    try:
        services.annual_report_issue(actor=request.user, report=report)
    except ValidationError as exc:
        for message in _error_text(exc):
            messages.error(request, message)
    else:
        messages.success(request, "年度报告已发布，数字已固定；门户网站上可以查看。")
    return redirect("workbench:annual_reports:detail", pk=report.pk)


@require_POST
def report_revise(request, pk: int):
    report = _report_or_404(request, pk)
    _require_writer(request, report)
    form = ReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明修订原因。")
        return redirect("workbench:annual_reports:detail", pk=report.pk)
    try:
        draft = services.annual_report_revise(
            actor=request.user, report=report, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        for message in _error_text(exc):
            messages.error(request, message)
        return redirect("workbench:annual_reports:detail", pk=report.pk)
    messages.success(request, f"已新建第{draft.revision}版修订稿。发布前，原报告仍在网站上公开。")
    return redirect("workbench:annual_reports:detail", pk=draft.pk)


@require_POST
def report_discard(request, pk: int):
    report = _report_or_404(request, pk)
    _require_writer(request, report)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "请先勾选“确认删除这份草稿”。")
        return redirect("workbench:annual_reports:detail", pk=report.pk)
    try:
        services.annual_report_discard(actor=request.user, report=report)
    except ValidationError as exc:
        for message in _error_text(exc):
            messages.error(request, message)
        return redirect("workbench:annual_reports:detail", pk=report.pk)
    messages.success(request, "草稿已删除。")
    return redirect("workbench:annual_reports:list")


@require_safe
def report_download(request, pk: int, fmt: str):
    report = _report_or_404(request, pk)
    if fmt not in FORMATS:
        raise Http404("没有这种格式")
    doc = report_document(report)
    return report_response(doc, fmt)


def report_response(doc, fmt: str, *, inline: bool = False) -> HttpResponse:
    spec = FORMATS[fmt]
    return responses.file_response(
        spec.render(doc), filename(doc, spec), spec.content_type, fallback="", inline=inline
    )
