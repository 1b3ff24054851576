"""Changing the calendar. Every change is checked first, written in one transaction with a
``CalendarChange`` record and an audit row, and announced after commit through
``signals.calendar_changed`` so open work can have its deadlines recomputed."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.audit.services import Actor, audit_record, diff, snapshot
from sanyi.calendar.models import (
    CalendarChange,
    CalendarChangeAction,
    CalendarDay,
    CalendarYear,
    DayKind,
)
from sanyi.calendar.notice import Notice, parse_notice, weekday_label
from sanyi.calendar.selectors import calendar_cache_clear, calendar_change_pending
from sanyi.calendar.signals import calendar_changed
from sanyi.core.actors import actor_label, actor_user
from sanyi.core.pagecache import public_content_changed

logger = logging.getLogger(__name__)

YEAR_FIELDS = ["year", "notice_title", "notice_number", "published_on", "source", "notes"]
DAY_FIELDS = ["date", "kind", "name"]


def _year_days(year: int) -> dict[date, tuple[str, str]]:
    rows = CalendarDay.objects.select_for_update().filter(
        date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)
    )
    return {row.date: (row.kind, row.name) for row in rows}


def _describe(day: date, entry: tuple[str, str] | None) -> str:
    if entry is None:
        return f"{day}（{weekday_label(day)}）按平日"
    kind, name = entry
    return f"{day}（{weekday_label(day)}）{DayKind(kind).label}（{name}）"


def _record_change(
    *,
    actor: Actor,
    action: str,
    years: set[int],
    dates: list[date],
    summary: str,
    days_changed: bool,
) -> CalendarChange:
    """The change record, then the cache drop now and the announcement after commit."""
    if actor is None:
        raise ValueError("every write names its actor")
    change = CalendarChange.objects.create(
        created_at=timezone.now(),
        actor=actor_user(actor),
        actor_label=actor_label(actor, username=True)[:100],
        action=action,
        years=sorted(years),
        dates=[d.isoformat() for d in sorted(dates)],
        summary=summary,
    )
    calendar_change_pending()
    # Working days and holidays are public: pages that show them start afresh.
    public_content_changed()

    def announce() -> None:
        calendar_cache_clear()
        if not days_changed:
            return
        for receiver, result in calendar_changed.send_robust(
            sender=CalendarChange, years=set(years), actor=actor, change=change
        ):
            if isinstance(result, Exception):
                logger.error(
                    "calendar_changed receiver %r failed for change #%s",
                    receiver,
                    change.pk,
                    exc_info=result,
                )

    transaction.on_commit(announce)
    return change


@transaction.atomic
def calendar_year_load(*, actor: Actor, data: Mapping[str, Any] | Notice) -> CalendarYear:
    """Replace one year's holidays and make-up working days with those of a notice.

    ``data`` is a parsed notice file (docs/calendar.md) or an already checked ``Notice``.
    Everything is checked before anything is written; ValidationError lists every problem.
    """
    notice = data if isinstance(data, Notice) else parse_notice(data)
    year_row = CalendarYear.objects.select_for_update().filter(year=notice.year).first()
    before_year = snapshot(year_row, YEAR_FIELDS) if year_row else {}
    before_days = _year_days(notice.year)
    after_days = {d: (DayKind.HOLIDAY.value, n) for d, n in notice.holidays.items()}
    after_days |= {d: (DayKind.MAKEUP_WORKDAY.value, n) for d, n in notice.makeup_workdays.items()}

    CalendarDay.objects.filter(date__in=list(before_days)).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d, kind=kind, name=name) for d, (kind, name) in sorted(after_days.items())
    )
    year_row = _year_row_write(year_row, notice)

    moved = sorted(
        d for d in before_days.keys() | after_days.keys() if before_days.get(d) != after_days.get(d)
    )
    change = _record_change(
        actor=actor,
        action=CalendarChangeAction.YEAR_LOAD,
        years={notice.year},
        dates=moved,
        summary=_load_summary(notice, moved, before_days, after_days, reloaded=bool(before_year)),
        days_changed=bool(moved) or not before_year,
    )
    audit_record(
        actor=actor,
        action="calendar_year.load",
        obj=year_row,
        changes={
            **diff(before_year, snapshot(year_row, YEAR_FIELDS)),
            "days": {d.isoformat(): [before_days.get(d), after_days.get(d)] for d in moved},
        },
        note=f"日历变更记录#{change.pk}",
    )
    return year_row


def _year_row_write(year_row: CalendarYear | None, notice: Notice) -> CalendarYear:
    """The year's row created, or updated, with the notice's title, number and source."""
    fields = {
        "notice_title": notice.title,
        "notice_number": notice.number,
        "published_on": notice.published_on,
        "source": notice.source,
        "notes": notice.notes,
        "loaded_at": timezone.now(),
    }
    if year_row is None:
        return CalendarYear.objects.create(year=notice.year, **fields)
    for name, value in fields.items():
        setattr(year_row, name, value)
    year_row.save()
    return year_row


def _load_summary(
    notice: Notice,
    moved: list[date],
    before_days: dict[date, tuple[str, str]],
    after_days: dict[date, tuple[str, str]],
    *,
    reloaded: bool,
) -> str:
    """The change record's one-line summary: counts, and on a reload the dates that moved."""
    holidays, makeups = len(notice.holidays), len(notice.makeup_workdays)
    summary = (
        f"载入{notice.year}年节假日安排（{notice.number}）：节假日{holidays}天，调休上班{makeups}天"
    )
    if reloaded:
        summary += f"；与原安排相比有{len(moved)}个日期变化" if moved else "；日期与原安排相同"
        if moved:
            summary += "：" + "；".join(
                f"{_describe(d, before_days.get(d))}→{_describe(d, after_days.get(d))}"
                for d in moved[:20]
            )
            if len(moved) > 20:
                summary += f"等{len(moved)}个"
    return summary


