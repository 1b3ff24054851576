"""Selectors for the phone workbench's level cards: each unit's open cases, waiting steps
and overdue steps (a unit counts the steps at it and at the units under it).

One query for any number of units (a conditional count per unit over its path prefix);
units outside the viewer's scope get nothing."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from sanyi.cases.choices import OPEN_STATUSES, TaskStatus
from sanyi.cases.models import CaseTask
from sanyi.orgs.models import OrgUnit, User
from sanyi.orgs.permissions import units_in_scope
from sanyi.orgs.tree import subtree_q


def case_level_counts(viewer: User, units: list[OrgUnit]) -> dict[int, list[tuple[str, int, str]]]:
    units = units_in_scope(viewer, units)
    if not units:
        return {}
    today = timezone.localdate()
    aggregates = {}
    for unit in units:
        here = subtree_q(unit.path, "unit__path")
        aggregates[f"c{unit.pk}"] = Count("case_id", filter=here, distinct=True)
        aggregates[f"t{unit.pk}"] = Count("id", filter=here)
        aggregates[f"o{unit.pk}"] = Count("id", filter=here & Q(due_on__lt=today))
    row = CaseTask.objects.filter(status=TaskStatus.OPEN, case__status__in=OPEN_STATUSES).aggregate(
        **aggregates
    )
    return {
        u.pk: [
            ("办理中办件", row[f"c{u.pk}"], "workbench:cases:home"),
            ("待办环节", row[f"t{u.pk}"], "workbench:cases:home"),
            ("超期环节", row[f"o{u.pk}"], "workbench:cases:home"),
        ]
        for u in units
    }
