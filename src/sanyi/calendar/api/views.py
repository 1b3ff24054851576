"""Working-day calendar endpoints: the holidays of a year, whether a day is a working day,
and deadline arithmetic. Public and read-only; the arithmetic is the calendar app's."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.calendar import selectors as calendar_selectors
from sanyi.calendar.api.serializers import (
    CalendarBetweenOutput,
    CalendarBetweenQuery,
    CalendarDaysQuery,
    CalendarDeadlineOutput,
    CalendarDeadlineQuery,
    CalendarWorkdayOutput,
    CalendarWorkdayQuery,
    CalendarYearOutput,
)

TAG = "工作日历"
WEEKDAY_NAMES = "一二三四五六日"


class _CalendarView(APIView):
    permission_classes = [AllowAny]
    query_class: type = CalendarDaysQuery

    def parse_query(self, request: Request) -> dict:
        query = self.query_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data


@extend_schema(
    tags=[TAG],
    summary="某年的节假日和调休",
    description="某年的法定节假日和调休上班日，以及该年国务院通知是否已载入。",
    parameters=[CalendarDaysQuery],
    responses={200: CalendarYearOutput},
)
class CalendarDaysView(_CalendarView):
    query_class = CalendarDaysQuery

    def get(self, request: Request) -> Response:
        year = self.parse_query(request)["year"]
        notice = calendar_selectors.calendar_year_get(year)
        answer = {
            "year": year,
            "loaded": notice is not None,
            "provisional": notice is None,
            "notice_title": notice.notice_title if notice else None,
            "notice_number": notice.notice_number if notice else None,
            "published_on": notice.published_on if notice else None,
            "days": calendar_selectors.calendar_day_list(year=year) if notice else [],
        }
        return Response(CalendarYearOutput(answer).data)


def _workday_reason(d: date, work_calendar: Any) -> dict:
    weekday = f"星期{WEEKDAY_NAMES[d.weekday()]}"
    holiday = work_calendar.holiday_name(d)
    makeup = work_calendar.makeup_workday_name(d)
    if holiday is not None:
        kind, name, reason = "holiday", holiday, f"{weekday}，{holiday}假期，休息"
    elif makeup is not None:
        kind, name, reason = "makeup_workday", makeup, f"{weekday}，{makeup}调休上班"
    elif d.weekday() >= 5:
        kind, name, reason = "weekend", None, f"{weekday}，休息"
    else:
        kind, name, reason = "weekday", None, f"{weekday}，工作日"
    provisional = work_calendar.is_provisional(d)
    if provisional:
        reason += f"（{d.year}年节假日安排尚未载入，暂按周一至周五判断）"
    return {
        "date": d,
        "is_workday": work_calendar.is_workday(d),
        "day_kind": kind,
        "holiday_name": name,
        "reason": reason,
        "provisional": provisional,
    }


@extend_schema(
    tags=[TAG],
    summary="某天是否工作日",
    description="按已载入的节假日安排判断某天是否工作日，并说明原因。",
    parameters=[CalendarWorkdayQuery],
    responses={200: CalendarWorkdayOutput},
)
class CalendarWorkdayView(_CalendarView):
    query_class = CalendarWorkdayQuery

    def get(self, request: Request) -> Response:
        day = self.parse_query(request)["date"]
        return Response(
            CalendarWorkdayOutput(_workday_reason(day, calendar_selectors.current_calendar())).data
        )


def _stops_out(stops: list[tuple[date, date]]) -> list[dict]:
    return [{"stopped_on": a, "restarted_on": b} for a, b in stops]


@extend_schema(
    tags=[TAG],
    summary="计算到期日",
    description=(
        "从起算日期数若干个工作日，得出到期日。起算日当天不计入，次日起算第 1 个工作日；"
        "可扣除计时暂停。例如 2026-09-21 起 20 个工作日，到期日为 2026-10-26。"
    ),
    parameters=[CalendarDeadlineQuery],
    responses={200: CalendarDeadlineOutput},
)
class CalendarDeadlineView(_CalendarView):
    query_class = CalendarDeadlineQuery

    def get(self, request: Request) -> Response:
        given = self.parse_query(request)
        roll = given["roll"]
        if roll is None:
            # The same default calendar.add_workdays applies; read here to report it.
            roll = settings.SANYI_ROLL_NONWORKING_RECEIPT
        try:
            deadline = calendar_selectors.add_workdays(
                given["start"], given["days"], stops=given["stop"], roll_nonworking_start=roll
            )
        except ValueError as exc:  # the due date would fall beyond the year 9999
            raise ValidationError({"days": [str(exc)]}, code="out_of_range") from None
        answer = {
            "start": given["start"],
            "days": given["days"],
            "due_date": deadline.date,
            "provisional": deadline.provisional,
            "roll_nonworking_start": roll,
            "stops": _stops_out(given["stop"]),
        }
        return Response(CalendarDeadlineOutput(answer).data)


@extend_schema(
    tags=[TAG],
    summary="两个日期之间的工作日数",
    description=(
        "开始日期之后到结束日期（含）之间的工作日个数，可扣除计时暂停，用于核对已用去的办理时间。"
    ),
    parameters=[CalendarBetweenQuery],
    responses={200: CalendarBetweenOutput},
)
class CalendarBetweenView(_CalendarView):
    query_class = CalendarBetweenQuery

    def get(self, request: Request) -> Response:
        given = self.parse_query(request)
        count = calendar_selectors.workdays_between(given["from"], given["to"], stops=given["stop"])
        answer = {
            "from": given["from"],
            "to": given["to"],
            "workdays": count.days,
            "provisional": count.provisional,
            "stops": _stops_out(given["stop"]),
        }
        return Response(CalendarBetweenOutput(answer).data)
