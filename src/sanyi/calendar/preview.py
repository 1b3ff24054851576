"""What loading a holiday notice would change, shown before anyone confirms it: the days
whose kind changes, and the open work (cases, requests) whose due dates move.

The due dates are not estimated: the preview writes the notice and lets each app that
registered a due-date preview (``core.registry.register_due_preview``) run its real
recompute, reads old → new, and then rolls the whole transaction back. Nothing it did
survives, and nothing is announced (on-commit work of a rolled-back transaction is dropped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from sanyi.audit.services import Actor
from sanyi.calendar.models import CalendarDay, CalendarYear, DayKind
from sanyi.calendar.notice import Notice, weekday_label
from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.core.registry import DueMove, due_previews

PLAIN_WEEKDAY = "平日"


@dataclass(frozen=True)
class DayChange:
    date: date
    before: str  # "节假日（春节）", "调休上班（春节）" or "平日"/"周末"
    after: str

    @property
    def weekday(self) -> str:
        return weekday_label(self.date)


@dataclass
class NoticePreview:
    notice: Notice
    replaces: CalendarYear | None
    days: list[DayChange] = field(default_factory=list)
    moves: list[DueMove] = field(default_factory=list)


class _Rollback(Exception):
    pass


def _describe(day: date, entry: tuple[str, str] | None) -> str:
    if entry is None:
        return "周末" if day.weekday() >= 5 else PLAIN_WEEKDAY
    kind, name = entry
    return f"{DayKind(kind).label}（{name}）"


def notice_day_changes(notice: Notice) -> list[DayChange]:
    """Each date of the notice's year whose kind the notice changes, by date."""
    year = notice.year
    before = {
        row.date: (row.kind, row.name)
        for row in CalendarDay.objects.filter(
            date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)
        )
    }
    after = {d: (DayKind.HOLIDAY.value, n) for d, n in notice.holidays.items()}
    after |= {d: (DayKind.MAKEUP_WORKDAY.value, n) for d, n in notice.makeup_workdays.items()}
    return [
        DayChange(d, _describe(d, before.get(d)), _describe(d, after.get(d)))
        for d in sorted(before.keys() | after.keys())
        if before.get(d) != after.get(d)
    ]


def notice_preview(*, actor: Actor, notice: Notice) -> NoticePreview:
    """The days and due dates loading ``notice`` would change; writes nothing."""
    from sanyi.calendar.services import calendar_year_load

    preview = NoticePreview(
        notice=notice,
        replaces=CalendarYear.objects.filter(year=notice.year).first(),
        days=notice_day_changes(notice),
    )
    years = {notice.year}
    try:
        with transaction.atomic():
            calendar_year_load(actor=actor, data=notice)
            for due_preview in due_previews():
                preview.moves.extend(due_preview(years, actor))
            raise _Rollback
    except _Rollback:
        pass
    finally:
        calendar_cache_clear()
    preview.moves.sort(key=lambda m: (m.old or date.max, m.kind, m.label))
    return preview


def due_moves_after(actor: Actor, years: set[int], write: Callable[[], Any]) -> list[DueMove]:
    """The open work in ``years`` whose due dates ``write`` (a calendar change through the
    services) would move, by old due date. ``write`` runs in a transaction that is rolled
    back, so nothing it does survives or is announced."""
    moves: list[DueMove] = []
    try:
        with transaction.atomic():
            write()
            for due_preview in due_previews():
                moves.extend(due_preview(years, actor))
            raise _Rollback
    except _Rollback:
        pass
    finally:
        calendar_cache_clear()
    moves.sort(key=lambda m: (m.old or date.max, m.kind, m.label))
    return moves
