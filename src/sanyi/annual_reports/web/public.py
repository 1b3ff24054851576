"""Issued annual reports on the disclosure portal (/open/annual-reports/).

Only issued reports in force are public; drafts and superseded revisions never are. The
page shows the stored figures of the issued report, with the PDF to download.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sanyi.annual_reports.models import AnnualReport
from sanyi.annual_reports.selectors import public_reports, report_document
from sanyi.annual_reports.web.staff import report_response


@require_safe
def report_list(request):
    reports = list(public_reports()[:500])
    years: dict[int, list[AnnualReport]] = {}
    for report in reports:
        years.setdefault(report.year, []).append(report)
    return render(
        request, "annual_reports/public/list.html", {"years": sorted(years.items(), reverse=True)}
    )


def _public_or_404(pk: int) -> AnnualReport:
    try:
        return public_reports().get(pk=pk)
    except AnnualReport.DoesNotExist:
        raise Http404("没有这份年度报告") from None


@require_safe
def report_detail(request, pk: int):
    report = _public_or_404(pk)
    return render(
        request,
        "annual_reports/public/detail.html",
        {"report": report, "doc": report_document(report)},
    )


@require_safe
def report_pdf(request, pk: int):
    return report_response(report_document(_public_or_404(pk)), "pdf", inline=True)
