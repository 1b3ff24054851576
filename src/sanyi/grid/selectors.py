"""Reading grid work: which grid an address or applicant is in, a grid officer's grids,
and the doorstep tasks of those grids.

Visibility: a grid officer sees the open steps (and through them the applicants) of the
grids they hold the ``grid_officer`` role on, and nothing else; a system administrator
reads and keeps the address rules. Lists carry only what the task needs: the applicant's
masked name, masked ID number, masked mobile and address.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.cases.choices import CaseStatus, TaskStatus
from sanyi.cases.models import CaseTask
from sanyi.core.idempotency import IdempotencyConflict
from sanyi.grid.addresses import best_rule
from sanyi.grid.models import AddressRule, Visit
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


def _doorstep_q() -> Q:
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
            _doorstep_q(),
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


def visit_for_key(viewer: User, key: str, fingerprint: str) -> Visit | None:
    """The visit the viewer recorded earlier with this Idempotency-Key, or None; raises
    ``IdempotencyConflict`` when that visit was sent with different content."""
    if not key:
        return None
    visit = Visit.objects.filter(officer_id=viewer.pk, idempotency_key=key).first()
    if visit is not None and visit.request_fingerprint != fingerprint:
        raise IdempotencyConflict()
    return visit


def grid_level_counts(viewer: User, units: list[OrgUnit]) -> dict[int, list[tuple[str, int, str]]]:
    """Per grid: its open doorstep tasks and the overdue ones, one query for any number of
    grids; grids the viewer is not an officer of get nothing."""
    prefixes = scope_paths(viewer, OFFICER_ROLES)
    grids = [u for u in units if any(u.path.startswith(p) for p in prefixes)]
    if not grids:
        return {}
    today = timezone.localdate()
    aggregates = {}
    for grid in grids:
        aggregates[f"t{grid.pk}"] = Count("id", filter=Q(unit_id=grid.pk))
        aggregates[f"o{grid.pk}"] = Count("id", filter=Q(unit_id=grid.pk, due_on__lt=today))
    row = grid_tasks(viewer).order_by().aggregate(**aggregates)
    return {
        g.pk: [
            ("上门任务", row[f"t{g.pk}"], "workbench:grid:today"),
            ("超期上门任务", row[f"o{g.pk}"], "workbench:grid:today"),
        ]
        for g in grids
    }
