"""Corrections a system administrator makes by hand from the workbench or the API: one day
made a holiday, a make-up working day or an ordinary day again, with the reason; and a
loaded notice's title, number, date or source put right.

These check the actor's role and the reason, then write through ``calendar.services``,
which records the change, audits it and has open work's due dates recomputed. The preview
(``day_correction_preview``) runs the same write in a transaction that is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sanyi.audit.services import Actor
from sanyi.calendar.models import CalendarDay, CalendarYear, DayKind
from sanyi.calendar.notice import weekday_label
from sanyi.calendar.preview import due_moves_after
from sanyi.calendar.selectors import can_manage_calendar
from sanyi.calendar.services import (
    calendar_day_check,
    calendar_day_remove,
    calendar_day_set,
    calendar_year_update,
)
from sanyi.core.actors import actor_user
from sanyi.core.registry import DueMove

NORMAL = "normal"
# What a day can be made: the two stored kinds, or an ordinary day (weekday or weekend).
CORRECTION_KINDS = [
    (DayKind.HOLIDAY.value, DayKind.HOLIDAY.label),
    (DayKind.MAKEUP_WORKDAY.value, DayKind.MAKEUP_WORKDAY.label),
    (NORMAL, "平日（按星期计算）"),
]
MAX_REASON = 200


@dataclass(frozen=True)
class DayCorrection:
    """A checked correction of one day, not yet written."""

    day: date
    kind: str  # holiday, makeup_workday or normal
    name: str  # the festival; empty for an ordinary day
    reason: str
    before: str  # what the day is now, in words
    after: str  # what it will be

    @property
    def weekday(self) -> str:
        return weekday_label(self.day)


@dataclass
class DayCorrectionPreview:
    correction: DayCorrection
    moves: list[DueMove] = field(default_factory=list)


def _require_admin(actor: Actor) -> None:
    user = actor_user(actor)
    if user is not None and not can_manage_calendar(user):
        raise PermissionDenied("只有系统管理员可以维护工作日历")


def _describe(day: date, kind: str, name: str) -> str:
    if kind == NORMAL:
        return "周末（休息）" if day.weekday() >= 5 else "平日（上班）"
    return f"{DayKind(kind).label}（{name}）"


def day_correction_check(
    *, actor: Actor, day: date, kind: str, name: str, reason: str
) -> DayCorrection:
    """Check a correction without writing; ValidationError names each field at fault."""
    _require_admin(actor)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["请填写更正原因，例如“国务院补充通知”"]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [f"更正原因不能超过{MAX_REASON}个字（现有{len(reason)}个）"]
    row = CalendarDay.objects.filter(date=day).first()
    before = _describe(day, row.kind, row.name) if row else _describe(day, NORMAL, "")
    name = (name or "").strip()
    try:
        if kind == NORMAL:
            if not CalendarYear.objects.filter(year=day.year).exists():
                errors["date"] = [f"{day.year}年的节假日安排尚未载入，请先载入该年的通知"]
            elif row is None:
                errors.setdefault("kind", []).append(f"{day}已经是{before}，无需更正")
            name = ""
        else:
            kind, name = calendar_day_check(day=day, kind=kind, name=name)
            if row is not None and (row.kind, row.name) == (kind, name):
                errors.setdefault("kind", []).append(f"{day}已经是{before}，无需更正")
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return DayCorrection(day, kind, name, reason, before, _describe(day, kind, name))


def calendar_day_correct(
    *, actor: Actor, day: date, kind: str, name: str = "", reason: str
) -> DayCorrection:
    """Correct one day (checked, then written in one transaction and audited with the
    reason); open work's due dates are recomputed after commit."""
    with transaction.atomic():
        correction = day_correction_check(actor=actor, day=day, kind=kind, name=name, reason=reason)
        if correction.kind == NORMAL:
            calendar_day_remove(actor=actor, day=day, reason=correction.reason)
        else:
            calendar_day_set(
                actor=actor,
                day=day,
                kind=correction.kind,
                name=correction.name,
                reason=correction.reason,
            )
    return correction


def day_correction_preview(
    *, actor: Actor, day: date, kind: str, name: str = "", reason: str
) -> DayCorrectionPreview:
    """What the correction would change: the day, and the open work whose due dates move.
    Writes nothing."""
    correction = day_correction_check(actor=actor, day=day, kind=kind, name=name, reason=reason)
    preview = DayCorrectionPreview(correction=correction)
    preview.moves = due_moves_after(
        actor,
        {day.year},
        lambda: calendar_day_correct(actor=actor, day=day, kind=kind, name=name, reason=reason),
    )
    return preview


def calendar_notice_correct(
    *,
    actor: Actor,
    year: int,
    notice_title: str,
    notice_number: str,
    published_on: date,
    source: str,
    notes: str,
) -> CalendarYear:
    """Correct a loaded notice's title, number, date, source and notes. Its days stay as
    they are, so no due date moves."""
    _require_admin(actor)
    row = CalendarYear.objects.filter(year=year).first()
    if row is None:
        raise ValidationError({"year": [f"{year}年的节假日安排尚未载入"]})
    return calendar_year_update(
        actor=actor,
        calendar_year=row,
        notice_title=notice_title,
        notice_number=notice_number,
        published_on=published_on,
        source=source,
        notes=notes,
    )
