"""Reading grid work: which grid an address or applicant is in, a grid officer's grids,
and the doorstep tasks of those grids.

Visibility: a grid officer sees the open steps (and through them the applicants) of the
grids they hold the ``grid_officer`` role on, and nothing else; a system administrator
reads and keeps the address rules. Lists carry only what the task needs: the applicant's
masked name, masked ID number, masked mobile and address.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.cases.choices import CaseStatus, TaskStatus
from sanyi.cases.models import CaseTask
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.grid.addresses import best_rule
from sanyi.grid.models import AddressRule, Assist
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


# --- help to apply (帮办代办) ---------------------------------------------------------------

# The online depths that let an application be made online (as cases.web.public says).
ONLINE_APPLY_DEPTHS = frozenset({"submit", "precheck", "accept", "handle"})


def grid_residents(viewer: User, *, query: str = "") -> QuerySet[Applicant]:
    """The residents (persons) placed in the viewer's grids, by name; ``query`` narrows by
    name or the last digits of the mobile. Lists show them masked."""
    if not is_officer(viewer):
        return Applicant.objects.none()
    qs = Applicant.objects.filter(
        kind=ApplicantKind.PERSON, grid__in=officer_grids(viewer)
    ).select_related("grid")
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(phone__endswith=query))
    return qs.order_by("name", "pk")


def grid_resident(viewer: User, pk: int) -> Applicant | None:
    return grid_residents(viewer).filter(pk=pk).first()


def assist_items(viewer: User) -> list[ImplementationItem]:
    """The items in force that can be applied for online, by name (the officer picks one)."""
    if not is_officer(viewer):
        return []
    versions = (
        ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("implementation_item__base_item", "implementation_item__implementing_unit")
        .order_by("implementation_item__base_item__name", "pk")
    )
    return [
        v.implementation_item for v in versions if ONLINE_APPLY_DEPTHS & set(v.online_depth or [])
    ]


def assists(viewer: User) -> QuerySet[Assist]:
    """The viewer's own help-to-apply records at grids they still hold, newest first."""
    return (
        Assist.objects.filter(officer_id=viewer.pk, grid__in=officer_grids(viewer))
        .select_related("applicant", "item__base_item", "case__assisted_by", "grid")
        .order_by("-created_at", "-pk")
    )


def assist_get(viewer: User, pk: int) -> Assist | None:
    """One of the viewer's help-to-apply records while they still hold the resident's grid."""
    if not is_officer(viewer):
        return None
    return assists(viewer).filter(pk=pk).first()
