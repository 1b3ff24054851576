"""Reading cases. Staff see cases through their roles' scope (sanyi.orgs.permissions):

* a window clerk: cases accepted at, or handled by, units in their center's unit subtree;
* an approver: cases handled by (or accepted in) their unit's subtree, and the tasks there;
* a supervisor: the same subtree, read-only (the services refuse their writes).

Applicants are not staff users: their pages use ``applicant_cases`` for the signed-in
applicant, and the public progress lookup uses ``case_track``.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sanyi.applicants.selectors import applicant_by_id_number
from sanyi.cases import clocks
from sanyi.cases.choices import (
    OPEN_STATUSES,
    CaseStatus,
    TaskAction,
    TaskStatus,
    WarningLevel,
)
from sanyi.cases.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CaseTask,
    Visit,
    case_due_key,
    task_due_key,
)
from sanyi.cases.numbering import normalise_case_number, query_code_matches
from sanyi.catalog.models import ImplementationItem, ProcessStep
from sanyi.core import pagination
from sanyi.core.actors import Actor
from sanyi.core.ids import parse_applicant_id
from sanyi.core.pagination import CappedCount, CappedTotal
from sanyi.core.queries import unique_or_none
from sanyi.orgs.models import OrgKind, OrgUnit, Role, User
from sanyi.orgs.permissions import has_role, roles_of, scope_q

if TYPE_CHECKING:
    from sanyi.applicants.models import Applicant
    from sanyi.orgs.models import OrgUnit

CASE_ROLES = (Role.WINDOW_CLERK, Role.APPROVER, Role.SUPERVISOR)
# What the worklists show (the page and the API), joined in: no more, each join costs the
# planner time on every page.
TASK_LIST_RELATED = (
    "case__applicant",
    "case__implementation_item__base_item",
    "unit",
    "assignee",
)
CASE_LIST_RELATED = (
    "applicant",
    "implementation_item__base_item",
    "current_unit",
    "unit",
    "center",
)


def _case_scope(viewer: User) -> Q:
    return scope_q(viewer, CASE_ROLES, "unit__path") | scope_q(
        viewer, CASE_ROLES, "current_unit__path"
    )


def cases_visible_to(viewer: User) -> QuerySet[Case]:
    """Every case the staff member may read (accepting unit or current unit in scope)."""
    return Case.objects.filter(_case_scope(viewer))


def case_list(viewer: User, *, filters: Mapping[str, Any] | None = None) -> QuerySet[Case]:
    """Cases in scope for lists, newest first, with what the list shows."""
    qs = cases_visible_to(viewer).select_related(*CASE_LIST_RELATED)
    return _filter_cases(qs, filters or {}).order_by("-created_at", "-pk")


def _number_q(text: str, prefix: str = "") -> Q:
    """A case number typed into a filter: the start of the long number, or a short number."""
    value = normalise_case_number(text)
    return Q(**{f"{prefix}number__startswith": value}) | Q(**{f"{prefix}short_number": value})


def number_matches(number: str) -> Q:
    """Which case a typed number names: the long number or the short number (短号)."""
    value = normalise_case_number(number)
    return Q(number=value) | Q(short_number=value)


def _filter_cases(qs: QuerySet[Case], filters: Mapping[str, Any]) -> QuerySet[Case]:
    if filters.get("status"):
        statuses = filters["status"]
        qs = qs.filter(status__in=[statuses] if isinstance(statuses, str) else statuses)
    if filters.get("item"):
        qs = qs.filter(implementation_item_id=filters["item"])
    if filters.get("warning"):
        qs = qs.filter(warning_level=filters["warning"])
    if filters.get("number"):
        qs = qs.filter(_number_q(str(filters["number"])))
    if filters.get("unit"):
        qs = qs.filter(current_unit_id=filters["unit"])
    if filters.get("accepted_from"):
        qs = qs.filter(accepted_on__gte=filters["accepted_from"])
    if filters.get("accepted_to"):
        qs = qs.filter(accepted_on__lte=filters["accepted_to"])
    return qs


def case_get_for(viewer: User, pk: int) -> Case:
    """One case for a staff member: 404 when it does not exist, PermissionDenied outside
    their scope."""
    case = unique_or_none(  # no LIMIT: see sanyi.core.queries
        Case.objects.select_related(
            *CASE_LIST_RELATED,
            "item_version",
            "variant",
            "agent",
            "assisted_by",
            "window",
            "accepted_by",
            "decided_by",
            "implementation_item__implementing_unit",
        ).filter(pk=pk)
    )
    if case is None:
        raise Http404("办件不存在")
    if not (
        has_role(viewer, CASE_ROLES, case.unit) or has_role(viewer, CASE_ROLES, case.current_unit)
    ):
        raise PermissionDenied("该办件不在您的职责范围内")
    return case


def case_may_act(viewer: User, case: Case) -> bool:
    """Whether a staff member may act on the case (not only read it): supervisors read."""
    return has_role(viewer, (Role.WINDOW_CLERK, Role.APPROVER), case.current_unit) or has_role(
        viewer, (Role.WINDOW_CLERK, Role.APPROVER), case.unit
    )


def case_may_see_full_id(viewer: User, case: Case, tasks: list[CaseTask] | None = None) -> bool:
    """The acting clerk or approver: someone with an open step of the case in hand, or a
    clerk or approver of the unit handling it now. Supervisors read masked data only.
    ``tasks``: the case's tasks when the caller has them already (saves a query)."""
    if tasks is None:
        tasks = list(case.tasks.all())
    if any(t.status == TaskStatus.OPEN and t.assignee_id == viewer.pk for t in tasks):
        return True
    return has_role(viewer, (Role.WINDOW_CLERK, Role.APPROVER), case.current_unit)


