"""Reading the daily facts: what the dashboards show.

Visibility: a member of staff sees the facts of the units under the units they hold any
role on (a community supervisor sees that community and its grids, never a neighbour's);
``orgs.permissions.scope_q`` is the one rule. Reads go to the replica database when one
is configured (SANYI_REPLICA_DATABASE_URL), since figures a few seconds old are fine and
the primary is left to the counters and windows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet, Sum

from sanyi.analytics.models import MEASURES, DailyFact
from sanyi.catalog.models import ImplementationItem
from sanyi.orgs.models import OrgUnit, Role, User
from sanyi.orgs.permissions import scope_q
from sanyi.orgs.tree import subtree_q


def _db() -> str:
    """The database alias analytics reads from: "replica" when configured, else "default"."""
    return str(settings.SANYI_ANALYTICS_DATABASE)


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
    qs = DailyFact.objects.using(_db()).filter(
        scope_q(viewer, Role.values, path_field="unit__path"), day__gte=start, day__lte=end
    )
    if unit is not None:
        qs = qs.filter(subtree_q(unit.path, "unit__path"))
    if item is not None:
        qs = qs.filter(item=item)
    return qs.order_by("day", "unit_id", "item_id", "channel")


def totals(
    viewer: User,
    *,
    start: dt.date,
    end: dt.date,
    unit: OrgUnit | None = None,
    item: ImplementationItem | None = None,
) -> dict[str, int]:
    """Every measure summed over ``facts(...)`` (0 where there is none)."""
    sums = (
        facts(viewer, start=start, end=end, unit=unit, item=item)
        .order_by()
        .aggregate(**{name: Sum(name) for name in MEASURES})
    )
    return {name: sums[name] or 0 for name in MEASURES}
