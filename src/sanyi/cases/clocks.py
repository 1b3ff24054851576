"""The clocks of a case: statutory and promised due dates, and how much time is used.

Rules (docs/cases.md, "Clocks"):

* Both limits run from the acceptance date (``accepted_on``); the acceptance day itself does
  not count, and a case accepted on a non-working day counts from the next working day
  when SANYI_ROLL_NONWORKING_RECEIPT is on (the default).
* Units of the guide: working days are counted on the holiday calendar; natural days are
  calendar days; months are calendar months (the same day number of the month ``n``
  months later, or that month's last day when it has no such day). A natural-day or month
  limit that ends on a non-working day ends on the next working day instead.
* Clock stops (``ClockStop``) follow the half-open rule of sanyi.calendar.workdays: the stop
  day still counts, every day after it up to and including the restart day does not. For
  working-day limits the stopped working days are skipped; for natural-day and month limits
  the stopped calendar days are added. A stop still open counts up to today.
* An approved extension adds its working days after the limit (both limits move).
* An instant item (即办件) is due on the acceptance day itself.
* A due date in a year whose holiday notice is not loaded is *provisional* (weekdays only)
  and is recomputed when the year is loaded.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from sanyi.calendar.selectors import current_calendar
from sanyi.calendar.workdays import Deadline, Stop, WorkCalendar
from sanyi.catalog.choices import LimitUnit

# Share of the promised limit after which a case turns yellow (SANYI_CASE_WARNING_SHARE).
DEFAULT_WARNING_SHARE = 0.8


def warning_share() -> float:
    return float(getattr(settings, "SANYI_CASE_WARNING_SHARE", DEFAULT_WARNING_SHARE))


def roll_rule() -> bool:
    return bool(settings.SANYI_ROLL_NONWORKING_RECEIPT)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day number ``months`` later, or the last day of that month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))


def _merged_stops(stops: Sequence[Stop], after: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Stopped days (inclusive ranges) after ``after``, merged."""
    ranges = sorted(
        (max(s + dt.timedelta(days=1), after + dt.timedelta(days=1)), r) for s, r in stops if r > s
    )
    merged: list[tuple[dt.date, dt.date]] = []
    for x, y in ranges:
        if y < x:
            continue
        if merged and x <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(y, merged[-1][1]))
        else:
            merged.append((x, y))
    return merged


def _next_workday_on_or_after(cal: WorkCalendar, day: dt.date) -> dt.date:
    while not cal.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _calendar_due(
    cal: WorkCalendar, start: dt.date, raw_due: dt.date, stops: Sequence[Stop]
) -> dt.date:
    """A calendar-day limit ending ``raw_due``, moved by the stopped calendar days that fall
    before it (a stop may push the end into another stop, so walk them in order)."""
    due = raw_due
    for x, y in _merged_stops(stops, start):
        if x <= due:
            due += dt.timedelta(days=(y - x).days + 1)
    return _next_workday_on_or_after(cal, due)


def limit_due(
    *,
    start: dt.date,
    value: int | None,
    unit: str,
    stops: Sequence[Stop] = (),
    extension_days: int = 0,
    calendar: WorkCalendar | None = None,
    roll: bool | None = None,
) -> Deadline | None:
    """The due date of one limit, or None when the item has no such limit."""
    if not value or unit in ("", LimitUnit.NONE):
        return None
    cal = calendar or current_calendar()
    roll = roll_rule() if roll is None else roll
    if unit == LimitUnit.WORKING_DAY:
        return cal.add_workdays(
            start, value + extension_days, stops=stops, roll_nonworking_start=roll
        )
    begin = cal.add_workdays(start, 0, roll_nonworking_start=roll).date
    if unit == LimitUnit.NATURAL_DAY:
        raw = begin + dt.timedelta(days=value)
    elif unit == LimitUnit.MONTH:
        raw = add_months(begin, value)
    else:
        raise ValueError(f"未知的时限单位：{unit}")
    due = _calendar_due(cal, begin, raw, stops)
    if extension_days:
        due = cal.add_workdays(due, extension_days, stops=stops).date
    years = range(start.year, due.year + 1)
    return Deadline(due, any(cal.is_provisional(dt.date(y, 1, 1)) for y in years))