# --- what can be done with an open step -------------------------------------------------


def case_handling_steps(case: Case) -> list[ProcessStep]:
    """The steps of the case's process after acceptance, in order: the leading window
    steps of the guide (受理) are the acceptance itself, done at the window."""
    steps = list(ProcessStep.objects.filter(version_id=case.item_version_id).order_by("position"))
    while steps and steps[0].role == Role.WINDOW_CLERK:
        steps.pop(0)
    return steps


@dataclass(frozen=True)
class TaskActions:
    """The actions on one open step: ``allowed`` in the order the form lists them, and
    for each refused action the plain-Chinese reason the service gives."""

    allowed: tuple[str, ...]
    refused: Mapping[str, str]


def task_actions(
    *,
    viewer: Actor,
    task: CaseTask,
    case: Case | None = None,
    steps: list[ProcessStep] | None = None,
) -> TaskActions:
    """What ``viewer`` may do with the open ``task`` where the case stands now: the one
    rule the case page offers and ``services.task_act`` enforces, so they cannot disagree.

    * 退回上一环节 only where an earlier handling step exists (not on the first step);
    * 不同意 (the case concludes as 不予准予) on the approver's steps of the process, by
      an approver; the window's steps (送达) and the 办结 step (decided on its own form)
      do not offer it;
    * 同意 on every step but 办结; a suspended case takes opinions only.

    Whether the viewer holds the step at all is checked by the service (its unit, role and
    assignee); ``case`` (the task's case, e.g. locked) and ``steps`` (its handling steps)
    save queries when the caller has them."""
    case = case or task.case
    refused: dict[str, str] = {}
    if task.status != TaskStatus.OPEN:
        return TaskActions((), dict.fromkeys(TaskAction.values, "该环节已办结，不能再处理"))
    if steps is None:
        steps = case_handling_steps(case)
    if task.step_id is None:
        refused[TaskAction.APPROVE] = "这是办结环节，请作出办结决定"
        refused[TaskAction.DISAGREE] = "这是办结环节，请在“办结”中选择“不予准予”"
        earlier = steps
    else:
        earlier = [s for s in steps if s.position < task.position]
        if task.role not in ("", Role.APPROVER):
            refused[TaskAction.DISAGREE] = f"“{task.name}”环节不作审批决定，不能选择不同意"
        elif isinstance(viewer, User) and not has_role(viewer, Role.APPROVER, task.unit):
            refused[TaskAction.DISAGREE] = "只有审批人员可以作出不同意的决定"
    if not earlier:
        refused[TaskAction.RETURN] = "已是第一个办理环节，不能再退回"
    if case.status == CaseStatus.SUSPENDED:
        for action in TaskAction.values:
            if action != TaskAction.OPINION:
                refused.setdefault(action, "办件暂停计时期间只能填写意见，请先恢复计时")
    allowed = tuple(a for a in TaskAction.values if a not in refused)
    return TaskActions(allowed, refused)


# Units that are offices of their parent rather than a level of their own.
OWN_OFFICE_KINDS = (OrgKind.DEPARTMENT, OrgKind.STATION)


