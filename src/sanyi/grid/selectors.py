"""Reading grid work: which grid an address or applicant is in, a grid officer's grids,
and the doorstep tasks of those grids.

Visibility: a grid officer sees the households of their grids (the person applicants the
address mapping placed there) and their visit log; a supervisor sees the figures of the
grids in their scope. A grid officer sees the open steps (and through them the applicants) of the
grids they hold the ``grid_officer`` role on, and nothing else; a system administrator
reads and keeps the address rules. Lists carry only what the task needs: the applicant's
masked name, masked ID number, masked mobile and address.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.cases.choices import CaseStatus, TaskStatus
from sanyi.cases.models import CaseTask
from sanyi.grid.addresses import best_rule
from sanyi.grid.models import AddressRule, HouseholdVisit
from sanyi.orgs.models import OrgKind, OrgUnit, Role, RoleAssignment, User
from sanyi.orgs.permissions import scope_paths, scope_q

OFFICER_ROLES = (Role.GRID_OFFICER,)
RULE_ROLES = (Role.SYSTEM_ADMIN,)
# The doorstep steps the 今日任务 page lists, by the words of their names.
DOORSTEP_WORDS = ("入户", "调查", "核实", "核查", "送达")
# Steps at which the officer checks the person at the door: the full ID number may be
# looked at (and the look is recorded). A delivery (送达) needs the masked number only.
ID_WORDS = ("入户", "调查", "核实", "核查")


def is_officer(viewer: User) -> bool:
    return bool(scope_paths(viewer, OFFICER_ROLES))


def officer_grids(viewer: User) -> QuerySet[OrgUnit]:
    """The grids the viewer is a grid officer of (a role on a community covers its grids)."""
    return OrgUnit.objects.filter(
        scope_q(viewer, OFFICER_ROLES, path_field="path"), kind=OrgKind.GRID
    ).order_by("path")


def grid_officers(grids: list[OrgUnit]) -> dict[int, list[User]]:
    """Each grid's officers (role assignments on the grid itself), one query."""
    out: dict[int, list[User]] = {g.pk: [] for g in grids}
    rows = RoleAssignment.objects.filter(
        org_unit__in=grids, role=Role.GRID_OFFICER, user__is_active=True
    ).select_related("user")
    for row in rows.order_by("user__username"):
        out[row.org_unit_id].append(row.user)
    return out


def address_rules() -> QuerySet[AddressRule]:
    return AddressRule.objects.select_related("grid").order_by("street", "number_from", "id")


def grid_of_address(address: str, rules: list[AddressRule] | None = None) -> OrgUnit | None:
    """The grid whose boundary covers ``address`` (the narrowest rule wins), or None.
    ``rules``: the rules when the caller has them already (placing many addresses)."""
    if not (address or "").strip():
        return None
    if rules is None:
        streets = list(AddressRule.objects.values_list("street", flat=True).distinct())
        streets = [s for s in streets if s in address.replace(" ", "")]
        if not streets:
            return None
        rules = list(address_rules().filter(street__in=streets))
    rule = best_rule(address, rules)
    return rule.grid if rule else None


def grid_of_applicant(applicant: Applicant) -> OrgUnit | None:
    """The applicant's grid: by the address mapping, else the grid kept on the profile."""
    found = grid_of_address(applicant.address)
    if found is not None:
        return found
    if applicant.grid_id:
        return OrgUnit.objects.filter(pk=applicant.grid_id, kind=OrgKind.GRID).first()
    return None


TASK_RELATED = (
    "case__applicant",
    "case__implementation_item__base_item",
    "unit",
    "assignee",
)


def doorstep_q() -> Q:
    q = Q()
    for word in DOORSTEP_WORDS:
        q |= Q(name__contains=word)
    return q


def grid_tasks(viewer: User) -> QuerySet[CaseTask]:
    """The open doorstep steps at the viewer's grids, soonest due first."""
    if not is_officer(viewer):
        return CaseTask.objects.none()
    return (
        CaseTask.objects.filter(
            doorstep_q(),
            status=TaskStatus.OPEN,
            unit__kind=OrgKind.GRID,
            case__status=CaseStatus.IN_PROGRESS,
        )
        .filter(scope_q(viewer, OFFICER_ROLES, path_field="unit__path"))
        .select_related(*TASK_RELATED)
        .order_by("due_on", "id")
    )


