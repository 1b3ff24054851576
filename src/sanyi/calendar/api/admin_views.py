"""Calendar administration under /api/v1/calendar/admin/, for system administrators only:
the loaded notices and the change log; a notice (the JSON format of docs/calendar.md)
previewed, then loaded; one day corrected (preview, then confirm); a notice's details
corrected. Every write goes through ``calendar.services`` (audited, due dates recomputed)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.calendar import selectors
from sanyi.calendar.api.admin_serializers import (
    CalendarChangeOutput,
    CalendarDayCorrectionInput,
    CalendarDayCorrectionOutput,
    CalendarNoticeDetailsInput,
    CalendarNoticeOutput,
    CalendarNoticePreviewOutput,
)
from sanyi.calendar.corrections import (
    DayCorrectionPreview,
    calendar_day_correct,
    calendar_notice_correct,
    day_correction_preview,
)
from sanyi.calendar.notice import parse_notice
from sanyi.calendar.preview import notice_preview
from sanyi.calendar.services import calendar_year_load
from sanyi.core.http import staff_user

TAG = "工作日历管理"
YEAR = OpenApiParameter("year", OpenApiTypes.INT, OpenApiParameter.PATH, description="年份")
NOTICE_BODY = {
    "application/json": {
        "type": "object",
        "description": "节假日安排文件（格式见使用说明“工作日历”一节）",
        "additionalProperties": True,
    }
}


def _require_admin(request: Request) -> None:
    if not selectors.can_manage_calendar(request.user):
        raise PermissionDenied("只有系统管理员可以维护工作日历")


class _AdminView(APIView):
    permission_classes = [IsAuthenticated]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        _require_admin(request)


@extend_schema(
    tags=[TAG], summary="已载入的节假日安排", responses={200: CalendarNoticeOutput(many=True)}
)
class CalendarNoticeListView(_AdminView):
    def get(self, request: Request) -> Response:
        return Response(CalendarNoticeOutput(selectors.calendar_year_list(), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="载入节假日安排",
        description="载入一年的节假日安排，整体替换该年已载入的安排；在办事项的期限随即重新计算。"
        "先用 preview 接口核对。",
        request=NOTICE_BODY,
        responses={201: CalendarNoticeOutput},
    )
    def post(self, request: Request) -> Response:
        row = calendar_year_load(actor=staff_user(request), data=parse_notice(request.data))
        return Response(CalendarNoticeOutput(row).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=[TAG],
    summary="预览载入节假日安排",
    description="不写入任何数据：列出载入后类别变化的日期和期限将变化的在办事项。",
    request=NOTICE_BODY,
    responses={200: CalendarNoticePreviewOutput},
)
class CalendarNoticePreviewView(_AdminView):
    def post(self, request: Request) -> Response:
        preview = notice_preview(actor=staff_user(request), notice=parse_notice(request.data))
        answer = {
            "year": preview.notice.year,
            "replaces": preview.replaces.notice_number if preview.replaces else None,
            "days": preview.days,
            "moves": preview.moves,
        }
        return Response(CalendarNoticePreviewOutput(answer).data)


@extend_schema(tags=[TAG], parameters=[YEAR])
class CalendarNoticeDetailView(_AdminView):
    def _row(self, year: int) -> Any:
        row = selectors.calendar_year_get(year)
        if row is None:
            raise NotFound(f"{year}年的节假日安排尚未载入")
        return row

    @extend_schema(summary="某年的通知信息", responses={200: CalendarNoticeOutput})
    def get(self, request: Request, year: int) -> Response:
        return Response(CalendarNoticeOutput(self._row(year)).data)

    @extend_schema(
        summary="更正通知信息",
        description="更正标题、发文字号、发布日期、来源和备注；节假日不变，期限不受影响。",
        request=CalendarNoticeDetailsInput,
        responses={200: CalendarNoticeOutput},
    )
    def put(self, request: Request, year: int) -> Response:
        self._row(year)
        given = CalendarNoticeDetailsInput(data=request.data)
        given.is_valid(raise_exception=True)
        row = calendar_notice_correct(actor=staff_user(request), year=year, **given.validated_data)
        return Response(CalendarNoticeOutput(row).data)


@extend_schema(
    tags=[TAG], summary="工作日历变更记录", description="每一次载入、更正和撤下，最新的在前。"
)
class CalendarChangeListView(_AdminView, generics.ListAPIView):
    serializer_class = CalendarChangeOutput

    def get_queryset(self) -> Any:
        return selectors.calendar_change_list()


def _correction_answer(preview: DayCorrectionPreview) -> dict:
    c = preview.correction
    return {
        "date": c.day,
        "kind": c.kind,
        "name": c.name,
        "reason": c.reason,
        "before": c.before,
        "after": c.after,
        "moves": preview.moves,
    }


def _given(request: Request) -> dict:
    given = CalendarDayCorrectionInput(data=request.data)
    given.is_valid(raise_exception=True)
    data = given.validated_data
    return {
        "day": data["date"],
        "kind": data["kind"],
        "name": data["name"],
        "reason": data["reason"],
    }


@extend_schema(
    tags=[TAG],
    summary="预览更正某一天",
    description="不写入任何数据：这一天更正前后的类别，以及期限将变化的在办事项。",
    request=CalendarDayCorrectionInput,
    responses={200: CalendarDayCorrectionOutput},
)
class CalendarDayPreviewView(_AdminView):
    def post(self, request: Request) -> Response:
        preview = day_correction_preview(actor=staff_user(request), **_given(request))
        return Response(CalendarDayCorrectionOutput(_correction_answer(preview)).data)


@extend_schema(
    tags=[TAG],
    summary="更正某一天",
    description="把某一天更正为节假日、调休上班日或平日，须写明原因；在办事项的期限随即重新计算，"
    "答复列出期限变化的在办事项。该年的节假日安排须已载入。",
    request=CalendarDayCorrectionInput,
    responses={200: CalendarDayCorrectionOutput},
)
class CalendarDayCorrectView(_AdminView):
    def post(self, request: Request) -> Response:
        actor, given = staff_user(request), _given(request)
        preview = day_correction_preview(actor=actor, **given)
        calendar_day_correct(actor=actor, **given)
        return Response(CalendarDayCorrectionOutput(_correction_answer(preview)).data)