def worklist(
    viewer: User, *, scope: str = "mine", filters: Mapping[str, Any] | None = None
) -> QuerySet[CaseTask]:
    """Open tasks, earliest due first (``sort_due``; steps without a due date last), then by
    id: the order the worklist pages seek through (core.pagination).

    ``scope``: "mine" (assigned to the user), "unit" (the units the user's roles are held
    on and their departments and stations, for the roles the tasks need), "subtree" (every
    open task under the user's roles, supervisors included). ``filters``: item, warning,
    due_before, number, unclaimed, case_status, channel, accepted_from, accepted_to.
    """
    qs: QuerySet[CaseTask] = CaseTask.objects.filter(status=TaskStatus.OPEN).annotate(
        sort_due=task_due_key()
    )
    if scope == "mine":
        qs = qs.filter(assignee=viewer) if getattr(viewer, "is_authenticated", False) else qs.none()
    elif scope == "unit":
        qs = qs.filter(_unit_worklist_q(viewer))
    elif scope == "subtree":
        qs = qs.filter(scope_q(viewer, CASE_ROLES, "unit__path"))
    else:
        raise ValueError(f"unknown worklist scope: {scope}")
    qs = _filter_tasks(qs, filters or {})
    return qs.select_related(*TASK_LIST_RELATED).order_by("sort_due", "pk")


def _unit_worklist_q(viewer: User) -> Q:
    """A unit's own tasks, and those of the departments and stations that belong to it (a
    district approver works the district departments' steps; subdistricts and communities
    have their own staff and are in the "subtree" list instead). The units are listed by id
    (one small query), so the list reads the tasks' unit index without joining units."""
    held = [ra for ra in roles_of(viewer) if ra.role in (Role.WINDOW_CLERK, Role.APPROVER)]
    offices: dict[int, list[int]] = {}
    if held:
        for parent_id, pk in OrgUnit.objects.filter(
            parent_id__in={ra.org_unit_id for ra in held}, kind__in=OWN_OFFICE_KINDS
        ).values_list("parent_id", "pk"):
            offices.setdefault(parent_id, []).append(pk)
    q = Q(pk__in=[])
    for ra in held:
        roles = [ra.role, ""] if ra.role == Role.APPROVER else [ra.role]
        units = [ra.org_unit_id, *offices.get(ra.org_unit_id, [])]
        q |= Q(role__in=roles, unit_id__in=units)
    return q


def _filter_tasks(qs: QuerySet[CaseTask], filters: Mapping[str, Any]) -> QuerySet[CaseTask]:
    if filters.get("item"):
        qs = qs.filter(case__implementation_item_id=filters["item"])
    if filters.get("warning"):
        qs = qs.filter(case__warning_level=filters["warning"])
    if filters.get("due_before"):
        # On the sort key, so the list's index bounds the scan (no due date: never due).
        qs = qs.filter(Q(sort_due__lte=filters["due_before"]))
    if filters.get("number"):
        qs = qs.filter(_number_q(str(filters["number"]), prefix="case__"))
    if filters.get("unclaimed"):
        qs = qs.filter(assignee__isnull=True)
    if filters.get("case_status"):
        qs = qs.filter(case__status=filters["case_status"])
    if filters.get("channel"):
        qs = qs.filter(case__channel=filters["channel"])
    if filters.get("accepted_from"):
        qs = qs.filter(case__accepted_on__gte=filters["accepted_from"])
    if filters.get("accepted_to"):
        qs = qs.filter(case__accepted_on__lte=filters["accepted_to"])
    return qs


def worklist_item_choices(viewer: User, *, selected: int | None = None) -> list[tuple[int, str]]:
    """What the worklist's item filter offers, as (pk, "item（implementing unit）"): the
    items implemented by units in the viewer's scope (and the one chosen, wherever it is),
    by name. Read from the catalogue, not from the open tasks, so the filter costs the same
    at a million cases; read as plain values, since a district has hundreds of items and
    building them as models took more time than the rest of the worklist's rows."""
    q = scope_q(viewer, CASE_ROLES, "implementing_unit__path")
    if selected:
        q |= Q(pk=selected)
    rows = (
        ImplementationItem.objects.filter(q)
        .order_by("base_item__name", "implementation_code")
        .values_list("pk", "base_item__name", "implementing_unit__name")
    )
    return [(pk, f"{name}（{unit}）") for pk, name, unit in rows]


