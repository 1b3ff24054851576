"""The cases behind a dashboard figure (办件明细), counted by the same conditions as the
rollup (``analytics.definitions``), so a list holds exactly the cases its figure counts.

Visibility is the facts' rule: the unit the figure was counted under (the case's
receiving unit, or the rating's unit for rating figures) lies in the viewer's scope.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sanyi.analytics.dashboard import Filters, theme_items
from sanyi.analytics.definitions import DRILLS
from sanyi.cases.models import Case
from sanyi.orgs.models import Role, User
from sanyi.orgs.permissions import scope_q
from sanyi.orgs.tree import subtree_q

RELATED = ("implementation_item__base_item", "unit", "current_unit")


def drill_cases(viewer: User, *, measure: str, filters: Filters) -> QuerySet[Case]:
    """The cases counted by ``measure`` over the filters' period, newest first.
    Raises KeyError for a measure without a drill-down."""
    drill = DRILLS[measure]
    unit_f = "rating__unit" if drill.by_rating else "unit"
    item_f = "rating__item" if drill.by_rating else "implementation_item"
    qs = Case.objects.filter(
        scope_q(viewer, Role.values, path_field=f"{unit_f}__path"),
        drill.q(filters.start, filters.end),
    )
    if filters.unit is not None:
        qs = qs.filter(subtree_q(filters.unit.path, f"{unit_f}__path"))
    if filters.item is not None:
        qs = qs.filter(**{item_f: filters.item})
    if filters.theme:
        qs = qs.filter(**{f"{item_f}__in": theme_items(filters.theme)})
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    return qs.select_related(*RELATED).order_by("-pk")
