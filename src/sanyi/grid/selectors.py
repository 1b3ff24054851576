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

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.cases.choices import CaseStatus, TaskStatus
from sanyi.cases.models import CaseTask
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.core.idempotency import IdempotencyConflict
from sanyi.grid.addresses import best_rule
from sanyi.grid.models import (
    OPEN_EVENT_STATUSES,
    AddressRule,
    Assist,
    EventReport,
    EventStep,
    HouseholdVisit,
    Visit,
)
from sanyi.orgs.models import OrgKind, OrgUnit, Role, RoleAssignment, User
from sanyi.orgs.permissions import scope_paths, scope_q, units_in_scope
from sanyi.orgs.tree import subtree_q

OFFICER_ROLES = (Role.GRID_OFFICER,)
# Who handles event reports at the unit holding them (the community first).
EVENT_HANDLER_ROLES = (Role.WINDOW_CLERK, Role.APPROVER, Role.SUPERVISOR)
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


# --- event reports ------------------------------------------------------------------------
#
# Visibility: a grid officer sees the events of the grids they are an officer of; staff
# holding a handler role (窗口人员, 审批人员, 督查人员) see the events currently at a unit in
# their scope, and any event they acted on.

EVENT_RELATED = ("grid", "unit", "reporter", "applicant", "case")


def is_event_handler(viewer: User) -> bool:
    return bool(scope_paths(viewer, EVENT_HANDLER_ROLES))


def _event_scope(viewer: User) -> Q:
    acted = EventStep.objects.filter(event=OuterRef("pk"), actor_id=viewer.pk)
    return (
        scope_q(viewer, OFFICER_ROLES, path_field="grid__path")
        | scope_q(viewer, EVENT_HANDLER_ROLES, path_field="unit__path")
        | Q(Exists(acted))
    )


def events_visible_to(viewer: User) -> QuerySet[EventReport]:
    if not getattr(viewer, "is_authenticated", False):
        return EventReport.objects.none()
    return EventReport.objects.filter(_event_scope(viewer))


def event_list(viewer: User, *, todo: bool = False) -> QuerySet[EventReport]:
    """The events the viewer may see, newest first; ``todo``: only the open ones at a unit
    the viewer handles, soonest due first."""
    qs = events_visible_to(viewer).select_related(*EVENT_RELATED)
    if todo:
        return qs.filter(
            scope_q(viewer, EVENT_HANDLER_ROLES, path_field="unit__path"),
            status__in=OPEN_EVENT_STATUSES,
        ).order_by("due_on", "id")
    return qs.order_by("-created_at", "-id")


def my_reports(viewer: User) -> QuerySet[EventReport]:
    """What the viewer reported (我的上报), newest first."""
    return (
        EventReport.objects.filter(reporter_id=viewer.pk)
        .select_related(*EVENT_RELATED)
        .order_by("-created_at", "-id")
    )


def event_get(viewer: User, pk: int) -> EventReport | None:
    """One event the viewer may see, or None (the page answers 404)."""
    return events_visible_to(viewer).select_related(*EVENT_RELATED).filter(pk=pk).first()


def event_may_act(viewer: User, event: EventReport) -> bool:
    """Whether the viewer handles events at the unit holding this (open) event."""
    return event.is_open and any(
        event.unit.path.startswith(p) for p in scope_paths(viewer, EVENT_HANDLER_ROLES)
    )


def event_history(event: EventReport) -> list[EventStep]:
    return list(event.steps.select_related("actor", "unit", "to_unit").order_by("at", "id"))


def event_route_targets(event: EventReport) -> QuerySet[OrgUnit]:
    """Where the holder may route the event: the live units above it (not the grid's own
    levels below the community) and any department or station."""
    above = _ancestor_paths(event.unit.path)
    return (
        OrgUnit.objects.filter(
            Q(path__in=above) | Q(kind__in=[OrgKind.DEPARTMENT, OrgKind.STATION]),
            is_active=True,
        )
        .exclude(pk=event.unit_id)
        .exclude(kind=OrgKind.GRID)
        .order_by("path")
    )


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{x}/" for x in parts[:i]) for i in range(1, len(parts))]


def event_light(event: EventReport, today: dt.date) -> str:
    """ "red" when the open event is past due, "yellow" on its last day, else ""."""
    if not event.is_open:
        return ""
    if today > event.due_on:
        return "red"
    return "yellow" if today == event.due_on else ""


def grid_applicants(viewer: User) -> QuerySet[Applicant]:
    """The applicants placed in the viewer's grids (an officer chooses the resident an
    event concerns among them)."""
    return Applicant.objects.filter(grid__in=officer_grids(viewer)).order_by("name", "pk")


def event_figures(*, viewer: User, grids: list[OrgUnit]) -> dict[int, dict[str, int]]:
    """Per grid (by pk): ``{"open": n, "closed": n}`` over the events the viewer may see,
    in one query. Grids without events count zeros."""
    out = {g.pk: {"open": 0, "closed": 0} for g in grids}
    rows = (
        events_visible_to(viewer)
        .filter(grid__in=grids)
        .values("grid")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_EVENT_STATUSES)),
            closed=Count("pk", filter=~Q(status__in=OPEN_EVENT_STATUSES)),
        )
        .order_by()
    )
    for row in rows:
        out[row["grid"]] = {"open": row["open"], "closed": row["closed"]}
    return out


def event_level_counts(viewer: User, units: list[OrgUnit]) -> dict[int, list[tuple[str, int, str]]]:
    """Per unit, for the phone workbench's level cards: the open event reports the viewer may
    see, and the overdue ones. A grid counts the reports made in it; any other unit those
    now held at it or under it. One query for any number of units."""
    units = units_in_scope(viewer, units)
    if not units:
        return {}
    today = timezone.localdate()
    aggregates = {}
    for unit in units:
        if unit.kind == OrgKind.GRID:
            here = Q(grid_id=unit.pk)
        else:
            here = subtree_q(unit.path, "unit__path")
        aggregates[f"e{unit.pk}"] = Count("id", filter=here)
        aggregates[f"o{unit.pk}"] = Count("id", filter=here & Q(due_on__lt=today))
    row = (
        events_visible_to(viewer)
        .filter(status__in=OPEN_EVENT_STATUSES)
        .order_by()
        .aggregate(**aggregates)
    )
    return {
        u.pk: [
            ("未办结事件", row[f"e{u.pk}"], "workbench:grid:events"),
            ("超期事件", row[f"o{u.pk}"], "workbench:grid:events"),
        ]
        for u in units
    }


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