def overdue_cases(
    viewer: User, *, today: dt.date | None = None, unit: OrgUnit | None = None
) -> QuerySet[Case]:
    """Running cases past their promised date (the statutory one when none is promised),
    most overdue first (``sort_due``, then id): red on the day after the date, even before
    the nightly warning run. With ``unit``: those it handles now."""
    today = today or timezone.localdate()
    qs = (
        cases_visible_to(viewer)
        .annotate(sort_due=case_due_key())
        .filter(status=CaseStatus.IN_PROGRESS, sort_due__lt=today)
    )
    if unit is not None:
        qs = qs.filter(current_unit=unit)
    return qs.select_related(*CASE_LIST_RELATED).order_by("sort_due", "pk")


def warning_cases(
    viewer: User, *, today: dt.date | None = None, unit: OrgUnit | None = None
) -> QuerySet[Case]:
    """Open cases with the yellow light of the nightly run that are not red by date (see
    ``overdue_cases``), earliest due first."""
    today = today or timezone.localdate()
    qs = (
        cases_visible_to(viewer)
        .annotate(sort_due=case_due_key())
        .filter(status__in=OPEN_STATUSES, warning_level=WarningLevel.YELLOW)
        .exclude(status=CaseStatus.IN_PROGRESS, sort_due__lt=today)
    )
    if unit is not None:
        qs = qs.filter(current_unit=unit)
    return qs.select_related(*CASE_LIST_RELATED).order_by("sort_due", "pk")


@dataclass(frozen=True)
class OverdueUnit:
    """One unit of the overdue view's summary: its red and yellow cases, each counted up to
    the cap."""

    unit: OrgUnit
    red: CappedTotal
    yellow: CappedTotal


def overdue_units(
    viewer: User, *, today: dt.date | None = None, cap: int | None = None
) -> list[OverdueUnit]:
    """The units in the viewer's scope that handle red or yellow cases now, the most red
    first. One query: per unit, two counts that stop at ``cap + 1`` rows (an index probe
    each), so a district with a hundred thousand overdue cases costs what a quiet one does.
    """
    today = today or timezone.localdate()
    cap = pagination.TOTAL_CAP if cap is None else cap
    red = Case.objects.annotate(sort_due=case_due_key()).filter(
        current_unit=OuterRef("pk"), status=CaseStatus.IN_PROGRESS, sort_due__lt=today
    )
    yellow = (
        Case.objects.annotate(sort_due=case_due_key())
        .filter(
            current_unit=OuterRef("pk"),
            status__in=OPEN_STATUSES,
            warning_level=WarningLevel.YELLOW,
        )
        .exclude(status=CaseStatus.IN_PROGRESS, sort_due__lt=today)
    )
    units = OrgUnit.objects.filter(scope_q(viewer, CASE_ROLES, "path")).annotate(
        red_n=CappedCount(red, cap), yellow_n=CappedCount(yellow, cap)
    )
    rows = [
        OverdueUnit(
            unit,
            CappedTotal(min(unit.red_n, cap), unit.red_n > cap),
            CappedTotal(min(unit.yellow_n, cap), unit.yellow_n > cap),
        )
        for unit in units.order_by("path")
        if unit.red_n or unit.yellow_n
    ]
    return sorted(rows, key=lambda r: (-r.red.count, -r.yellow.count))


def case_clock(case: Case, *, today: dt.date | None = None) -> clocks.CaseClock:
    """Elapsed, stopped and remaining working days, the share used, the warning light and
    both due dates as of ``today`` (an open stop counts up to today)."""
    return clocks.clock_of(case, today=today)


def case_timeline(case: Case, *, public_only: bool = False) -> list[CaseEvent]:
    qs = case.events.select_related("unit").order_by("at", "pk")
    if public_only:
        qs = qs.filter(public=True)
    return list(qs)


def case_track(number: str, last4: str) -> Case | None:
    """The public progress lookup: the case number (long or short) plus the last 4
    characters of the applicant's ID number or phone (compared in constant time). None
    when either fails, without saying which."""
    last4 = (last4 or "").strip().upper()
    case = (
        Case.objects.select_related("applicant", "implementation_item__base_item", "unit")
        .filter(number_matches(number))
        .first()
    )
    given = last4.encode()
    id_tail = case.applicant.id_number[-4:].upper().encode() if case else b"\0\0\0\0"
    phone_tail = (case.applicant.phone or "")[-4:].encode() if case else b"\0\0\0\0"
    ok_id = hmac.compare_digest(id_tail, given)
    ok_phone = len(phone_tail) == 4 and hmac.compare_digest(phone_tail, given)
    if case is None or len(last4) != 4 or not (ok_id or ok_phone):
        return None
    return case


