"""Routing: which center may accept an item, which unit handles each step, and the
handling tasks (claim, act, forward, return)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError

from sanyi.cases import selectors
from sanyi.cases.choices import (
    CaseStatus,
    Decision,
    EventKind,
    StopReason,
    TaskAction,
    TaskStatus,
)
from sanyi.cases.models import (
    Case,
    CaseTask,
)
from sanyi.cases.services._common import (
    CENTER_LEVELS,
    _date_text,
    _day,
    _event,
    _iso,
    _item_name,
    _label,
    _moment,
    _notify_staff,
    _require_staff,
    _task_due,
    _transition,
)
from sanyi.cases.services.conclusion import case_conclude
from sanyi.cases.services.deadlines import _stop
from sanyi.catalog.choices import (
    ItemLevel,
    StepUnitLevel,
)
from sanyi.catalog.models import ImplementationItem, ProcessStep
from sanyi.core.actors import Actor, actor_user, is_user
from sanyi.core.registry import applicant_grid
from sanyi.core.transitions import locked, transition
from sanyi.orgs.models import OrgKind, OrgUnit, Role

if TYPE_CHECKING:
    from sanyi.orgs.models import ServiceCenter

# --- acceptance authorisation and routing -------------------------------------------------


def center_may_accept(center: ServiceCenter, item: ImplementationItem) -> str:
    """ "" when the center may accept the item, else the plain-Chinese reason it may not.

    The rule (一窗受理的授权范围): a district center accepts the district-level items
    (行使层级“县级”) of units in its district; a subdistrict center accepts the items its
    subdistrict implements, including those delegated to it by district departments; a
    community (village) center accepts the items its community implements. An item of
    another level or another area is accepted where it is implemented.
    """
    unit = center.org_unit
    impl = item.implementing_unit
    level = CENTER_LEVELS.get(unit.kind)
    where = f"{impl.name}（{ItemLevel(item.level).label}）"
    if level is None:
        return f"“{center.name}”所属单位不是区、街道（乡镇）或社区（村），不能受理办件"
    if item.level != level:
        return (
            f"“{center.name}”只能受理{ItemLevel(level).label}事项；"
            f"“{item.base_item.name}”由{where}实施，请引导申请人到该事项的受理地点办理"
        )
    # District items of any unit in the district; lower levels only their own unit's.
    inside = impl.path.startswith(unit.path) if level == ItemLevel.DISTRICT else impl.pk == unit.pk
    if not inside:
        return (
            f"“{item.base_item.name}”由{where}实施，不在“{center.name}”的受理范围内，"
            "请引导申请人到该事项的受理地点办理"
        )
    return ""


def _ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """The unit and its ancestors, root first (one query)."""
    by_id = {u.pk: u for u in OrgUnit.objects.filter(pk__in=unit.ancestor_ids)}
    return [by_id[i] for i in unit.ancestor_ids if i in by_id]


def _nearest(unit: OrgUnit, kind: str) -> OrgUnit | None:
    for candidate in reversed(_ancestors(unit)):
        if candidate.kind == kind:
            return candidate
    return None


def step_unit(case: Case, step: ProcessStep | None) -> OrgUnit:
    """The org unit that handles ``step`` of ``case``.

    Upwards from the accepting unit: a community step goes to the accepting community, a
    subdistrict step to its subdistrict (or the implementing unit's, when accepted higher
    up), a district step to the district; a department step goes to the district
    department that implements the item (for an item delegated down, the department it
    came from). A grid step goes to the grid of the applicant's address (the resolver the
    grid app registers), or the accepting community when there is none. A step without a
    level goes to the implementing unit.
    """
    item = case.implementation_item
    impl = item.implementing_unit
    level = step.unit_level if step is not None else ""
    if level in (StepUnitLevel.COMMUNITY, StepUnitLevel.SUBDISTRICT, StepUnitLevel.DISTRICT):
        kind = {
            StepUnitLevel.COMMUNITY: OrgKind.COMMUNITY,
            StepUnitLevel.SUBDISTRICT: OrgKind.SUBDISTRICT,
            StepUnitLevel.DISTRICT: OrgKind.DISTRICT,
        }[StepUnitLevel(level)]
        return _nearest(case.unit, kind) or _nearest(impl, kind) or impl
    if level == StepUnitLevel.GRID:
        # The grid of the applicant's address; without one, the accepting community.
        grid = applicant_grid(case.applicant)
        if isinstance(grid, OrgUnit) and grid.kind == OrgKind.GRID:
            return grid
        return _nearest(case.unit, OrgKind.COMMUNITY) or impl
    if level == StepUnitLevel.DEPARTMENT:
        if impl.kind in (OrgKind.DEPARTMENT, OrgKind.STATION):
            return impl
        if item.delegated_from is not None and item.delegated_from.kind in (
            OrgKind.DEPARTMENT,
            OrgKind.STATION,
        ):
            return item.delegated_from
        return impl
    return impl


def _handling_steps(case: Case) -> list[ProcessStep]:
    """The steps after acceptance: the leading window steps are the acceptance itself."""
    return selectors.case_handling_steps(case)


def _open_task(
    case: Case,
    *,
    step: ProcessStep | None,
    on: dt.date,
    actor: Actor,
    unit: OrgUnit | None = None,
    position: int | None = None,
    name: str | None = None,
    role: str | None = None,
    budget_days: int | None = None,
) -> CaseTask:
    unit = unit or step_unit(case, step)
    if budget_days is None and step is not None:
        budget_days = step.days
    task = CaseTask.objects.create(
        case=case,
        step=step,
        position=position if position is not None else (step.position if step else 0),
        name=name or (step.name if step else "办结"),
        unit=unit,
        role=role or (step.role if step and step.role else Role.APPROVER),
        budget_days=budget_days,
        started_at=_moment(on),
        started_on=on,
        due_on=_task_due(case, on, budget_days),
    )
    case.current_unit = unit
    _event(
        case,
        EventKind.TASK_STARTED,
        actor,
        on,
        note=f"{task.name}（{unit.name}）",
        detail={"task": task.pk, "unit": unit.pk, "due_on": _iso({"d": task.due_on})["d"]},
        unit=unit,
    )
    _notify_staff(
        case,
        "case.task_new",
        f"新的待办：{_item_name(case)}",
        f"办件{case.number}进入“{task.name}”环节，请在{_date_text(task.due_on)}前办理。",
        unit=unit,
        roles=(task.role,),
    )
    return task


def _conclusion_task(case: Case, *, after: CaseTask, on: dt.date, actor: Actor) -> CaseTask:
    return _open_task(
        case,
        step=None,
        on=on,
        actor=actor,
        unit=after.unit,
        position=after.position + 1,
        name="办结",
        role=Role.APPROVER,
        budget_days=0,
    )


_TASK_RELATED = ("unit", "step", "assignee")


def _locked_task(task: CaseTask) -> CaseTask:
    return locked(CaseTask, task.pk, related=_TASK_RELATED, of=("self",))


def _may_act(actor: Actor, task: CaseTask) -> None:
    role = task.role if task.role in Role.values else Role.APPROVER
    _require_staff(
        actor,
        (role, Role.APPROVER) if role != Role.WINDOW_CLERK else (role,),
        task.unit,
        f"“{task.name}”由{task.unit.name}办理，您不能办理该环节",
    )
    if is_user(actor) and task.assignee_id and task.assignee_id != actor.pk:
        raise PermissionDenied(f"该环节已由{task.assignee}认领，请联系其转办")


def task_claim(*, task: CaseTask, actor: Actor) -> CaseTask:
    """Take an open task of one's unit as one's own."""
    with transition(
        CaseTask,
        task.pk,
        actor=actor,
        allowed=[TaskStatus.OPEN],
        refusal="该环节已办结",
        field="task",
        related=_TASK_RELATED,
        of=("self",),
    ) as step:
        task = step.obj
        _may_act(actor, task)
        if is_user(actor) and task.assignee_id != actor.pk:
            task.assignee = actor
            task.save(update_fields=["assignee"])
            step.audit("cases.task_claim")
        else:
            step.unchanged()
    return task


def _step_after(case: Case, position: int) -> ProcessStep | None:
    return next((s for s in _handling_steps(case) if s.position > position), None)


def _step_before(case: Case, position: int) -> ProcessStep | None:
    earlier = [s for s in _handling_steps(case) if s.position < position]
    return earlier[-1] if earlier else None


def task_act(
    *,
    task: CaseTask,
    action: str,
    actor: Actor,
    opinion: str = "",
    to_unit: OrgUnit | None = None,
    on: dt.date | None = None,
    basis: str = "",
) -> CaseTask:
    """Act on an open step: approve (to the next step or, after the last, to conclusion),
    disagree (the case concludes as 不予准予, with the opinion as its reason and ``basis``
    as its legal basis), return to the previous step, request a correction (stops the
    clock), forward to another unit, or add an opinion. Which actions a step allows is
    ``selectors.task_actions``, the rule the case page offers. Returns the task that is
    open afterwards (or the acted task when none is)."""
    on = _day(on)
    if action not in TaskAction.values:
        raise ValidationError({"action": "请选择处理方式"})
    opinion = (opinion or "").strip()
    allowed = (
        (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
        if action == TaskAction.OPINION
        else (CaseStatus.IN_PROGRESS,)
    )

    def task_open(_case: Case) -> None:
        # The case is locked first, then its step; a step already done says so before
        # the case's status does.
        nonlocal task
        task = _locked_task(task)
        if task.status != TaskStatus.OPEN:
            raise ValidationError({"task": "该环节已办结，不能再处理"})

    with _transition(
        Case(pk=task.case_id), actor, allowed, TaskAction(action).label, check=task_open
    ) as step:
        case = step.obj
        _may_act(actor, task)
        refused = selectors.task_actions(viewer=actor, task=task, case=case).refused
        if action in refused:
            raise ValidationError({"action": refused[action]})
        if action == TaskAction.OPINION:
            result = _task_opinion(case, task, actor=actor, opinion=opinion, on=on)
        elif action == TaskAction.REQUEST_CORRECTION:
            result = _task_request_correction(case, task, actor=actor, opinion=opinion, on=on)
        elif action == TaskAction.DISAGREE:
            result = _task_disagree(case, task, actor=actor, opinion=opinion, basis=basis, on=on)
        else:
            result = _task_complete(
                case, task, action=action, actor=actor, opinion=opinion, to_unit=to_unit, on=on
            )
        case.save()
        step.audit(
            f"cases.task_{action}",
            obj=task,
            changes={"case": case.number, "opinion": opinion[:200]},
        )
    return result


def _append_opinion(task: CaseTask, actor: Actor, text: str) -> None:
    task.opinion = (task.opinion + "\n" if task.opinion else "") + f"{_label(actor)}：{text}"


def _task_opinion(
    case: Case, task: CaseTask, *, actor: Actor, opinion: str, on: dt.date
) -> CaseTask:
    """An opinion on the open step; the step stays open."""
    if not opinion:
        raise ValidationError({"opinion": "请填写办理意见"})
    _append_opinion(task, actor, opinion)
    task.save(update_fields=["opinion"])
    _event(case, EventKind.OPINION, actor, on, note=opinion, public=False, unit=task.unit)
    return task


def _task_request_correction(
    case: Case, task: CaseTask, *, actor: Actor, opinion: str, on: dt.date
) -> CaseTask:
    """Ask the applicant for a correction: the clock stops, the step stays open."""
    if not opinion:
        raise ValidationError({"opinion": "请写明需要补正的材料和具体问题"})
    _stop(case, StopReason.CORRECTION, actor, opinion, on)
    _append_opinion(task, actor, f"要求补正：{opinion}")
    task.save(update_fields=["opinion"])
    return task


def _task_disagree(
    case: Case, task: CaseTask, *, actor: Actor, opinion: str, basis: str, on: dt.date
) -> CaseTask:
    """不同意: the step closes with the opinion and the case concludes as 不予准予 through
    ``case_conclude`` (its decision letter, notice and delivery), with the opinion as the
    reason and ``basis`` (or the guide's legal basis) as the legal basis."""
    if not opinion:
        raise ValidationError({"opinion": "不同意须写明理由"})
    basis = (basis or "").strip() or "；".join(
        f"{b.title}{b.article[:60]}" for b in case.item_version.legal_bases.all()[:3]
    )
    if not basis:
        raise ValidationError({"basis": "不同意须写明法律依据"})
    task.status, task.action = TaskStatus.DONE, TaskAction.DISAGREE
    task.completed_by, task.completed_at = actor_user(actor), _moment(on)
    _append_opinion(task, actor, f"不同意：{opinion}")
    task.save()
    note = f"{task.name}：不同意，{opinion}"
    _event(case, EventKind.TASK_DONE, actor, on, note=note, unit=task.unit)
    # Saved first so the conclusion's lock reads this step closed and the event in order.
    case.save()
    case_conclude(
        case=case, decision=Decision.DENY, reason=opinion, basis=basis, actor=actor, on=on
    )
    # case_conclude saved its own copy; the caller saves this one again.
    case.refresh_from_db()
    return task


def _task_complete(
    case: Case,
    task: CaseTask,
    *,
    action: str,
    actor: Actor,
    opinion: str,
    to_unit: OrgUnit | None,
    on: dt.date,
) -> CaseTask:
    """Approve, return or forward: close ``task`` and open the step that follows."""
    if action == TaskAction.RETURN and not opinion:
        raise ValidationError({"opinion": "退回须写明理由"})
    forward_to = _check_forward(task, to_unit) if action == TaskAction.FORWARD else None
    previous = None
    if action == TaskAction.RETURN:
        previous = (
            _step_before(case, task.position)
            if task.step_id
            else next(reversed(_handling_steps(case)), None)
        )
        if previous is None:
            raise ValidationError({"action": "已是第一个办理环节，不能再退回"})
    task.status = TaskStatus.RETURNED if action == TaskAction.RETURN else TaskStatus.DONE
    task.action, task.completed_by, task.completed_at = action, actor_user(actor), _moment(on)
    if opinion:
        _append_opinion(task, actor, opinion)
    task.save()
    if action == TaskAction.APPROVE:
        return _task_approved(case, task, actor=actor, opinion=opinion, on=on)
    if action == TaskAction.RETURN:
        _event(
            case,
            EventKind.TASK_RETURNED,
            actor,
            on,
            note=f"{task.name}退回：{opinion}",
            unit=task.unit,
        )
        return _open_task(case, step=previous, on=on, actor=actor)
    if forward_to is None:  # approve and return are done above: this is a forward
        raise ValueError(f"unknown task action {action!r}")
    return _task_forwarded(case, task, actor=actor, opinion=opinion, to_unit=forward_to, on=on)


def _task_approved(
    case: Case, task: CaseTask, *, actor: Actor, opinion: str, on: dt.date
) -> CaseTask:
    """The next handling step opens, or after the last one the conclusion step."""
    if task.step_id is None:
        raise ValidationError({"action": "这是办结环节，请作出办结决定"})
    _event(
        case,
        EventKind.TASK_DONE,
        actor,
        on,
        note=f"{task.name}：{opinion or '同意'}",
        unit=task.unit,
    )
    nxt = _step_after(case, task.position)
    if nxt:
        return _open_task(case, step=nxt, on=on, actor=actor)
    return _conclusion_task(case, after=task, on=on, actor=actor)


def _task_forwarded(
    case: Case, task: CaseTask, *, actor: Actor, opinion: str, to_unit: OrgUnit, on: dt.date
) -> CaseTask:
    """The same step opens again at ``to_unit``, with the days it had left."""
    _event(
        case,
        EventKind.FORWARDED,
        actor,
        on,
        note=f"由{task.unit.name}转交{to_unit.name}" + (f"：{opinion}" if opinion else ""),
        unit=to_unit,
    )
    return _open_task(
        case,
        step=task.step,
        on=on,
        actor=actor,
        unit=to_unit,
        position=task.position,
        name=task.name,
        role=task.role,
        budget_days=task.budget_days,
    )


def _check_forward(task: CaseTask, to_unit: OrgUnit | None) -> OrgUnit:
    """The unit ``task`` may be forwarded to."""
    if to_unit is None:
        raise ValidationError({"to_unit": "请选择转交的单位"})
    if not to_unit.is_active:
        raise ValidationError({"to_unit": f"“{to_unit.name}”已撤销，不能转交"})
    if to_unit.pk == task.unit_id:
        raise ValidationError({"to_unit": "不能转交给本单位"})
    root = task.unit.path.split("/")[0] + "/"
    if not to_unit.path.startswith(root):
        raise ValidationError({"to_unit": "只能转交本区范围内的单位"})
    return to_unit
