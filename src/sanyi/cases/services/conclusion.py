"""Conclusion (办结) of a case with its decision and result documents, and withdrawal."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from sanyi.cases.choices import (
    FINAL_STATUSES,
    CaseStatus,
    Decision,
    DeliveryMethod,
    EventKind,
    TaskAction,
    TaskStatus,
    WarningLevel,
)
from sanyi.cases.models import (
    Case,
    Delivery,
    ResultDocument,
)
from sanyi.cases.services._common import (
    STAFF_ROLES,
    _audit_step,
    _day,
    _event,
    _item_name,
    _moment,
    _notify_applicant,
    _notify_staff,
    _require_staff,
    _transition,
)
from sanyi.catalog.choices import (
    ResultType,
)
from sanyi.core.actors import Actor, actor_user, is_user
from sanyi.orgs.models import Role

if TYPE_CHECKING:
    from sanyi.licences.models import ELicence


def case_conclude(
    *,
    case: Case,
    decision: str,
    reason: str,
    basis: str,
    actor: Actor,
    on: dt.date | None = None,
    licence: dict[str, Any] | None = None,
    _instant: bool = False,
) -> Case:
    """Decide the case (准予/不予准予) with reasons and legal basis; the decision letter is
    generated as PDF; an approved licence item issues an e-licence (``licence`` may give
    ``name``, ``valid_until`` and ``details``). The result then waits for delivery by the
    method the applicant chose.

    Long because the open steps close, the decision is recorded and the case's warning
    light is settled in one place; the licence, letter and delivery are named steps."""
    on = _day(on)
    reason, basis = _check_decision(decision, reason, basis)
    with _transition(case, actor, (CaseStatus.IN_PROGRESS,), "办结") as step:
        case = step.obj
        roles = (Role.APPROVER, Role.WINDOW_CLERK) if _instant else (Role.APPROVER,)
        _require_staff(actor, roles, case.current_unit, "您不能办结不在本单位办理的办件")
        if not basis:
            basis = "；".join(
                f"{b.title}{b.article[:60]}" for b in case.item_version.legal_bases.all()[:3]
            )
        now = _moment(on)
        case.tasks.filter(status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE,
            action=TaskAction.APPROVE,
            completed_by=actor_user(actor),
            completed_at=now,
        )
        case.decision, case.decision_reason, case.decision_basis = decision, reason, basis
        case.decided_by = actor_user(actor)
        case.concluded_at, case.concluded_on = now, on
        case.status = CaseStatus.CONCLUDED
        case.warning_level = (
            WarningLevel.NONE
            if not case.promised_due_on or on <= case.promised_due_on
            else WarningLevel.RED
        )
        _event(
            case,
            EventKind.CONCLUDED,
            actor,
            on,
            note=f"{Decision(decision).label}" + (f"：{reason}" if reason else ""),
            detail={"decision": decision, "basis": basis},
            unit=case.current_unit,
        )
        issued = _issue_licence(case, decision=decision, licence=licence, actor=actor, on=on)
        _result_document(case, decision=decision, issued=issued)
        _await_delivery(case, decision=decision, actor=actor, on=on, now=now, instant=_instant)
        case.save()
        _audit_step(
            step,
            "conclude",
            {"decision": decision, "licence": issued.number if issued else ""},
        )
        # A bundle member waiting for this case starts once the conclusion is committed.
        step.on_commit(partial(_start_waiting_members, case.pk))
    return case


def _start_waiting_members(case_pk: int) -> None:
    from sanyi.cases.services.bundles import bundles_after_conclusion

    bundles_after_conclusion(case_pk)


def _check_decision(decision: str, reason: str, basis: str) -> tuple[str, str]:
    """The reason and basis, trimmed; every missing part of a decision at once."""
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "请选择办结结果：准予或不予准予"
    reason, basis = (reason or "").strip(), (basis or "").strip()
    if decision == Decision.DENY and not reason:
        errors["reason"] = "不予准予须写明理由"
    if decision == Decision.DENY and not basis:
        errors["basis"] = "不予准予须写明法律依据"
    if errors:
        raise ValidationError(errors)
    return reason, basis


def _issue_licence(
    case: Case, *, decision: str, licence: dict[str, Any] | None, actor: Actor, on: date
) -> ELicence | None:
    """An approved licence item issues its e-licence (证照); None for any other result."""
    version = case.item_version
    if decision != Decision.APPROVE or version.result_type != ResultType.LICENCE:
        return None
    from sanyi.licences.services import licence_issue

    extra = licence or {}
    issued = licence_issue(
        case=case,
        name=extra.get("name") or version.result_name or _item_name(case),
        valid_from=extra.get("valid_from") or on,
        valid_until=extra.get("valid_until"),
        details=extra.get("details"),
        actor=actor,
        issued_on=on,
    )
    _event(case, EventKind.LICENCE_ISSUED, actor, on, note=f"{issued.name}（{issued.number}）")
    return issued


def _result_document(case: Case, *, decision: str, issued: ELicence | None) -> ResultDocument:
    """The decision letter (决定书) as PDF, kept with its hash."""
    from sanyi.cases import documents

    pdf = documents.result_pdf(case, licence=issued)
    title = f"{_item_name(case)}{'准予' if decision == Decision.APPROVE else '不予准予'}决定书"
    doc = ResultDocument(case=case, title=title[:200], sha256=hashlib.sha256(pdf).hexdigest())
    doc.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
    doc.save()
    return doc


def _await_delivery(
    case: Case, *, decision: str, actor: Actor, on: dt.date, now: dt.datetime, instant: bool
) -> None:
    """The result waits for delivery by the chosen method; the applicant is told where
    (an instant conclusion hands it over at once, so nobody is told to come back)."""
    method = case.delivery_method or DeliveryMethod.WINDOW
    Delivery.objects.update_or_create(
        case=case,
        defaults={"method": method, "window": case.window, "ready_at": now},
    )
    pickup_at = case.center.name if case.center else "受理窗口"
    where = {
        DeliveryMethod.WINDOW: f"请携带身份证件到{pickup_at}领取",
        DeliveryMethod.POST: "结果将邮寄给您",
        DeliveryMethod.ELECTRONIC: "可在网上办事大厅查看和下载",
    }[DeliveryMethod(method)]
    if method == DeliveryMethod.WINDOW and not instant:
        _event(case, EventKind.READY_FOR_PICKUP, actor, on, note=where)
    if not instant:
        _notify_applicant(
            case,
            "case.concluded",
            "办件已办结",
            f"您申请的“{_item_name(case)}”（{case.number}）已办结，结果：{Decision(decision).label}。{where}。",
        )


def case_withdraw(*, case: Case, actor: Actor, reason: str, on: dt.date | None = None) -> Case:
    """The applicant withdraws (撤回) a case not yet concluded."""
    on = _day(on)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明撤回原因"})
    with _transition(
        case,
        actor,
        [s for s in CaseStatus.values if s not in FINAL_STATUSES and s != CaseStatus.CONCLUDED],
        refusal=lambda c: f"办件当前为“{c.get_status_display()}”，不能撤回",
    ) as step:
        case = step.obj
        _require_staff(actor, STAFF_ROLES, case.current_unit, "您不能撤回不在本单位范围内的办件")
        before = case.status
        for task in case.tasks.filter(status=TaskStatus.OPEN).select_related("assignee"):
            _notify_staff(
                case,
                "case.withdrawn",
                f"办件已撤回：{case.number}",
                f"申请人撤回了办件{case.number}（{_item_name(case)}），“{task.name}”环节已取消。"
                f"撤回原因：{reason.strip()}",
                users=[task.assignee] if task.assignee is not None else None,
                unit=None if task.assignee_id else task.unit,
                roles=() if task.assignee_id else (task.role,),
            )
        case.tasks.filter(status=TaskStatus.OPEN).update(
            status=TaskStatus.CANCELLED, completed_at=_moment(on)
        )
        case.clock_stops.filter(restarted_on__isnull=True).update(restarted_on=on)
        case.status = CaseStatus.WITHDRAWN
        _event(case, EventKind.WITHDRAWN, actor, on, note=reason.strip())
        case.save()
        _audit_step(step, "withdraw", {"status": [before, CaseStatus.WITHDRAWN]}, note=reason)
        if is_user(actor):
            _notify_applicant(
                case, "case.withdrawn", "办件已撤回", f"您的办件{case.number}已按您的申请撤回。"
            )
    return case