def grid_task(viewer: User, pk: int) -> CaseTask | None:
    """One open doorstep step of the viewer's grids, or None (the page answers 404)."""
    return grid_tasks(viewer).filter(pk=pk).first()


def step_needs_full_id(task: CaseTask) -> bool:
    return any(word in task.name for word in ID_WORDS)


# --- the visit log (走访台账) ---------------------------------------------------------------

# 今日任务 lists households whose next visit falls within this many days (or is overdue).
DUE_SOON_DAYS = 7


class DueFilter:
    """The household list's filter by the next visit date."""

    DUE = "due"  # due within DUE_SOON_DAYS, or overdue
    OVERDUE = "overdue"
    NEVER = "never"  # not visited yet
    CHOICES = [("", "全部"), (DUE, "7天内到期和已超期"), (OVERDUE, "已超期"), (NEVER, "尚未走访")]


def _latest_visit() -> QuerySet[HouseholdVisit]:
    return HouseholdVisit.objects.filter(applicant=OuterRef("pk")).order_by("-visited_at", "-id")


def with_next_due(qs: QuerySet[Applicant]) -> QuerySet[Applicant]:
    latest = _latest_visit()
    return qs.annotate(
        last_visit_at=Subquery(latest.values("visited_at")[:1]),
        next_due_on=Subquery(latest.values("next_due_on")[:1]),
    )


def households(viewer: User) -> QuerySet[Applicant]:
    """The households of the viewer's grids: persons whose grid (kept by the address
    mapping) is one of them, each with ``last_visit_at`` and ``next_due_on`` of its latest
    visit (None when never visited), soonest due first, never visited last."""
    if not is_officer(viewer):
        return Applicant.objects.none()
    qs = Applicant.objects.filter(kind=ApplicantKind.PERSON, grid__in=officer_grids(viewer))
    return (
        with_next_due(qs)
        .select_related("grid")
        .order_by(F("next_due_on").asc(nulls_last=True), "address", "pk")
    )


def household_list(
    *, viewer: User, due: str = "", q: str = "", today: dt.date | None = None
) -> QuerySet[Applicant]:
    """The viewer's households by the next visit date and a search on name or address."""
    today = today or timezone.localdate()
    qs = households(viewer)
    if due == DueFilter.DUE:
        qs = qs.filter(Q(next_due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)))
    elif due == DueFilter.OVERDUE:
        qs = qs.filter(Q(next_due_on__lt=today))
    elif due == DueFilter.NEVER:
        qs = qs.filter(Q(last_visit_at__isnull=True))
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(address__contains=q))
    return qs


def household(viewer: User, pk: int) -> Applicant | None:
    """One household of the viewer's grids, or None (the page answers 404)."""
    return households(viewer).filter(pk=pk).first()


def household_visits(viewer: User, applicant: Applicant) -> QuerySet[HouseholdVisit]:
    """The household's visit log, newest first (empty unless it is one of the viewer's)."""
    return (
        HouseholdVisit.objects.filter(
            applicant=applicant,
            applicant__kind=ApplicantKind.PERSON,
            applicant__grid__in=officer_grids(viewer),
        )
        .select_related("officer", "grid")
        .order_by("-visited_at", "-id")
    )


def households_due_by_grid(today: dt.date) -> dict[int, list[Applicant]]:
    """For the daily reminder (a system job, no viewer): every grid's households whose next
    visit is due within DUE_SOON_DAYS or overdue, soonest first; one query."""
    qs = with_next_due(
        Applicant.objects.filter(kind=ApplicantKind.PERSON, grid__kind=OrgKind.GRID)
    ).filter(Q(next_due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)))
    out: dict[int, list[Applicant]] = {}
    for row in qs.order_by("next_due_on", "pk"):
        if row.grid_id is not None:
            out.setdefault(row.grid_id, []).append(row)
    return out


def officers_by_grid() -> dict[int, list[User]]:
    """Every grid's officers, a role on a community covering its grids; two queries."""
    grids = list(OrgUnit.objects.filter(kind=OrgKind.GRID, is_active=True).only("pk", "path"))
    rows = RoleAssignment.objects.filter(
        role=Role.GRID_OFFICER, is_active=True, user__is_active=True
    ).select_related("user", "org_unit")
    out: dict[int, list[User]] = {g.pk: [] for g in grids}
    for row in rows.order_by("user__username"):
        for grid in grids:
            if grid.path.startswith(row.org_unit.path):
                out[grid.pk].append(row.user)
    return out