def case_track_by_code(number: str, code: str) -> Case | None:
    """The lookup by the receipt's query code (its QR code, or typed in): the case number
    (long or short) plus the query code printed beside it."""
    case = (
        Case.objects.select_related("applicant", "implementation_item__base_item", "unit")
        .filter(number_matches(number))
        .first()
    )
    if case is None or not query_code_matches(case.query_code_hash, code or ""):
        return None
    return case


# --- the counter: who holds an ID number ------------------------------------------------


@dataclass(frozen=True)
class CounterIdentity:
    """What the counter knows about an ID number: the profile on file (or None) and whether
    the name typed matches the registered one."""

    applicant: Applicant | None
    name_given: str
    name_matches: bool
    id_valid: bool = True

    @property
    def on_file(self) -> bool:
        return self.applicant is not None

    @property
    def registered_name(self) -> str:
        """The registered name as the counter shows it (a person's masked)."""
        return self.applicant.display_name if self.applicant else ""

    @property
    def mismatch_message(self) -> str:
        if not self.on_file or self.name_matches:
            return ""
        return (
            f"该证件号码已登记，登记的姓名或名称为“{self.registered_name}”，"
            f"与填写的“{self.name_given}”不一致。请核对申请人的身份证件：证件号码输错的，"
            "请改正；确认证件号码无误的，勾选“已核对证件，按登记信息受理”后再提交。"
            "登记信息不会因此被修改。"
        )