@dataclass(frozen=True)
class Dues:
    statutory: Deadline | None
    promised: Deadline | None

    @property
    def provisional(self) -> bool:
        return any(d is not None and d.provisional for d in (self.statutory, self.promised))


def case_stops(case, *, today: dt.date | None = None) -> list[Stop]:
    """The case's stops as (stopped_on, restarted_on); an open stop counts up to today."""
    today = today or timezone.localdate()
    return [
        (s.stopped_on, s.restarted_on or max(today, s.stopped_on)) for s in case.clock_stops.all()
    ]


def compute_dues(
    case, *, stops: Sequence[Stop] | None = None, today: dt.date | None = None
) -> Dues:
    """Statutory and promised due dates of an accepted case under the version it runs on."""
    if case.accepted_on is None:
        return Dues(None, None)
    version = case.item_version
    if case.is_instant:
        same_day = Deadline(case.accepted_on, current_calendar().is_provisional(case.accepted_on))
        return Dues(same_day, same_day)
    stops = case_stops(case, today=today) if stops is None else stops
    cal = current_calendar()
    common = {
        "start": case.accepted_on,
        "stops": stops,
        "extension_days": case.extension_days,
        "calendar": cal,
    }
    return Dues(
        statutory=limit_due(
            value=version.statutory_limit_value, unit=version.statutory_limit_unit, **common
        ),
        promised=limit_due(
            value=version.promised_limit_value, unit=version.promised_limit_unit, **common
        ),
    )


@dataclass(frozen=True)
class CaseClock:
    """How a case stands against its limits on ``today`` (working days)."""

    elapsed: int
    stopped: int
    remaining: int | None
    used_share: float | None
    warning_level: str
    provisional: bool
    statutory_due_on: dt.date | None
    promised_due_on: dt.date | None
    running: bool


def clock_of(
    case, *, today: dt.date | None = None, stops: Sequence[Stop] | None = None
) -> CaseClock:
    """How ``case`` stands on ``today``. ``stops``, when given, are the case's stops as
    ``case_stops`` returns them (the warnings job reads them for every case at once)."""
    from sanyi.cases.choices import OPEN_STATUSES, CaseStatus, WarningLevel

    today = today or timezone.localdate()
    if case.accepted_on is None:
        return CaseClock(0, 0, None, None, WarningLevel.NONE, False, None, None, False)
    cal = current_calendar()
    stops = case_stops(case, today=today) if stops is None else stops
    dues = compute_dues(case, stops=stops, today=today)
    end = today
    if case.concluded_on and case.status not in OPEN_STATUSES:
        end = min(today, case.concluded_on)
    begin = cal.add_workdays(case.accepted_on, 0, roll_nonworking_start=roll_rule()).date
    if end < begin:
        end = begin
    plain = cal.workdays_between(begin, end)
    net = cal.workdays_between(begin, end, stops=stops)
    due = dues.promised or dues.statutory
    remaining = used = None
    level = WarningLevel.NONE
    if due is not None:
        remaining = cal.workdays_between(end, due.date, stops=stops).days
        total = cal.workdays_between(begin, due.date, stops=stops).days
        used = 1.0 if total <= 0 and end >= due.date else (net.days / total if total else 0.0)
        if end > due.date:
            level = WarningLevel.RED
        elif used >= warning_share():
            level = WarningLevel.YELLOW
    provisional = dues.provisional or plain.provisional
    return CaseClock(
        elapsed=net.days,
        stopped=plain.days - net.days,
        remaining=remaining,
        used_share=used,
        warning_level=level,
        provisional=provisional,
        statutory_due_on=dues.statutory.date if dues.statutory else None,
        promised_due_on=dues.promised.date if dues.promised else None,
        running=case.status == CaseStatus.IN_PROGRESS,
    )
