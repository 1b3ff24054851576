"""The dashboard API: the same figures, series and tables as the page, for the same
filters (GET /api/v1/analytics/dashboard/)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.analytics.api import serializers as s
from sanyi.analytics.dashboard import Dashboard, dashboard, kpis, may_view, scope_label
from sanyi.analytics.web.forms import DashboardForm


def _payload(board: Dashboard, scope: str) -> dict[str, Any]:
    return {
        "start": board.filters.start,
        "end": board.filters.end,
        "scope": scope,
        "figures": board.figures.as_dict(),
        "avg_promised_days": board.avg_promised_days,
        "kpis": [k.__dict__ for k in kpis(board)],
        "grain": board.grain,
        "days": [p.__dict__ for p in board.days],
        "channels": [
            {"channel": c, "label": label, "received": n} for c, label, n in board.channels
        ],
        "units": [
            {"unit_id": r.unit.pk, "unit": r.unit.name, "figures": r.figures.as_dict()}
            for r in board.units
        ],
        "items": [
            {
                "item_id": r.item.pk,
                "item": r.item.base_item.name,
                "promised_days": r.promised_days,
                "figures": r.figures.as_dict(),
            }
            for r in board.items
        ],
    }


@extend_schema(
    tags=["数据分析"],
    summary="督查人员、审批人员：数据驾驶舱",
    parameters=[s.AnalyticsDashboardQuery],
    responses=s.AnalyticsDashboardOutput,
)
class DashboardView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        if not may_view(request.user):
            raise DjangoPermissionDenied("只有督查人员和审批人员可以查看数据驾驶舱")
        s.AnalyticsDashboardQuery(data=request.query_params).is_valid(raise_exception=True)
        form = DashboardForm(request.query_params, viewer=request.user)
        if not form.is_valid():
            # Each message names the parameter, as the API's other 400s do.
            raise ValidationError(
                {
                    name: [f"{form.fields[name].label}（{name}）：{e}" if name in form.fields
                           else str(e) for e in errors]
                    for name, errors in form.errors.items()
                }
            )  # fmt: skip
        filters = form.filters()
        board = dashboard(request.user, filters)
        payload = _payload(board, scope_label(request.user, filters))
        return Response(s.AnalyticsDashboardOutput(payload).data)
