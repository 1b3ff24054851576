"""The public statistics endpoint: the figures of the /statistics/ page as JSON."""

from __future__ import annotations

from django.utils import timezone
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.analytics.api.serializers_public import PublicStatisticsOutput, PublicStatisticsQuery
from sanyi.analytics.selectors_public import MIN_SAMPLE, item_table, period_bounds, unit_table
from sanyi.orgs.models import OrgKind

MAX_AGE = 600


@extend_schema(
    tags=["办件统计"],
    summary="办件统计公开（按单位、按事项）",
    description="某年（或某月）各街道/乡镇或社区/村、以及办件最多的事项的办结件数、"
    "按时办结率、最多跑一次率、零跑动率和好评率。只有件数和比例，不含任何个人信息；"
    f"少于{MIN_SAMPLE}件时比例为 null（样本不足）。无需登录。",
    parameters=[PublicStatisticsQuery],
    responses=PublicStatisticsOutput,
)
class PublicStatisticsView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []  # the same answer for everyone

    def get(self, request):
        query = PublicStatisticsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        today = timezone.localdate()
        start, end = period_bounds(
            year=data.get("year") or today.year, month=data.get("month"), today=today
        )
        level = data.get("level") or OrgKind.SUBDISTRICT
        units, total = unit_table(start=start, end=end, level=level)
        items = item_table(start=start, end=end, search=(data.get("q") or "").strip())
        answer = {
            "start": start,
            "end": end,
            "level": level,
            "min_sample": MIN_SAMPLE,
            "units": [row.as_dict() for row in units],
            "total": total.as_dict(),
            "items": [row.as_dict() for row in items],
        }
        response = Response(PublicStatisticsOutput(answer).data)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response
