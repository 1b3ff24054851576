"""API of demand analysis (under /api/v1/analytics/demand/): the funnel per item, the
searches, the suggestions. Catalogue admins and supervisors, scoped as on the pages
(analytics.demand)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.analytics import demand as d
from sanyi.analytics.api import serializers_demand as s
from sanyi.analytics.recommendations import recommendations
from sanyi.search.selectors import poor_result_queries, top_queries

TAG = "需求分析"
QUERY_ROWS = 50


def _period(request) -> d.Period:
    d.require_demand_reader(request.user)
    query = s.DemandPeriodQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return d.Period(days=int(query.validated_data["days"]), now=timezone.now())


@extend_schema(
    tags=[TAG],
    summary="各事项从搜索到受理的人数",
    parameters=[s.DemandPeriodQuery],
    responses=s.DemandFunnelOutput(many=True),
)
class DemandFunnelView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        rows = d.funnel(viewer=request.user, period=_period(request))
        return Response(s.DemandFunnelOutput(rows, many=True).data)


@extend_schema(
    tags=[TAG],
    summary="搜得最多的词，搜不到、搜不准的词（全区）",
    parameters=[s.DemandPeriodQuery],
    responses=s.DemandQueriesOutput,
)
class DemandQueriesView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        since = _period(request).since
        data = {
            "top": top_queries(viewer=request.user, since=since, limit=QUERY_ROWS),
            "poor": poor_result_queries(viewer=request.user, since=since, limit=QUERY_ROWS),
        }
        return Response(s.DemandQueriesOutput(data).data)


@extend_schema(
    tags=[TAG],
    summary="改进建议",
    parameters=[s.DemandPeriodQuery],
    responses=s.DemandRecommendationOutput(many=True),
)
class DemandRecommendationsView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        items = recommendations(viewer=request.user, period=_period(request))
        return Response(s.DemandRecommendationOutput(items, many=True).data)