def _same_name(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        text = "".join((text or "").split())
        for dot in "•・．.":
            text = text.replace(dot, "·")
        return text.upper()

    return norm(a) == norm(b)


def identity_of(*, id_number: str, name: str = "") -> CounterIdentity:
    """The profile on file for ``id_number`` (None when new or not a valid number) and
    whether ``name`` matches it; the counter's check on submit uses it as it is."""
    try:
        parse_applicant_id(id_number)
    except ValidationError:
        return CounterIdentity(applicant=None, name_given="", name_matches=True, id_valid=False)
    applicant = applicant_by_id_number(id_number)
    name = " ".join((name or "").split())[:100]
    matches = applicant is None or not name or _same_name(applicant.name, name)
    return CounterIdentity(applicant=applicant, name_given=name, name_matches=matches)


def counter_identity(viewer: User, *, id_number: str, name: str = "") -> CounterIdentity:
    """What the counter shows while the clerk types: ``identity_of`` for window clerks only
    (it names who holds an ID number, masked)."""
    if not any(ra.role == Role.WINDOW_CLERK for ra in roles_of(viewer)):
        raise PermissionDenied("只有窗口人员可以查询证件号码的登记信息")
    return identity_of(id_number=id_number, name=name)


def applicant_cases(applicant: Applicant) -> QuerySet[Case]:
    """An applicant's own cases (as applicant or as agent), newest first."""
    return (
        Case.objects.filter(Q(applicant=applicant) | Q(agent=applicant))
        .select_related("implementation_item__base_item", "unit", "applicant")
        .order_by("-created_at", "-pk")
    )


def applicant_case_get(applicant: Applicant, pk: int) -> Case:
    case = applicant_cases(applicant).filter(pk=pk).first()
    if case is None:
        raise Http404("办件不存在")
    return case


def wallet_for(applicant: Applicant) -> tuple[list[CaseMaterial], list]:
    """What the applicant may reuse (only with their consent): the latest checked copy of
    each earlier material still within the reuse validity, and their valid e-licences (the
    rule of ``services.reuse``, shared with the automatic attachment)."""
    from sanyi.applicants.selectors import reuse_consent_of
    from sanyi.cases.services.reuse import reusable_materials, valid_licences

    consent = reuse_consent_of(applicant)
    if consent is None:
        return [], []
    today = timezone.localdate()
    materials = reusable_materials(applicant, today) if consent.covers_materials() else []
    return materials, valid_licences(applicant, today)


@dataclass(frozen=True)
class VisitRates:
    cases: int
    zero_visit: int
    one_visit: int
    more_visits: int

    @property
    def zero_visit_rate(self) -> float | None:
        return self.zero_visit / self.cases if self.cases else None

    @property
    def one_visit_rate(self) -> float | None:
        """Cases done with at most one visit (最多跑一次), zero-visit ones included."""
        return (self.zero_visit + self.one_visit) / self.cases if self.cases else None


def visit_rates(
    *,
    units: Iterable[OrgUnit] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> VisitRates:
    """One-visit and zero-visit rates over the cases concluded in [start, end] (by the
    accepting unit, when ``units`` is given)."""
    qs = Case.objects.filter(status__in=(CaseStatus.CONCLUDED, CaseStatus.DELIVERED))
    if units is not None:
        qs = qs.filter(unit__in=units)
    if start:
        qs = qs.filter(concluded_on__gte=start)
    if end:
        qs = qs.filter(concluded_on__lte=end)
    row = qs.aggregate(
        cases=Count("pk"),
        zero=Count("pk", filter=Q(visits=0)),
        one=Count("pk", filter=Q(visits=1)),
    )
    return VisitRates(
        cases=row["cases"],
        zero_visit=row["zero"],
        one_visit=row["one"],
        more_visits=row["cases"] - row["zero"] - row["one"],
    )


@dataclass(frozen=True)
class VisitRateGroup:
    label: str
    rates: VisitRates


@dataclass(frozen=True)
class VisitRateReport:
    total: VisitRates
    per_unit: list[VisitRateGroup]
    per_item: list[VisitRateGroup]


def visit_rates_for(
    viewer: User, *, start: dt.date | None = None, end: dt.date | None = None
) -> VisitRateReport:
    """The visit rates of the cases concluded in [start, end] that ``viewer`` may read: in
    total (over the accepting units those cases belong to), per accepting unit and per item
    ("name（implementing unit）"), each group counted in one query."""
    concluded = cases_visible_to(viewer).filter(
        status__in=(CaseStatus.CONCLUDED, CaseStatus.DELIVERED)
    )
    if start:
        concluded = concluded.filter(concluded_on__gte=start)
    if end:
        concluded = concluded.filter(concluded_on__lte=end)
    units = OrgUnit.objects.filter(pk__in=concluded.values("unit"))
    return VisitRateReport(
        total=visit_rates(units=units, start=start, end=end),
        per_unit=_rates_grouped(concluded, "unit", "unit__name", "unit__path"),
        per_item=_rates_grouped(
            concluded,
            "implementation_item",
            "implementation_item__base_item__name",
            "implementation_item__implementation_code",
            "implementation_item__implementing_unit__name",
        ),
    )


def _rates_grouped(
    concluded: QuerySet[Case], key: str, name: str, order: str, owner: str = ""
) -> list[VisitRateGroup]:
    """The counts of ``visit_rates``, grouped by ``key`` in one query."""
    fields = [key, name, order] + ([owner] if owner else [])
    rows = (
        concluded.values(*fields)
        .annotate(
            cases=Count("pk"),
            zero=Count("pk", filter=Q(visits=0)),
            one=Count("pk", filter=Q(visits=1)),
        )
        .order_by(order)
    )
    return [
        VisitRateGroup(
            label=r[name] + (f"（{r[owner]}）" if owner else ""),
            rates=VisitRates(
                cases=r["cases"],
                zero_visit=r["zero"],
                one_visit=r["one"],
                more_visits=r["cases"] - r["zero"] - r["one"],
            ),
        )
        for r in rows
    ]


def case_visits(case: Case) -> list[Visit]:
    return list(case.visit_records.select_related("window__center").order_by("at"))


def open_case_count(viewer: User) -> int:
    return cases_visible_to(viewer).filter(status__in=OPEN_STATUSES).count()


def applied_item_counts(
    *, since: dt.datetime, under_path: str = "", limit: int = 20
) -> dict[int, int]:
    """How many applications each base item received since ``since``, most applied first
    (at most ``limit`` items): ``{base_item_id: count}``. With ``under_path``, only cases
    taken in by a unit at or below that org path (a resident's subdistrict).

    Public figures with no personal data (the front door's popular services), so it takes
    no viewer. A case counts from its online submission or, at the window, its acceptance;
    drafts do not count. One query.
    """
    cases = Case.objects.filter(Q(submitted_at__gte=since) | Q(accepted_at__gte=since)).exclude(
        status=CaseStatus.DRAFT
    )
    if under_path:
        cases = cases.filter(unit__path__startswith=under_path)
    rows = (
        cases.values("implementation_item__base_item_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "implementation_item__base_item_id")[: max(1, min(limit, 100))]
    )
    return {row["implementation_item__base_item_id"]: row["n"] for row in rows}
