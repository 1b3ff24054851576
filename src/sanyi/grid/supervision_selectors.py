"""Reading the supervision figures of grid work (督查): per officer, the visits recorded
and the doorstep steps done on time or late in a period; per grid, the households whose
visit is due or overdue, and the event reports open and closed.

Visibility: a supervisor sees the grids under the units they hold the ``supervisor`` role
on (a community or subdistrict leader with that role sees their own area), and the
officers of those grids. Every figure comes from a fixed number of queries, whatever the
number of grids or officers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from sanyi.cases.choices import TaskStatus
from sanyi.cases.models import CaseTask
from sanyi.grid.models import HouseholdVisit, Visit
from sanyi.grid.selectors import DUE_SOON_DAYS, doorstep_q, event_figures, with_next_due
from sanyi.orgs.models import OrgKind, OrgUnit, Role, RoleAssignment, User
from sanyi.orgs.permissions import scope_paths, scope_q

SUPERVISOR_ROLES = (Role.SUPERVISOR,)


def is_supervisor(viewer: User) -> bool:
    return bool(scope_paths(viewer, SUPERVISOR_ROLES))


def supervised_grids(viewer: User) -> QuerySet[OrgUnit]:
    """The grids under the units the viewer supervises."""
    return OrgUnit.objects.filter(
        scope_q(viewer, SUPERVISOR_ROLES, path_field="path"), kind=OrgKind.GRID
    ).order_by("path")


@dataclass
class OfficerFigures:
    officer: User
    grids: list[str] = field(default_factory=list)
    case_visits: int = 0  # doorstep visits that completed a case step
    household_visits: int = 0  # visit-log entries
    on_time: int = 0  # doorstep steps completed by their due date
    late: int = 0

    @property
    def visits(self) -> int:
        return self.case_visits + self.household_visits


@dataclass
class GridFigures:
    grid: OrgUnit
    households: int = 0
    due_soon: int = 0  # next visit within DUE_SOON_DAYS, not yet overdue
    overdue: int = 0
    never: int = 0  # never visited
    events_open: int = 0  # event reports made in the grid, not yet concluded
    events_closed: int = 0


@dataclass
class SupervisionFigures:
    start: dt.date
    end: dt.date
    officers: list[OfficerFigures]
    grids: list[GridFigures]


def period_default(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """This month up to today."""
    today = today or timezone.localdate()
    return today.replace(day=1), today


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _per_officer(grids: list[OrgUnit], start: dt.date, end: dt.date) -> dict[int, Counter]:
    """Counts by officer id: case visits, household visits, steps on time and late."""
    lo, hi = _bounds(start, end)
    out: dict[int, Counter] = {}
    case_visits = (
        Visit.objects.filter(task__unit__in=grids, visited_at__gte=lo, visited_at__lt=hi)
        .values("officer_id")
        .annotate(n=Count("id"))
    )
    for row in case_visits:
        out.setdefault(row["officer_id"], Counter())["case_visits"] += row["n"]
    log = (
        HouseholdVisit.objects.filter(grid__in=grids, visited_at__gte=lo, visited_at__lt=hi)
        .values("officer_id")
        .annotate(n=Count("id"))
    )
    for row in log:
        out.setdefault(row["officer_id"], Counter())["household_visits"] += row["n"]
    late = Q(due_on__isnull=False) & Q(completed_at__date__gt=F("due_on"))
    steps = (
        CaseTask.objects.filter(
            doorstep_q(),
            unit__in=grids,
            status=TaskStatus.DONE,
            completed_by__isnull=False,
            completed_at__gte=lo,
            completed_at__lt=hi,
        )
        .values("completed_by_id")
        .annotate(late=Count("id", filter=late), total=Count("id"))
    )
    for row in steps:
        counts = out.setdefault(row["completed_by_id"], Counter())
        counts["late"] += row["late"]
        counts["on_time"] += row["total"] - row["late"]
    return out


def _officers(grids: list[OrgUnit], also: set[int]) -> dict[int, OfficerFigures]:
    """The officers of the grids (a role on the grid itself), plus the officers who worked
    there in the period (``also``, e.g. a community's officer); one query."""
    rows = (
        RoleAssignment.objects.filter(role=Role.GRID_OFFICER, is_active=True)
        .filter(Q(org_unit__in=grids) | Q(user_id__in=also))
        .select_related("user", "org_unit")
        .order_by("user__username")
    )
    out: dict[int, OfficerFigures] = {}
    for row in rows:
        figures = out.setdefault(row.user_id, OfficerFigures(officer=row.user))
        if row.org_unit.kind == OrgKind.GRID and row.org_unit in grids:
            figures.grids.append(row.org_unit.name)
    return out


def _per_grid(grids: list[OrgUnit], today: dt.date) -> dict[int, GridFigures]:
    """Households per grid and how many are due soon, overdue or never visited; one
    query."""
    from sanyi.applicants.models import Applicant, ApplicantKind

    out = {g.pk: GridFigures(grid=g) for g in grids}
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    rows = with_next_due(
        Applicant.objects.filter(kind=ApplicantKind.PERSON, grid__in=grids)
    ).values_list("grid_id", F("next_due_on"))
    for grid_id, due in rows:
        figures = out[grid_id]
        figures.households += 1
        if due is None:
            figures.never += 1
        elif due < today:
            figures.overdue += 1
        elif due <= soon:
            figures.due_soon += 1
    return out


def supervision_figures(
    *, viewer: User, start: dt.date, end: dt.date, today: dt.date | None = None
) -> SupervisionFigures:
    """The figures of the grids the viewer supervises, for the days ``start``–``end``."""
    today = today or timezone.localdate()
    grids = list(supervised_grids(viewer)) if is_supervisor(viewer) else []
    if not grids:
        return SupervisionFigures(start=start, end=end, officers=[], grids=[])
    counts = _per_officer(grids, start, end)
    officers = _officers(grids, set(counts))
    for user_id, c in counts.items():
        if user_id in officers:
            figures = officers[user_id]
            figures.case_visits, figures.household_visits = c["case_visits"], c["household_visits"]
            figures.on_time, figures.late = c["on_time"], c["late"]
    per_grid = _per_grid(grids, today)
    events = event_figures(viewer=viewer, grids=grids)
    for grid_id, figures_of_grid in per_grid.items():
        figures_of_grid.events_open = events.get(grid_id, {}).get("open", 0)
        figures_of_grid.events_closed = events.get(grid_id, {}).get("closed", 0)
    return SupervisionFigures(
        start=start,
        end=end,
        officers=list(officers.values()),
        grids=list(per_grid.values()),
    )
