"""Ratings API for staff: ratings and statistics in scope, rectification and appeals."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.ratings import services
from sanyi.ratings.api import serializers as s
from sanyi.ratings.models import RatingAppeal
from sanyi.ratings.selectors import (
    can_follow_up,
    can_read_ratings,
    may_decide_appeal,
    may_rectify,
    rating_stats,
    ratings_visible_to,
    rectification_worklist,
    rectifications_visible_to,
)

TAG = "好差评"


def _parse(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _require_reader(user) -> None:
    if not can_read_ratings(user):
        raise PermissionDenied("只有窗口人员、审批人员和督查人员可以查看评价")


@extend_schema(tags=[TAG], summary="本辖区的评价")
class RatingListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = s.RatingOutput

    def get_queryset(self):
        if not getattr(self, "swagger_fake_view", False):  # schema generation has no user
            _require_reader(self.request.user)
        return (
            ratings_visible_to(self.request.user)
            .select_related("case", "item__base_item", "unit", "handling_unit", "window__center")
            .order_by("-rated_at", "-id")
        )


@extend_schema(
    tags=[TAG],
    summary="评价统计（按单位、事项或窗口）",
    parameters=[s.StatsQuery],
    responses=s.StatRowOutput(many=True),
)
class RatingStatsView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        _require_reader(request.user)
        query = _parse(s.StatsQuery, request.query_params)
        rows = rating_stats(
            by=query.get("by") or "unit",
            start=query.get("start"),
            end=query.get("end"),
            queryset=ratings_visible_to(request.user),
        )
        return Response(s.StatRowOutput(rows, many=True).data)


@extend_schema(tags=[TAG], summary="差评整改（按期限排序）")
class RectificationListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = s.RectificationOutput

    def get_queryset(self):
        fake = getattr(self, "swagger_fake_view", False)  # schema generation has no user
        if not fake and not can_follow_up(self.request.user):
            raise PermissionDenied("只有审批人员和督查人员可以查看差评整改")
        return rectification_worklist(
            self.request.user, status=self.request.query_params.get("status", "")
        )


class _RectificationAction(APIView):
    # Scope (404) and role (403) are checked before the body is read.
    permission_classes = [IsAuthenticated]

    def rectification(self, pk: int, *, on: str = "unit"):
        rectification = get_object_or_404(rectifications_visible_to(self.request.user), pk=pk)
        unit = rectification.unit if on == "unit" else rectification.rating.handling_unit
        if not may_rectify(self.request.user, unit):
            raise PermissionDenied("只有该单位或上级单位的审批或督查人员可以办理差评整改")
        return rectification

    def done(self, rectification):
        rectification.refresh_from_db()
        return Response(s.RectificationOutput(rectification).data)


@extend_schema(
    tags=[TAG], summary="记录回访", request=s.ReturnVisitInput, responses=s.RectificationOutput
)
class ReturnVisitView(_RectificationAction):
    def post(self, request, pk: int):
        rectification = self.rectification(pk)
        data = _parse(s.ReturnVisitInput, request.data)
        services.rectification_return_visit(
            rectification=rectification,
            result=data["result"],
            note=data["note"],
            actor=request.user,
        )
        return self.done(rectification)


@extend_schema(
    tags=[TAG], summary="完成整改", request=s.CompleteInput, responses=s.RectificationOutput
)
class CompleteView(_RectificationAction):
    def post(self, request, pk: int):
        rectification = self.rectification(pk)
        data = _parse(s.CompleteInput, request.data)
        services.rectification_complete(
            rectification=rectification, measures=data["measures"], actor=request.user
        )
        return self.done(rectification)


@extend_schema(
    tags=[TAG], summary="对差评提出申诉", request=s.AppealInput, responses={201: s.AppealOutput}
)
class AppealFileView(_RectificationAction):
    def post(self, request, pk: int):
        rating = self.rectification(pk, on="handling_unit").rating
        data = _parse(s.AppealInput, request.data)
        appeal = services.appeal_file(rating=rating, reason=data["reason"], actor=request.user)
        return Response(s.AppealOutput(appeal).data, status=201)


@extend_schema(
    tags=[TAG], summary="复核差评申诉", request=s.AppealDecisionInput, responses=s.AppealOutput
)
class AppealDecideView(_RectificationAction):
    def post(self, request, pk: int):
        rectification = get_object_or_404(rectifications_visible_to(request.user), pk=pk)
        if not may_decide_appeal(request.user, rectification):
            raise PermissionDenied("只有督查人员可以复核差评申诉")
        data = _parse(s.AppealDecisionInput, request.data)
        appeal = get_object_or_404(RatingAppeal, rating=rectification.rating, status="pending")
        appeal = services.appeal_decide(
            appeal=appeal, upheld=data["upheld"], note=data["note"], actor=request.user
        )
        return Response(s.AppealOutput(appeal).data)
