"""Rolling up one day: every source read by a handful of GROUP BY queries, the day's rows
replaced in one transaction.

The number of queries does not grow with the number of cases: each source is one
aggregate query grouped by unit, item and channel, and the handling working days are
grouped by acceptance date as well, so the calendar is asked once per distinct date.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from sanyi.analytics.definitions import (
    ON_TIME_PROMISED,
    ON_TIME_STATUTORY,
    ONE_VISIT,
    ZERO_VISIT,
    accepted_q,
    concluded_q,
    received_q,
)
from sanyi.analytics.models import MEASURES, DailyFact, MonthlyFact
from sanyi.audit.services import audit_record
from sanyi.calendar.selectors import current_calendar
from sanyi.cases.models import Case, PrecheckRound
from sanyi.core.actors import Actor
from sanyi.disclosure_requests.models import InfoRequest
from sanyi.grid.models import EventReport, HouseholdVisit, Visit
from sanyi.openness.choices import DisclosureAttribute
from sanyi.openness.models import DirectoryEntry, Publication
from sanyi.openness.selectors.public import PUBLIC_STATUSES
from sanyi.openness.selectors.timeliness import publish_by
from sanyi.ratings.choices import BAD_LEVEL
from sanyi.ratings.models import Rating, Rectification

# (unit id, item id or None, channel or "")
Key = tuple[int, int | None, str]
Facts = defaultdict[Key, dict[str, int]]
CASE_KEYS = ("unit_id", "implementation_item_id", "channel")
# SQLite allows 999 parameters in older builds; 27 columns a row keeps a batch under it.
BATCH = 30


@dataclass(frozen=True)
class RollupResult:
    days: int
    rows: int
    seconds: float


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local day as an aware half-open interval."""
    lo = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return lo, hi


def _add(facts: Facts, rows: Iterable[dict[str, Any]], keys: tuple[str, str, str]) -> None:
    """Add the aggregate rows to the facts: ``keys`` name the unit, item and channel
    columns (an empty name for "not applicable"); every other column is a measure."""
    unit_k, item_k, channel_k = keys
    for row in rows:
        key = (row.pop(unit_k), row.pop(item_k) if item_k else None, row.pop(channel_k, "") or "")
        bucket = facts[key]
        for name, value in row.items():
            bucket[name] = bucket.get(name, 0) + (value or 0)


def _received(facts: Facts, day: dt.date) -> None:
    rows = (
        Case.objects.filter(received_q(day, day))
        .values(*CASE_KEYS)
        .annotate(received=Count("id"))
        .order_by()
    )
    _add(facts, rows, CASE_KEYS)


def _accepted(facts: Facts, day: dt.date) -> None:
    rows = (
        Case.objects.filter(accepted_q(day, day))
        .values(*CASE_KEYS)
        .annotate(accepted=Count("id"))
        .order_by()
    )
    _add(facts, rows, CASE_KEYS)


def _concluded(facts: Facts, day: dt.date) -> None:
    """Concluded cases, grouped by acceptance date too for the working days."""
    calendar = current_calendar()
    rows = (
        Case.objects.filter(concluded_q(day, day))
        .values(*CASE_KEYS, "accepted_on")
        .annotate(
            concluded=Count("id"),
            concluded_on_time_promised=Count("id", filter=ON_TIME_PROMISED),
            concluded_on_time_statutory=Count("id", filter=ON_TIME_STATUTORY),
            # Not "visits": an annotation may not shadow the field the filters read.
            visits_sum=Sum("visits"),
            zero_visit=Count("id", filter=ZERO_VISIT),
            one_visit=Count("id", filter=ONE_VISIT),
            stopped=Sum("stopped_days"),
        )
        .order_by()
    )
    measured = []
    for row in rows:
        accepted_on, stopped = row.pop("accepted_on"), row.pop("stopped") or 0
        row["visits"] = row.pop("visits_sum")
        workdays = 0
        if accepted_on is not None and accepted_on <= day:
            span = calendar.workdays_between(accepted_on, day).days * row["concluded"]
            workdays = max(span - stopped, 0)
        row["handling_workdays_sum"] = workdays
        measured.append(row)
    _add(facts, measured, CASE_KEYS)


def _prechecks(facts: Facts, day: dt.date) -> None:
    lo, hi = _bounds(day)
    keys = ("case__unit_id", "case__implementation_item_id", "case__channel")
    rows = (
        PrecheckRound.objects.filter(created_at__gte=lo, created_at__lt=hi)
        .values(*keys)
        .annotate(
            precheck_rounds=Count("id", filter=Q(at_acceptance=False)),
            correction_notices=Count("id", filter=Q(at_acceptance=True)),
        )
        .order_by()
    )
    _add(facts, rows, keys)


def _ratings(facts: Facts, day: dt.date) -> None:
    keys = ("unit_id", "item_id", "case__channel")
    rows = (
        Rating.objects.filter(rated_on=day, excluded=False)
        .values(*keys)
        .annotate(ratings=Count("id"), ratings_good=Count("id", filter=Q(level__gt=BAD_LEVEL)))
        .order_by()
    )
    _add(facts, rows, keys)


def _rectifications(facts: Facts, day: dt.date) -> None:
    """Bad ratings whose rectification falls due on ``day``: counted on the due day, so the
    figure is final once the day is over (a rectification completed later is late)."""
    keys = ("rating__unit_id", "rating__item_id", "rating__case__channel")
    rows = (
        Rectification.objects.filter(due_on=day, rating__excluded=False)
        .values(*keys)
        .annotate(
            ratings_bad=Count("id"),
            ratings_bad_rectified_on_time=Count(
                "id", filter=Q(completed_on__isnull=False, completed_on__lte=day)
            ),
        )
        .order_by()
    )
    _add(facts, rows, keys)


