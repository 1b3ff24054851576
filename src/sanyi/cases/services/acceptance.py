"""Acceptance (受理): accept, accept pending correction, reject, and the instant
conclusion of items handled on the spot; starting the clocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from sanyi.applicants import services as applicant_services
from sanyi.applicants.models import AgentAuthorisation, Applicant
from sanyi.cases.choices import (
    AcceptanceDecision,
    CaseChannel,
    CaseStatus,
    Decision,
    DeliveryMethod,
    EventKind,
    MaterialStatus,
    VisitPurpose,
)
from sanyi.cases.links import TRACK_HOW
from sanyi.cases.models import (
    Case,
    PrecheckRound,
)
from sanyi.cases.numbering import lock_case_counter, query_code_for
from sanyi.cases.services._common import (
    _audit_step,
    _date_text,
    _day,
    _event,
    _iso,
    _item_name,
    _moment,
    _notify_applicant,
    _require_staff,
    _set_dues,
    _system_user,
    _transition,
    correction_due,
)
from sanyi.cases.services.conclusion import case_conclude
from sanyi.cases.services.counter import record_name_confirmed, require_counter_identity
from sanyi.cases.services.delivery import case_deliver
from sanyi.cases.services.intake import _provided, case_start
from sanyi.cases.services.prechecks import _check_results, _notice_text
from sanyi.cases.services.routing import _handling_steps, _open_task, center_may_accept
from sanyi.cases.services.visits import _visit
from sanyi.catalog.choices import (
    LimitUnit,
    MaterialNecessity,
)
from sanyi.catalog.models import HandlingVariant, ImplementationItem
from sanyi.core.actors import Actor, actor_user
from sanyi.orgs.models import Role, ServiceCenter, Window


def case_accept(
    *,
    case: Case,
    window: Window,
    decision: str,
    actor: Actor,
    materials: Sequence = (),
    reason: str = "",
    basis: str = "",
    deficiencies: Sequence = (),
    on: dt.date | None = None,
) -> Case:
    """Decide on acceptance at a window (一窗受理).

    ``materials``: what the clerk checked at the window, each either a CaseMaterial (ticked:
    received and in order) or ``{"material": CaseMaterial, "status": "ok"|"to_fix",
    "problem": "..."}``. ``deficiencies`` (容缺受理): ``[{"material": CaseMaterial,
    "due_on": date}]``; only materials the guide marks as deferrable.

    Long because the window, the clerk's role and the center's authorisation are all
    checked under the case's lock before any of the three decisions is carried out
    (``_reject``, ``_correction_notice``, ``_accept``).
    """
    on = _day(on)
    if decision not in AcceptanceDecision.values:
        raise ValidationError({"decision": "请选择受理决定"})
    center = window.center
    with _transition(
        case, actor, (CaseStatus.AWAITING_ACCEPTANCE, CaseStatus.CORRECTION_NOTICE), "受理"
    ) as step:
        case = step.obj
        if not window.is_active or not center.is_active:
            raise ValidationError({"window": "该窗口或服务中心已停用"})
        _require_staff(
            actor,
            Role.WINDOW_CLERK,
            center.org_unit,
            f"您不是“{center.name}”的窗口人员，不能在该中心受理",
        )
        refusal = center_may_accept(center, case.implementation_item)
        if refusal:
            raise ValidationError({"window": refusal})
        now = _moment(on)
        problems = _check_results(case, materials, actor, now, at_window=True)
        at_window = case.channel != CaseChannel.ONLINE
        case.center, case.window = center, window
        case.acceptance_decision = decision
        case.accepted_by = actor_user(actor)
        if at_window:
            _visit(case, VisitPurpose.SUBMIT, actor, window, now)
        if decision == AcceptanceDecision.REJECT:
            _reject(case, actor, on, reason, basis)
        elif decision == AcceptanceDecision.CORRECTION_NOTICE:
            _correction_notice(case, actor, on, problems, at_window)
        else:
            _accept(
                case,
                actor,
                on,
                now,
                problems=problems,
                deficiencies=deficiencies,
                deficient=decision == AcceptanceDecision.ACCEPT_WITH_DEFICIENCY,
            )
        case.save()
        _audit_step(step, "accept", {"decision": decision, "window": window.pk})
    return case


def _accept(
    case: Case,
    actor: Actor,
    on: dt.date,
    now: dt.datetime,
    *,
    problems: list[tuple[str, str]],
    deficiencies: Sequence,
    deficient: bool,
) -> None:
    """Accept (or accept with deferred materials, 容缺受理): every required material is in
    order, deferred or waived, and the clocks start."""
    if problems:
        raise ValidationError({"materials": "有材料需补正，不能受理；请选择“一次性告知补正”"})
    _mark_deficiencies(case, deficiencies, on)
    missing = [
        cm.name
        for cm in case.materials.all()
        if cm.required
        and cm.status
        not in (
            MaterialStatus.OK,
            MaterialStatus.SHARED,
            MaterialStatus.DEFICIENT,
            MaterialStatus.WAIVED,
        )
    ]
    if missing:
        raise ValidationError(
            {
                "materials": "以下必要材料尚未收齐或核验："
                + "、".join(missing)
                + "。可勾选已收取的材料，或选择容缺受理、一次性告知补正"
            }
        )
    _start_clocks(case, actor, on, now, deficient=deficient)


def _center(case: Case) -> ServiceCenter:
    """The center accepting ``case`` (``case_accept`` sets it before deciding)."""
    if case.center is None:
        raise ValueError("the case has no accepting center yet")
    return case.center


def _reject(case: Case, actor: Actor, on: dt.date, reason: str, basis: str) -> None:
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "不予受理须写明理由"
    if not (basis or "").strip():
        errors["basis"] = "不予受理须写明法律依据"
    if errors:
        raise ValidationError(errors)
    case.status = CaseStatus.NOT_ACCEPTED
    case.acceptance_reason, case.acceptance_basis = reason.strip(), basis.strip()
    case.current_unit = _center(case).org_unit
    case.unit = _center(case).org_unit
    _event(
        case,
        EventKind.NOT_ACCEPTED,
        actor,
        on,
        note=f"理由：{case.acceptance_reason}\n依据：{case.acceptance_basis}",
    )
    _notify_applicant(
        case,
        "case.not_accepted",
        "申请不予受理",
        f"您申请的“{_item_name(case)}”（{case.number}）不予受理。理由：{case.acceptance_reason}"
        f"。依据：{case.acceptance_basis}。如不服，可依法申请行政复议或者提起行政诉讼。",
    )


def _correction_notice(
    case: Case, actor: Actor, on: dt.date, problems: list[tuple[str, str]], at_window: bool
) -> None:
    named = {n for n, _ in problems}
    absent = [
        cm
        for cm in case.materials.all()
        if cm.required
        and cm.status == MaterialStatus.PENDING
        and not _provided(cm)
        and cm.name not in named
    ]
    problems = list(problems) + [(cm.name, "未提交") for cm in absent]
    if not problems:
        raise ValidationError({"materials": "一次性告知须列出需补正的材料和具体问题"})
    case.materials.filter(pk__in=[cm.pk for cm in absent]).update(
        status=MaterialStatus.TO_FIX, problem="未提交"
    )
    for cm in absent:  # the rows the step holds say so too
        cm.status, cm.problem = MaterialStatus.TO_FIX, "未提交"
    number = case.precheck_rounds.count() + 1
    reply_due = correction_due(on)
    notice = _notice_text(case, problems, reply_due, at_window=at_window)
    PrecheckRound.objects.create(
        case=case,
        number=number,
        at_acceptance=True,
        notice=notice,
        items=[{"material": n, "problem": p} for n, p in problems],
        reply_due_on=reply_due,
        created_by=actor_user(actor) or _system_user(),
    )
    case.status = CaseStatus.CORRECTION_NOTICE
    case.unit = _center(case).org_unit
    case.current_unit = _center(case).org_unit
    _event(case, EventKind.CORRECTION_NOTICE, actor, on, note=notice, detail={"round": number})
    _notify_applicant(case, "case.correction_needed", "一次性告知：请补正材料", notice)


def _mark_deficiencies(case: Case, deficiencies: Sequence, on: dt.date) -> None:
    held = {cm.pk: cm for cm in case.materials.all()} if deficiencies else {}
    for row in deficiencies:
        cm_ref, due_on = row.get("material"), row.get("due_on")
        cm = held.get(getattr(cm_ref, "pk", cm_ref))
        if cm is None:
            raise ValidationError({"deficiencies": "容缺材料不属于本办件"})
        if cm.material is None or cm.material.necessity != MaterialNecessity.DEFERRABLE:
            raise ValidationError(
                {"deficiencies": f"“{cm.name}”不是办事指南列明的可容缺材料，不能容缺受理"}
            )
        if not isinstance(due_on, dt.date) or due_on <= on:
            raise ValidationError({"deficiencies": f"请为“{cm.name}”填写晚于今天的补交期限"})
        cm.status, cm.follow_up_due_on = MaterialStatus.DEFICIENT, due_on
        cm.save(update_fields=["status", "follow_up_due_on"])


def _start_clocks(case: Case, actor: Actor, on: dt.date, now: datetime, *, deficient: bool) -> None:
    """The case is accepted: the limits and due dates start, the applicant gets the number
    and query code, and the first handling step opens (none for an instant item).

    Long because the ledger note names every deferred material with its own due date."""
    version = case.item_version
    case.status = CaseStatus.IN_PROGRESS
    case.accepted_on, case.accepted_at = on, now
    case.unit = case.current_unit = _center(case).org_unit
    case.statutory_days = (
        version.statutory_limit_value
        if version.statutory_limit_unit == LimitUnit.WORKING_DAY
        else None
    )
    case.promised_days = (
        version.promised_limit_value
        if version.promised_limit_unit == LimitUnit.WORKING_DAY
        else None
    )
    # The stops, read once for both due dates and the first step's (none is made meanwhile).
    prefetch_related_objects([case], "clock_stops")
    _set_dues(case, today=on)
    code = query_code_for(case.number)
    kind = EventKind.ACCEPTED_WITH_DEFICIENCY if deficient else EventKind.ACCEPTED
    deferred = [cm for cm in case.materials.all() if cm.status == MaterialStatus.DEFICIENT]
    note = f"受理单位：{_center(case).name}；承诺办结期限：{_date_text(case.promised_due_on)}"
    if case.due_provisional:
        note += "（暂定）"
    if deferred:
        note += "；容缺后补：" + "、".join(
            f"{cm.name}（{_date_text(cm.follow_up_due_on)}前）" for cm in deferred
        )
    _event(
        case,
        kind,
        actor,
        on,
        note=note,
        detail=_iso(
            {
                "statutory_due_on": case.statutory_due_on,
                "promised_due_on": case.promised_due_on,
                "provisional": case.due_provisional,
            }
        ),
        unit=case.unit,
    )
    _notify_applicant(
        case,
        "case.accepted",
        "申请已受理",
        f"您申请的“{_item_name(case)}”已受理，短号{case.short_number}，办件编号{case.number}，"
        f"查询码{code}，承诺{_date_text(case.promised_due_on)}前办结。{TRACK_HOW}",
    )
    if case.is_instant:
        return
    steps = _handling_steps(case)
    if steps:
        _open_task(case, step=steps[0], on=on, actor=actor)
    else:
        _open_task(
            case,
            step=None,
            on=on,
            actor=actor,
            unit=case.unit,
            position=1,
            name="办结",
            budget_days=0,
        )


def case_conclude_instant(
    *,
    case: Case,
    window: Window,
    actor: Actor,
    materials: Sequence = (),
    decision: str = Decision.APPROVE,
    reason: str = "",
    basis: str = "",
    recipient_name: str = "",
    on: dt.date | None = None,
) -> Case:
    """An instant item (即办件): accept, conclude and hand over at the same visit."""
    if not case.is_instant:
        raise ValidationError({"case": "只有即办件可以当场办结"})
    with transaction.atomic():
        case = case_accept(
            case=case,
            window=window,
            decision=AcceptanceDecision.ACCEPT,
            actor=actor,
            materials=materials,
            on=on,
        )
        _require_staff(
            actor, (Role.WINDOW_CLERK, Role.APPROVER), window.center.org_unit, "无权办结"
        )
        case = case_conclude(
            case=case,
            decision=decision,
            reason=reason,
            basis=basis,
            actor=actor,
            on=on,
            _instant=True,
        )
        case = case_deliver(
            case=case,
            method=DeliveryMethod.WINDOW,
            actor=actor,
            window=window,
            recipient_name=recipient_name or case.applicant.name,
            _same_visit=True,
        )
    return case


# The note the applicant's audit row carries when the clerk changes the mobile at the window.
WINDOW_PHONE_NOTE = "窗口受理时核验申请人本人身份证件原件，按其要求更换联系电话"


def _walk_in_agent(
    applicant: Applicant,
    item: ImplementationItem,
    id_number: str,
    name: str,
    document: UploadedFile | None,
    actor: Actor,
) -> tuple[Applicant | None, AgentAuthorisation | None]:
    """The agent who brought a walk-in's case and the authorisation they handed in, or
    (None, None) when the applicant came in person."""
    if not id_number:
        return None, None
    agent = applicant_services.applicant_find_or_create(id_number=id_number, name=name, actor=actor)
    if document is None:
        raise ValidationError({"document": "请上传授权委托书"})
    authorisation = applicant_services.agent_authorisation_create(
        principal=applicant,
        agent=agent,
        document=document,
        valid_from=timezone.localdate(),
        scope_note=f"代为申请：{item.base_item.name}",
        actor=actor,
    )
    return agent, authorisation


@transaction.atomic
def case_start_at_counter(
    *,
    actor: Actor,
    item: ImplementationItem,
    variant: HandlingVariant | None,
    id_number: str,
    name: str,
    phone: str = "",
    agent_id_number: str = "",
    agent_name: str = "",
    agent_document: UploadedFile | None = None,
    confirm_name: bool = False,
) -> Case:
    """A walk-in at the window (一窗受理, step 1): find or register the applicant, record the
    agent and the authorisation they brought (when ``agent_id_number`` is given), and open
    the window case awaiting acceptance — all or nothing, so a refused start leaves no
    stray applicant or authorisation behind. A name that differs from the one registered
    for the ID number is refused unless ``confirm_name`` (the clerk checked the document);
    the case is then the registered person's, whose profile is not changed."""
    identity = require_counter_identity(id_number=id_number, name=name, confirmed=confirm_name)
    # The item's number counter before the applicant's audit row (numbering.lock_case_counter).
    lock_case_counter(item.implementation_code, timezone.localdate())
    if identity.applicant is not None:  # on file: the details are checked, nothing read again
        applicant_services.applicant_details_check(id_number=id_number, name=name, phone=phone)
        applicant = identity.applicant
    else:
        applicant = applicant_services.applicant_find_or_create(
            id_number=id_number, name=name, phone=phone, actor=actor
        )
    phone = (phone or "").strip()
    normalise = applicant_services.normalise_mobile
    if phone and not agent_id_number and normalise(phone) != normalise(applicant.phone):
        # The applicant in person, the document in the clerk's hands: the one channel that
        # may move the sign-in mobile without the old phone, and the audit trail says so
        # (clerk as actor, at the window). An agent never changes the principal's mobile.
        applicant = applicant_services.applicant_correct_at_window(
            applicant=applicant, actor=actor, phone=phone, note=WINDOW_PHONE_NOTE
        )
    agent, authorisation = _walk_in_agent(
        applicant, item, agent_id_number, agent_name, agent_document, actor
    )
    case = case_start(
        applicant=applicant,
        item=item,
        channel=CaseChannel.WINDOW,
        actor=actor,
        variant=variant,
        agent=agent,
        agent_authorisation=authorisation,
    )
    if not identity.name_matches:
        record_name_confirmed(case, actor, identity)
    return case
