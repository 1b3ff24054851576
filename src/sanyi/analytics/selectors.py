"""Reading the daily facts: what the dashboards show.

Visibility: a member of staff sees the facts of the units under the units they hold any
role on (a community supervisor sees that community and its grids, never a neighbour's);
``orgs.permissions.scope_q`` is the one rule. The dashboards are GET pages, so where read
replicas are configured these reads go to one of them (``sanyi.core.replicas``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from sanyi.analytics.models import MEASURES, DailyFact, MonthlyFact
from sanyi.catalog.models import ImplementationItem
from sanyi.orgs.models import OrgUnit, Role, User
from sanyi.orgs.permissions import scope_q
from sanyi.orgs.tree import subtree_q


def facts(
    viewer: User,
    *,
    start: dt.date,
    end: dt.date,
    unit: OrgUnit | None = None,
    item: ImplementationItem | None = None,
) -> QuerySet[DailyFact]:
    """The facts from ``start`` to ``end`` (inclusive) of the units in the viewer's scope,
    narrowed to ``unit``'s subtree and to ``item`` when given."""
    qs = DailyFact.objects.filter(
        scope_q(viewer, Role.values, path_field="unit__path"), day__gte=start, day__lte=end
    )
    if unit is not None:
        qs = qs.filter(subtree_q(unit.path, "unit__path"))
    if item is not None:
        qs = qs.filter(item=item)
    return qs.order_by("day", "unit_id", "item_id", "channel")


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def split_period(
    start: dt.date, end: dt.date
) -> tuple[list[tuple[dt.date, dt.date]], tuple[dt.date, dt.date] | None]:
    """The period cut into the whole months inside it (read from the monthly facts: first
    and last month, by their first days) and the days at either end (read from the daily
    facts). A period inside one month, or with no whole month, is read by the day."""
    first = start if start.day == 1 else _month_after(start)
    end_next = end + dt.timedelta(days=1)
    last = end if end_next.day == 1 else end.replace(day=1) - dt.timedelta(days=1)
    if first > last:
        return [(start, end)], None
    days = []
    if start < first:
        days.append((start, first - dt.timedelta(days=1)))
    if last < end:
        days.append((last + dt.timedelta(days=1), end))
    return days, (first, last.replace(day=1))


def _matching(model: Any, where: Q | None) -> QuerySet[Any]:
    qs = model.objects.all()
    return qs.filter(where) if where is not None else qs


def sums(
    viewer: User,
    *,
    start: dt.date,
    end: dt.date,
    by: Sequence[str] = (),
    where: Q | None = None,
) -> list[dict[str, Any]]:
    """Every measure summed from ``start`` to ``end`` (inclusive) over the facts in the
    viewer's scope that match ``where`` (a Q over ``unit``, ``item`` and ``channel``),
    grouped by ``by``: any of "unit_id", "unit__path", "item_id", "channel", "month" (first
    day of the month) and "day". One row per group, measures 0 where nothing was counted;
    no group at all when ``by`` is empty and nothing matched gives one row of zeros.

    Whole months are read from the monthly facts and the days at either end of the period
    from the daily facts (grouping by "day" reads the daily facts only), so a year costs
    at most two queries over about twelve rows per key.
    """
    scope = scope_q(viewer, Role.values, path_field="unit__path")
    return district_sums(
        start=start, end=end, by=by, where=scope & where if where is not None else scope
    )


def district_sums(
    *,
    start: dt.date,
    end: dt.date,
    by: Sequence[str] = (),
    where: Q | None = None,
) -> list[dict[str, Any]]:
    """``sums`` over the whole district, for the public statistics (no viewer, no scope:
    the counts hold no personal data)."""
    by = tuple(by)
    annotations = {f"{name}__sum": Sum(name) for name in MEASURES}
    days, months = ([(start, end)], None) if "day" in by else split_period(start, end)
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}

    def add(rows: Any) -> None:
        for row in rows:
            key = tuple(row[name] for name in by)
            into = merged.setdefault(key, {**dict(zip(by, key, strict=True))})
            for name in MEASURES:
                into[name] = into.get(name, 0) + (row[f"{name}__sum"] or 0)

    if days:
        in_days = Q()
        for lo, hi in days:
            in_days |= Q(day__gte=lo, day__lte=hi)
        daily = _matching(DailyFact, where).filter(in_days)
        if "month" in by:
            daily = daily.annotate(month=TruncMonth("day"))
        add(daily.values(*by).annotate(**annotations).order_by() if by else
            [daily.aggregate(**annotations)])  # fmt: skip
    if months is not None:
        monthly = _matching(MonthlyFact, where).filter(month__gte=months[0], month__lte=months[1])
        add(monthly.values(*by).annotate(**annotations).order_by() if by else
            [monthly.aggregate(**annotations)])  # fmt: skip
    return [
        {**row, **{name: row.get(name, 0) for name in MEASURES}}
        for _, row in sorted(merged.items(), key=lambda kv: tuple(str(v) for v in kv[0]))
    ]


def totals(
    viewer: User,
    *,
    start: dt.date,
    end: dt.date,
    unit: OrgUnit | None = None,
    item: ImplementationItem | None = None,
) -> dict[str, int]:
    """Every measure summed over the period (0 where there is none), narrowed to ``unit``'s
    subtree and to ``item`` when given."""
    where = Q()
    if unit is not None:
        where &= subtree_q(unit.path, "unit__path")
    if item is not None:
        where &= Q(item=item)
    (row,) = sums(viewer, start=start, end=end, where=where)
    return {name: row[name] for name in MEASURES}
