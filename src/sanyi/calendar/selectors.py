"""Reading the calendar. The calendar is public information, so these take no viewer.

``current_calendar()`` returns a ``WorkCalendar`` built from the database and kept in this
process, so deadline arithmetic in a request or a batch costs no query at all.

Keeping it fresh:

* In the process that makes a change, the services drop the kept calendar at once (so
  work later in the same transaction sees the change) and again after commit (so nothing
  built from the old data while the transaction ran survives it). While a change of this
  thread is not yet committed, the calendar is built for each call and not kept, because
  the transaction may still roll back.
* Other processes (other web workers, the task worker) compare the id of the newest
  ``CalendarChange`` row with the one their calendar was built from, at most once every
  ``CHECK_SECONDS``. Every change writes such a row in its own transaction, so the id is an
  exact version number that needs nothing beyond the database every process already
  shares. A version kept in Django's cache would only work where the cache is shared
  (Redis); the default cache is per process. The check is one primary-key lookup, and a
  change reaches every process within ``CHECK_SECONDS`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from sanyi.calendar.models import CalendarChange, CalendarDay, CalendarYear, DayKind
from sanyi.calendar.workdays import Count, Deadline, Stop, WorkCalendar

CHECK_SECONDS = 5.0

_lock = threading.Lock()
_kept: tuple[WorkCalendar, int | None, float] | None = None  # calendar, version, checked at
_generation = 0  # bumped by every drop, so a build that raced a drop is not kept
_thread = threading.local()  # .pending: this thread has an uncommitted calendar change


def calendar_version() -> int | None:
    """The id of the newest change record, or None on a database without any."""
    return CalendarChange.objects.order_by("-id").values_list("id", flat=True).first()


def calendar_build() -> WorkCalendar:
    """A fresh ``WorkCalendar`` from the database (two queries)."""
    holidays: dict[date, str] = {}
    makeup: dict[date, str] = {}
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (holidays if kind == DayKind.HOLIDAY else makeup)[day] = name
    years = CalendarYear.objects.values_list("year", flat=True)
    return WorkCalendar(holidays, makeup, years)


def calendar_cache_clear() -> None:
    """Drop the calendar kept in this process; the next call rebuilds it."""
    global _kept, _generation
    with _lock:
        _kept = None
        _generation += 1
    _thread.pending = False


def calendar_change_pending() -> None:
    """Called by the services inside the transaction that changes the calendar."""
    calendar_cache_clear()
    _thread.pending = True


def current_calendar() -> WorkCalendar:
    """The calendar as it is in the database now (see the module docstring on freshness)."""
    global _kept
    if getattr(_thread, "pending", False):
        if connection.in_atomic_block:
            return calendar_build()
        # The transaction ended without its commit hook running: it was rolled back.
        calendar_cache_clear()
    kept = _kept
    now = time.monotonic()
    if kept is not None and now - kept[2] < CHECK_SECONDS:
        return kept[0]
    generation = _generation
    version = calendar_version()
    if kept is not None and kept[1] == version:
        with _lock:
            if _generation == generation:
                _kept = (kept[0], version, now)
        return kept[0]
    calendar = calendar_build()
    with _lock:
        if _generation == generation:
            _kept = (calendar, version, now)
    return calendar


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day on the current calendar (the scheduler runs the
    working-day jobs only then)."""
    return current_calendar().is_workday(day)


def add_workdays(
    start: date,
    n: int,
    *,
    stops: Sequence[Stop] = (),
    roll_nonworking_start: bool | None = None,
) -> Deadline:
    """``WorkCalendar.add_workdays`` on the current calendar.

    ``roll_nonworking_start=None`` follows the setting SANYI_ROLL_NONWORKING_RECEIPT
    (on by default: something received on a non-working day counts from the next one).
    """
    if roll_nonworking_start is None:
        roll_nonworking_start = settings.SANYI_ROLL_NONWORKING_RECEIPT
    return current_calendar().add_workdays(
        start, n, stops=stops, roll_nonworking_start=roll_nonworking_start
    )


def workdays_between(a: date, b: date, *, stops: Sequence[Stop] = ()) -> Count:
    """``WorkCalendar.workdays_between`` on the current calendar."""
    return current_calendar().workdays_between(a, b, stops=stops)


def calendar_year_get(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).first()


def calendar_day_list(*, year: int) -> QuerySet[CalendarDay]:
    """The holidays and make-up working days of one year, by date."""
    return CalendarDay.objects.filter(
        date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)
    ).order_by("date")


def can_manage_calendar(user: object) -> bool:
    """Only system administrators load holiday notices and correct days."""
    from sanyi.orgs.models import Role
    from sanyi.orgs.permissions import scope_paths

    return bool(getattr(user, "is_authenticated", False)) and bool(
        scope_paths(user, Role.SYSTEM_ADMIN)  # type: ignore[arg-type]
    )


def calendar_year_list() -> QuerySet[CalendarYear]:
    """The loaded notices, newest year first."""
    return CalendarYear.objects.order_by("-year")


def calendar_change_list() -> QuerySet[CalendarChange]:
    """Every change to the calendar, newest first."""
    return CalendarChange.objects.order_by("-id")


def calendar_years_missing(*, today: date | None = None) -> list[int]:
    """This year and next, when their notice is not loaded (dates there are provisional)."""
    from django.utils import timezone

    year = (today or timezone.localdate()).year
    loaded = set(
        CalendarYear.objects.filter(year__in=[year, year + 1]).values_list("year", flat=True)
    )
    return [y for y in (year, year + 1) if y not in loaded]