@transaction.atomic
def calendar_year_update(
    *,
    actor: Actor,
    calendar_year: CalendarYear,
    notice_title: str | None = None,
    notice_number: str | None = None,
    published_on: date | None = None,
    source: str | None = None,
    notes: str | None = None,
) -> CalendarYear:
    """Correct a loaded notice's title, number, date, source or notes (not its days).

    Arguments left as None keep their value.
    """
    row = CalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
    before = snapshot(row, YEAR_FIELDS)
    errors: dict[str, list[str]] = {}
    for field, value, label in [
        ("notice_title", notice_title, "通知标题"),
        ("notice_number", notice_number, "发文字号"),
    ]:
        if value is not None:
            if not value.strip():
                errors[field] = [f"{label}不能为空"]
            setattr(row, field, value.strip())
    if errors:
        raise ValidationError(errors)
    if published_on is not None:
        row.published_on = published_on
    if source is not None:
        row.source = source.strip()
    if notes is not None:
        row.notes = notes.strip()
    row.save()
    changes = diff(before, snapshot(row, YEAR_FIELDS))
    if changes:
        change = _record_change(
            actor=actor,
            action=CalendarChangeAction.YEAR_UPDATE,
            years={row.year},
            dates=[],
            summary=f"修改{row.year}年节假日安排的通知信息：{'、'.join(changes)}",
            days_changed=False,
        )
        audit_record(
            actor=actor,
            action="calendar_year.update",
            obj=row,
            changes=changes,
            note=f"日历变更记录#{change.pk}",
        )
    return row


