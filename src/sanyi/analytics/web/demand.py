"""Workbench pages of demand analysis, under /workbench/demand/ (URL namespace
workbench:demand): 需求分析 (searches, the funnel per item, where online applicants give
up, channel shift, peak hours at the windows) and 改进建议 (suggestions for catalogue
administrators). Catalogue admins and supervisors, each for the items and centres of
their scope (analytics.demand)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sanyi.analytics import demand as d
from sanyi.analytics.recommendations import recommendations
from sanyi.search.selectors import POOR_RESULT_RULE, poor_result_queries, top_queries

# The periods offered, in days; 30 unless another is asked for.
PERIODS = (7, 30, 90, 365)
QUERY_ROWS = 30


def period_of(request: HttpRequest) -> d.Period:
    try:
        days = int(request.GET.get("days", ""))
    except ValueError:
        days = 30
    return d.Period(days=days if days in PERIODS else 30, now=timezone.now())


def demand(request) -> HttpResponse:
    """The demand figures of the chosen period for the viewer's scope."""
    viewer = request.user
    d.require_demand_reader(viewer)
    period = period_of(request)
    rows = d.funnel(viewer=viewer, period=period)
    shift = d.channel_shift(viewer=viewer, today=period.last_day)
    context = {
        "period": period,
        "periods": PERIODS,
        "top": top_queries(viewer=viewer, since=period.since, limit=QUERY_ROWS),
        "poor": poor_result_queries(viewer=viewer, since=period.since, limit=QUERY_ROWS),
        "rule": POOR_RESULT_RULE,
        "rows": rows,
        "totals": {
            name: sum(getattr(r, name) for r in rows)
            for name in ("searched", "guide_views", "apply_views", "started", "submitted")
        },
        "given_up": d.abandonment(viewer=viewer, period=period),
        "idle_days": d.IDLE_DAYS,
        "shift": shift,
        # The same figures for a chart (json_script "channel-shift-data").
        "shift_data": [{"month": f"{m.month:%Y-%m}", "total": m.total, **m.counts} for m in shift],
        "channels": d.CaseChannel.choices,
        "peak": d.peak_hours(viewer=viewer, period=period),
    }
    return render(request, "analytics/demand.html", context)


def advice(request) -> HttpResponse:
    """The suggestions of the chosen period for the viewer's scope."""
    viewer = request.user
    d.require_demand_reader(viewer)
    period = period_of(request)
    items = recommendations(viewer=viewer, period=period)
    return render(
        request,
        "analytics/advice.html",
        {"period": period, "periods": PERIODS, "items": items},
    )
