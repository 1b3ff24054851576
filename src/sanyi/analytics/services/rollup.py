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

from sanyi.analytics.models import MEASURES, DailyFact
from sanyi.audit.services import audit_record
from sanyi.calendar.selectors import current_calendar
from sanyi.cases.choices import CaseChannel, CaseStatus
from sanyi.cases.models import Case, PrecheckRound
from sanyi.core.actors import Actor
from sanyi.disclosure_requests.models import InfoRequest
from sanyi.grid.models import EventReport, HouseholdVisit, Visit
from sanyi.ratings.choices import BAD_LEVEL
from sanyi.ratings.models import Rating

# (unit id, item id or None, channel or "")
Key = tuple[int, int | None, str]
Facts = defaultdict[Key, dict[str, int]]
CASE_KEYS = ("unit_id", "implementation_item_id", "channel")
# SQLite allows 999 parameters in older builds; 21 columns a row keeps a batch under it.
BATCH = 40


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
    lo, hi = _bounds(day)
    online = Q(channel=CaseChannel.ONLINE, submitted_at__gte=lo, submitted_at__lt=hi)
    counter = ~Q(channel=CaseChannel.ONLINE) & Q(created_at__gte=lo, created_at__lt=hi)
    rows = (
        Case.objects.filter(online | counter)
        .exclude(status=CaseStatus.CANCELLED)
        .values(*CASE_KEYS)
        .annotate(received=Count("id"))
        .order_by()
    )
    _add(facts, rows, CASE_KEYS)


def _accepted(facts: Facts, day: dt.date) -> None:
    rows = (
        Case.objects.filter(accepted_on=day)
        .values(*CASE_KEYS)
        .annotate(accepted=Count("id"))
        .order_by()
    )
    _add(facts, rows, CASE_KEYS)


def _concluded(facts: Facts, day: dt.date) -> None:
    """Concluded cases, grouped by acceptance date too for the working days."""
    calendar = current_calendar()
    rows = (
        Case.objects.filter(concluded_on=day)
        .values(*CASE_KEYS, "accepted_on")
        .annotate(
            concluded=Count("id"),
            concluded_on_time_promised=Count(
                "id", filter=Q(promised_due_on__isnull=True) | Q(promised_due_on__gte=day)
            ),
            concluded_on_time_statutory=Count(
                "id", filter=Q(statutory_due_on__isnull=True) | Q(statutory_due_on__gte=day)
            ),
            # Not "visits": an annotation may not shadow the field the filters read.
            visits_sum=Sum("visits"),
            zero_visit=Count("id", filter=Q(visits=0)),
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


SOURCES = (_received, _accepted, _concluded, _prechecks, _ratings, _requests, _grid)


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


@transaction.atomic
def rollup_day(*, day: dt.date, actor: Actor) -> int:
    """Replace the facts of ``day`` with a fresh computation; returns the rows written."""
    rows = day_facts(day)
    DailyFact.objects.filter(day=day).delete()
    DailyFact.objects.bulk_create(rows, batch_size=BATCH)
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
        rows += rollup_day(day=day, actor=actor)
        day += dt.timedelta(days=1)
    return RollupResult(days=(end - start).days + 1, rows=rows, seconds=time.perf_counter() - began)