@transaction.atomic
def calendar_year_remove(*, actor: Actor, year: int) -> None:
    """Take a year's notice out: its dates go back to weekdays only, marked provisional."""
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    if row is None:
        raise ValidationError(f"{year}年的节假日安排尚未载入，无需撤下")
    before_days = _year_days(year)
    CalendarDay.objects.filter(date__in=list(before_days)).delete()
    change = _record_change(
        actor=actor,
        action=CalendarChangeAction.YEAR_REMOVE,
        years={year},
        dates=list(before_days),
        summary=f"撤下{year}年节假日安排（{row.notice_number}），该年日期改按平日暂定计算",
        days_changed=True,
    )
    audit_record(
        actor=actor,
        action="calendar_year.remove",
        obj=row,
        changes={
            **diff(snapshot(row, YEAR_FIELDS), {}),
            "days": {d.isoformat(): [v, None] for d, v in sorted(before_days.items())},
        },
        note=f"日历变更记录#{change.pk}",
    )
    row.delete()


def _check_day(day: Any, what: str = "日期") -> date:
    if not isinstance(day, date):
        raise ValidationError({"date": [f"{what}应为日期"]})
    if not CalendarYear.objects.filter(year=day.year).exists():
        raise ValidationError(
            {
                "date": [
                    f"{day.year}年的节假日安排尚未载入，请先载入该年的通知（sanyi calendar load）"
                ]
            }
        )
    return day


def calendar_day_check(*, day: date, kind: str, name: str) -> tuple[str, str]:
    """Check an admin edit of one day without writing; returns the cleaned kind and name."""
    _check_day(day)
    errors: dict[str, list[str]] = {}
    if kind not in DayKind.values:
        errors["kind"] = [f"类别应为“节假日”或“调休上班”，收到的是“{kind}”"]
    elif kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        errors["kind"] = [f"{day}是{weekday_label(day)}，调休上班日应为周六或周日"]
    name = (name or "").strip()
    if not name:
        errors["name"] = ["请填写节日名称，例如“春节”"]
    elif len(name) > 40:
        errors["name"] = [f"节日名称不能超过40个字（现有{len(name)}个）"]
    if errors:
        raise ValidationError(errors)
    return kind, name


def _note(change: CalendarChange, reason: str) -> str:
    note = f"日历变更记录#{change.pk}"
    return f"{note}；原因：{reason}" if reason else note


def _with_reason(summary: str, reason: str) -> str:
    return f"{summary}（原因：{reason}）" if reason else summary


@transaction.atomic
def calendar_day_set(
    *, actor: Actor, day: date, kind: str, name: str, reason: str = ""
) -> CalendarDay:
    """Make ``day`` a holiday or a make-up working day (an admin correction)."""
    kind, name = calendar_day_check(day=day, kind=kind, name=name)
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    before_entry = (row.kind, row.name) if row else None
    if row is not None and before_entry == (kind, name):
        return row
    before = snapshot(row, DAY_FIELDS) if row else {}
    if row is None:
        row = CalendarDay.objects.create(date=day, kind=kind, name=name)
    else:
        row.kind, row.name = kind, name
        row.save()
    change = _record_change(
        actor=actor,
        action=CalendarChangeAction.DAY_SET,
        years={day.year},
        dates=[day],
        summary=_with_reason(
            f"{_describe(day, before_entry)}→{_describe(day, (kind, name))}", reason
        ),
        days_changed=True,
    )
    audit_record(
        actor=actor,
        action="calendar_day.set",
        obj=row,
        changes=diff(before, snapshot(row, DAY_FIELDS)),
        note=_note(change, reason),
    )
    return row


@transaction.atomic
def calendar_day_remove(*, actor: Actor, day: date, reason: str = "") -> None:
    """Make ``day`` an ordinary day again (working on weekdays, off at weekends)."""
    _check_day(day)
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        raise ValidationError({"date": [f"{day}不是节假日或调休上班日，无需删除"]})
    entry = (row.kind, row.name)
    change = _record_change(
        actor=actor,
        action=CalendarChangeAction.DAY_REMOVE,
        years={day.year},
        dates=[day],
        summary=_with_reason(f"{_describe(day, entry)}→{_describe(day, None)}", reason),
        days_changed=True,
    )
    audit_record(
        actor=actor,
        action="calendar_day.remove",
        obj=row,
        changes=diff(snapshot(row, DAY_FIELDS), {}),
        note=_note(change, reason),
    )
    row.delete()
