"""Deadlines of cases: clock stops and restarts, extensions, and recomputation after a
calendar change; the yellow and red warnings are in ``warnings``. (Named apart from
``sanyi.cases.clocks``, the pure deadline arithmetic this module calls.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from sanyi.calendar.selectors import workdays_between
from sanyi.cases.choices import (
    OPEN_STATUSES,
    CaseStatus,
    EventKind,
    StopReason,
    TaskStatus,
)
from sanyi.cases.models import (
    Case,
    ClockStop,
    Extension,
)
from sanyi.cases.services._common import (
    _audit_step,
    _date_text,
    _day,
    _event,
    _iso,
    _notify_applicant,
    _require_staff,
    _set_dues,
    _system_user,
    _task_due,
    _transition,
    correction_due,
)
from sanyi.core.actors import Actor, actor_user, is_user
from sanyi.orgs.models import Role

if TYPE_CHECKING:
    from sanyi.orgs.models import User


def _stop(case: Case, reason: str, actor: Actor, note: str, on: dt.date) -> ClockStop:
    """Stop the clocks of a case in progress (the caller's transition required the status)."""
    if case.accepted_on and on < case.accepted_on:
        raise ValidationError({"on": "暂停日期不能早于受理日期"})
    last = case.clock_stops.order_by("-restarted_on").first()
    if last and last.restarted_on and on < last.restarted_on:
        raise ValidationError({"on": "暂停日期不能早于上一次恢复计时的日期"})
    stop = ClockStop.objects.create(
        case=case,
        reason=reason,
        note=(note or "")[:500],
        stopped_on=on,
        stopped_by=actor_user(actor) or _system_user(),
    )
    case.status = CaseStatus.SUSPENDED
    label = StopReason(reason).label
    detail: dict = {"reason": reason, "stop": stop.pk}
    due = correction_due(on) if reason == StopReason.CORRECTION else None
    if due:
        detail["reply_due_on"] = due.isoformat()
    _event(
        case,
        EventKind.CLOCK_STOPPED,
        actor,
        on,
        note=f"{label}"
        + (f"：{note}" if note else "")
        + (f"；补正期限：{_date_text(due)}" if due else ""),
        detail=detail,
        unit=case.current_unit,
    )
    body = f"您的办件（短号{case.short_number}）因“{label}”暂停计时，暂停期间不计入办理时限。"
    if due:
        body = (
            f"您的办件（短号{case.short_number}）需要补正材料，补正期间暂停计时。"
            f"请在{_date_text(due)}前补正。需补正的内容：{note}"
        )
    _notify_applicant(case, "case.clock_stopped", f"办件暂停计时（{label}）", body)
    return stop


def clock_stop(
    *, case: Case, reason: str, actor: Actor, note: str = "", on: dt.date | None = None
) -> Case:
    """Stop the clocks (挂起): the stop day still counts, the days after it do not."""
    on = _day(on)

    def may_stop(locked_case: Case) -> None:
        # Who acts and why come before the status, as they always have on this page.
        _require_staff(
            actor, Role.APPROVER, locked_case.current_unit, "您不能暂停不在本单位办理的办件"
        )
        if reason not in StopReason.values:
            raise ValidationError({"reason": "请选择暂停计时的原因"})

    with _transition(case, actor, (CaseStatus.IN_PROGRESS,), "暂停计时", check=may_stop) as step:
        case = step.obj
        _stop(case, reason, actor, note, on)
        case.save()
        _audit_step(step, "clock_stop", {"reason": reason, "on": on.isoformat()}, note=note)
    return case


def _shift_open_tasks(case: Case) -> None:
    for t in case.tasks.filter(status=TaskStatus.OPEN):
        due = _task_due(case, t.started_on, t.budget_days)
        if due != t.due_on:
            t.due_on = due
            t.save(update_fields=["due_on"])


def clock_restart(*, case: Case, actor: Actor, on: dt.date | None = None) -> Case:
    """Restart the clocks; the due dates move by the stopped working days."""
    on = _day(on)
    with _transition(case, actor, (CaseStatus.SUSPENDED,), "恢复计时") as step:
        case = step.obj
        _require_staff(
            actor, (Role.APPROVER, Role.WINDOW_CLERK), case.current_unit, "您不能恢复该办件的计时"
        )
        stop = case.clock_stops.select_for_update().get(restarted_on__isnull=True)
        if on < stop.stopped_on:
            raise ValidationError({"on": "恢复日期不能早于暂停日期"})
        stop.restarted_on, stop.restarted_by = on, actor_user(actor)
        stop.days = workdays_between(stop.stopped_on, on).days
        stop.save(update_fields=["restarted_on", "restarted_by", "days"])
        case.stopped_days += stop.days
        case.status = CaseStatus.IN_PROGRESS
        old, new = _set_dues(case, today=on)
        _shift_open_tasks(case)
        _event(
            case,
            EventKind.CLOCK_RESTARTED,
            actor,
            on,
            note=f"暂停{stop.days}个工作日；承诺办结期限{_date_text(old['promised_due_on'])}"
            f"→{_date_text(new['promised_due_on'])}",
            detail={"old": _iso(old), "new": _iso(new), "days": stop.days},
            unit=case.current_unit,
        )
        _notify_applicant(
            case,
            "case.clock_restarted",
            "办件恢复计时",
            f"您的办件{case.number}已恢复计时，承诺办结期限为{_date_text(case.promised_due_on)}。",
        )
        case.save()
        _audit_step(
            step,
            "clock_restart",
            {"days": stop.days, **{k: [_iso(old)[k], _iso(new)[k]] for k in old}},
        )
    return case


def case_extend(
    *,
    case: Case,
    days: int,
    reason: str,
    requested_by: User,
    actor: Actor,
    on: dt.date | None = None,
) -> Case:
    """An extension approved by someone other than the requester (APPROVER or SUPERVISOR
    in scope): ``days`` working days added to both limits.

    Long because one approval moves three things the applicant and the staff see: both
    due dates, every open step's due date, and the notices to each side."""
    on = _day(on)
    errors = {}
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 60:
        errors["days"] = "延期天数应为1至60个工作日"
    if not (reason or "").strip():
        errors["reason"] = "请写明延期理由"
    if not is_user(requested_by):
        errors["requested_by"] = "请注明申请延期的工作人员"
    if errors:
        raise ValidationError(errors)
    if not is_user(actor):
        raise PermissionDenied("延期须由审批人员批准")
    if actor.pk == requested_by.pk:
        raise PermissionDenied("延期不能由申请人自己批准，须由另一名审批或督查人员批准")
    with _transition(case, actor, OPEN_STATUSES, "延期") as step:
        case = step.obj
        _require_staff(
            actor,
            (Role.APPROVER, Role.SUPERVISOR),
            case.current_unit,
            "您不在该办件办理单位的审批或督查范围内，不能批准延期",
        )
        case.extension_days += days
        old, new = _set_dues(case, today=on)
        _shift_open_tasks(case)
        Extension.objects.create(
            case=case,
            days=days,
            reason=reason.strip(),
            requested_by=requested_by,
            approved_by=actor,
            approved_on=on,
            old_due_on=old["promised_due_on"] or old["statutory_due_on"] or on,
            new_due_on=new["promised_due_on"] or new["statutory_due_on"] or on,
        )
        _event(
            case,
            EventKind.EXTENDED,
            actor,
            on,
            note=f"延期{days}个工作日：{reason.strip()}；承诺办结期限{_date_text(old['promised_due_on'])}"
            f"→{_date_text(new['promised_due_on'])}",
            detail={"days": days, "old": _iso(old), "new": _iso(new)},
            unit=case.current_unit,
        )
        _notify_applicant(
            case,
            "case.extended",
            "办件延期",
            f"您的办件{case.number}经批准延期{days}个工作日，理由：{reason.strip()}。"
            f"新的办结期限为{_date_text(case.promised_due_on)}。",
        )
        case.save()
        _audit_step(
            step,
            "extend",
            {
                "days": days,
                "promised_due_on": [_iso(old)["promised_due_on"], _iso(new)["promised_due_on"]],
            },
            note=reason,
        )
    return case


def case_recompute_due(
    *, case: Case, actor: Actor, note: str = "", today: dt.date | None = None
) -> bool:
    """Recompute the due dates (after a calendar change); records old → new when they move."""
    today = today or timezone.localdate()
    with _transition(
        case,
        actor,
        OPEN_STATUSES,
        skip_if=lambda c: c.status not in OPEN_STATUSES or c.accepted_on is None,
    ) as step:
        case = step.obj
        if step.skipped:  # closed, or not accepted yet: no clock to move
            return False
        old, new = _set_dues(case, today=today)
        if old == new:
            step.unchanged()
            return False
        _shift_open_tasks(case)
        case.save(
            update_fields=["statutory_due_on", "promised_due_on", "due_provisional", "updated_at"]
        )
        _event(
            case,
            EventKind.DUE_RECOMPUTED,
            actor,
            today,
            note=(note + "；" if note else "") + f"法定期限{_date_text(old['statutory_due_on'])}"
            f"→{_date_text(new['statutory_due_on'])}，"
            f"承诺期限{_date_text(old['promised_due_on'])}→{_date_text(new['promised_due_on'])}",
            detail={"old": _iso(old), "new": _iso(new)},
        )
        _audit_step(
            step, "recompute_due", {k: [_iso(old)[k], _iso(new)[k]] for k in old}, note=note
        )
        if old["promised_due_on"] != new["promised_due_on"]:
            _notify_applicant(
                case,
                "case.due_changed",
                "办结期限调整",
                f"因节假日安排调整，您的办件{case.number}的承诺办结期限由"
                f"{_date_text(old['promised_due_on'])}调整为{_date_text(new['promised_due_on'])}。",
            )
    return True


def cases_recompute_for_years(*, years: Iterable[int], actor: Actor, note: str = "") -> int:
    """Recompute every open case whose clock touches one of ``years``; the count moved."""
    years = sorted(set(years))
    if not years:
        return 0
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    ids = (
        Case.objects.filter(status__in=OPEN_STATUSES, accepted_on__lte=last)
        .filter(
            Q(statutory_due_on__gte=first)
            | Q(promised_due_on__gte=first)
            | Q(status=CaseStatus.SUSPENDED)
            | Q(due_provisional=True)
        )
        .values_list("pk", flat=True)
    )
    moved = 0
    for pk in ids.iterator(chunk_size=2000):
        if case_recompute_due(case=Case(pk=pk), actor=actor, note=note):
            moved += 1
    return moved