def _publications(facts: Facts, day: dt.date) -> None:
    """Proactive records with a time limit published on ``day``, against their publish-by
    date (computed once per distinct time limit and formed date, not per record)."""
    lo, hi = _bounds(day)
    keys = ("directory_entry__org_unit_id", "directory_entry__time_limit_days")
    rows = (
        Publication.objects.filter(
            attribute=DisclosureAttribute.PROACTIVE,
            status__in=PUBLIC_STATUSES,
            publish_at__gte=lo,
            publish_at__lt=hi,
            formed_on__isnull=False,
            directory_entry__time_limit_days__isnull=False,
        )
        .values(*keys, "directory_entry__time_limit_unit", "formed_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    measured = []
    for row in rows:
        entry = DirectoryEntry(
            time_limit_days=row[keys[1]], time_limit_unit=row["directory_entry__time_limit_unit"]
        )
        due = publish_by(entry, row["formed_on"])
        on_time = due is None or day <= due.date
        measured.append(
            {
                "unit": row[keys[0]],
                "publications_timed": row["n"],
                "publications_on_time": row["n"] if on_time else 0,
            }
        )
    _add(facts, measured, ("unit", "", ""))


def _requests(facts: Facts, day: dt.date) -> None:
    on_time = Q(reply_due_on__isnull=True) | Q(reply_due_on__gte=day)
    rows = (
        InfoRequest.objects.filter(concluded_on=day)
        .values("agency_id")
        .annotate(requests_answered=Count("id"), requests_on_time=Count("id", filter=on_time))
        .order_by()
    )
    _add(facts, rows, ("agency_id", "", ""))


# Grid work per grid: (rows, when they happened, the grid they belong to, the measure).
GRID_COUNTS = (
    (Visit.objects, "visited_at", "task__unit_id", "grid_visits"),  # doorstep, step's grid
    (HouseholdVisit.objects, "visited_at", "grid_id", "grid_visits"),
    (EventReport.objects, "created_at", "grid_id", "events_reported"),
    (EventReport.objects, "closed_at", "grid_id", "events_closed"),
)


def _grid(facts: Facts, day: dt.date) -> None:
    lo, hi = _bounds(day)
    for manager, when, grid, measure in GRID_COUNTS:
        rows = (
            manager.filter(**{f"{when}__gte": lo, f"{when}__lt": hi})
            .values(grid)
            .annotate(**{measure: Count("id")})
            .order_by()
        )
        _add(facts, rows, (grid, "", ""))


SOURCES = (
    _received,
    _accepted,
    _concluded,
    _prechecks,
    _ratings,
    _rectifications,
    _requests,
    _publications,
    _grid,
)


def day_facts(day: dt.date) -> list[DailyFact]:
    """The facts of ``day`` computed from the raw rows (unsaved)."""
    facts: Facts = defaultdict(dict)
    for source in SOURCES:
        source(facts, day)
    return [
        DailyFact(
            day=day,
            unit_id=unit_id,
            item_id=item_id,
            channel=channel,
            **{name: measures.get(name, 0) for name in MEASURES},
        )
        for (unit_id, item_id, channel), measures in facts.items()
        if any(measures.values())
    ]


def refresh_month(day: dt.date) -> None:
    """Replace the monthly facts of ``day``'s month with the sums of its daily facts: one
    grouped query and one insert, whatever the number of days or cases."""
    month = day.replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    sums = (
        DailyFact.objects.filter(day__gte=month, day__lt=following)
        .values("unit_id", "item_id", "channel")
        .annotate(**{f"{name}_sum": Sum(name) for name in MEASURES})
        .order_by()
    )
    rows = [
        MonthlyFact(
            month=month,
            unit_id=row["unit_id"],
            item_id=row["item_id"],
            channel=row["channel"],
            **{name: row[f"{name}_sum"] or 0 for name in MEASURES},
        )
        for row in sums
    ]
    MonthlyFact.objects.filter(month=month).delete()
    MonthlyFact.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def rollup_day(*, day: dt.date, actor: Actor, with_month: bool = True) -> int:
    """Replace the facts of ``day`` with a fresh computation, then its month's sums (unless
    the caller refreshes the month itself); returns the daily rows written."""
    rows = day_facts(day)
    DailyFact.objects.filter(day=day).delete()
    DailyFact.objects.bulk_create(rows, batch_size=BATCH)
    if with_month:
        refresh_month(day)
    audit_record(
        actor=actor,
        action="analytics.rollup",
        object_type="analytics.dailyfact",
        object_id=f"{day:%Y-%m-%d}",
        note=f"重算{day:%Y-%m-%d}的日统计，{len(rows)}行",
    )
    return len(rows)


def rollup_rebuild(*, start: dt.date, end: dt.date, actor: Actor) -> RollupResult:
    """Recompute every day from ``start`` to ``end`` (inclusive), one transaction a day so a
    long rebuild neither holds one huge transaction nor leaves a day half-written."""
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期"})
    began = time.perf_counter()
    rows, day = 0, start
    while day <= end:
        # A month's sums are refreshed once, with its last day of the range.
        last_of_month = day == end or (day + dt.timedelta(days=1)).month != day.month
        with transaction.atomic():
            rows += rollup_day(day=day, actor=actor, with_month=False)
            if last_of_month:
                refresh_month(day)
        day += dt.timedelta(days=1)
    return RollupResult(days=(end - start).days + 1, rows=rows, seconds=time.perf_counter() - began)
