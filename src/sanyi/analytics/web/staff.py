"""Workbench pages of the dashboard (URL namespace workbench:analytics, under
/workbench/analytics/): the dashboard, its print view and Excel export, and the cases
behind a figure."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from sanyi.analytics import services
from sanyi.analytics.dashboard import Dashboard, Filters, dashboard, kpis, may_view, scope_label
from sanyi.analytics.definitions import DRILLS
from sanyi.analytics.drilldown import drill_cases
from sanyi.analytics.services.export import TABLE_COLUMNS, table_values
from sanyi.analytics.web.forms import DashboardForm, DrillForm
from sanyi.core.pagination import CappedPaginator
from sanyi.orgs.models import User

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _viewer(request) -> User:
    if not may_view(request.user):
        raise PermissionDenied("只有督查人员和审批人员可以查看数据驾驶舱")
    return request.user


def drill_url(filters: Filters, measure: str, **narrow: Any) -> str:
    params = {**filters.query(), "measure": measure}
    params.update({k: str(v) for k, v in narrow.items() if v})
    params.pop("level", None)
    return f"{reverse('workbench:analytics:cases')}?{urlencode(params)}"


def chart_data(board: Dashboard) -> dict[str, Any]:
    """What dashboard.js draws (read from a json_script element, never inline script)."""
    return {
        "days": [
            f"{p.day:%m-%d}" if board.grain == "day" else f"{p.day:%Y-%m}" for p in board.days
        ],
        "received": [p.received for p in board.days],
        "accepted": [p.accepted for p in board.days],
        "concluded": [p.concluded for p in board.days],
        "channels": [{"name": label, "value": n} for _c, label, n in board.channels],
        "units": [r.unit.name for r in board.units],
        "units_on_time": [r.figures.on_time_promised for r in board.units],
        "units_good": [r.figures.good_rate for r in board.units],
    }


def _context(request, viewer: User, form: DashboardForm) -> dict[str, Any]:
    filters = form.filters()
    board = dashboard(viewer, filters)
    cards = [(k, drill_url(filters, k.drill) if k.drill else "") for k in kpis(board)]
    units = [
        (r, table_values(r.figures), drill_url(filters, "received", unit=r.unit.pk))
        for r in board.units
    ]
    items = [
        (r, table_values(r.figures), drill_url(filters, "received", item=r.item.pk))
        for r in board.items
    ]
    query = urlencode(filters.query())
    return {
        "form": form,
        "board": board,
        "cards": cards,
        "units": units,
        "items": items,
        "columns": TABLE_COLUMNS,
        "chart": chart_data(board),
        "scope_label": scope_label(viewer, filters),
        "query": query,
        "day_drills": {m: drill_url(filters, m) for m in ("received", "accepted", "concluded")},
    }


def dashboard_page(request):
    """KPI cards, charts (each with its table), the per-unit and item tables."""
    viewer = _viewer(request)
    form = DashboardForm(request.GET or None, viewer=viewer)
    context = _context(request, viewer, form)
    return render(request, "analytics/dashboard.html", context, status=400 if form.errors else 200)


def dashboard_print(request):
    """The same figures as tables only, laid out for paper."""
    viewer = _viewer(request)
    form = DashboardForm(request.GET or None, viewer=viewer)
    context = {**_context(request, viewer, form), "printing": True}
    return render(request, "analytics/dashboard.html", context)


def dashboard_export(request):
    viewer = _viewer(request)
    form = DashboardForm(request.GET or None, viewer=viewer)
    filters = form.filters()
    data = services.dashboard_export(
        viewer=viewer, filters=filters, scope_label=scope_label(viewer, filters)
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''dashboard-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.xlsx"
    )
    return response


def drill_page(request):
    """The cases behind one figure, with the dashboard's filters, 50 a page."""
    viewer = _viewer(request)
    form = DrillForm(request.GET or None, viewer=viewer)
    measure = form.cleaned_data.get("measure") if form.is_valid() else None
    if not measure:
        return render(request, "analytics/cases.html", {"form": form, "page": None}, status=400)
    filters = form.filters()
    cases = drill_cases(viewer, measure=measure, filters=filters)
    page = CappedPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "analytics/cases.html",
        {
            "form": form,
            "page": page,
            "drill": DRILLS[measure],
            "filters": filters,
            "scope_label": scope_label(viewer, filters),
            "query": query.urlencode(),
            "back": f"{reverse('workbench:analytics:dashboard')}?{urlencode(filters.query())}",
        },
    )
