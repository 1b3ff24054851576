"""Replies (Art. 36) and withdrawal: how a request ends."""

from __future__ import annotations

import datetime as dt
import hashlib
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from sanyi.core.actors import Actor, actor_user, is_user
from sanyi.disclosure_requests.choices import (
    FINAL_STATUSES,
    EventKind,
    Outcome,
    ReplyMethod,
    RequestStatus,
    StopKind,
)
from sanyi.disclosure_requests.models import (
    InfoRequest,
)
from sanyi.disclosure_requests.services._common import (
    DEFAULT_BASIS,
    LAPSE_OUTCOMES,
    _audit,
    _audit_step,
    _event,
    _in_order,
    _not_before,
    _on,
    _refresh_due,
    _require_officer,
    _tell_applicant,
    _transition,
    request_title,
)
from sanyi.disclosure_requests.services.carriers import Carriers, carriers_check, carriers_save


def request_reply(
    *,
    actor: Actor,
    request: InfoRequest,
    outcome: str,
    text: str,
    legal_basis: str = "",
    referral: str = "",
    method: str = ReplyMethod.ONLINE,
    on_spot: bool = False,
    on: dt.date | None = None,
    carriers: Carriers | None = None,
) -> InfoRequest:
    """Answer the request with one of the annual report's outcomes, and write the letter.
    A reply that grants the information (予以公开, 部分公开) carries it: ``carriers``
    holds its files, published documents or paper delivery (at least one)."""
    on = _on(on)
    carriers = carriers or Carriers()
    with _transition(
        request,
        actor=actor,
        allowed=(
            RequestStatus.IN_PROGRESS,
            RequestStatus.CONSULTING,
            RequestStatus.AWAITING_CORRECTION,
            RequestStatus.AWAITING_FEE,
        ),
        doing="答复",
    ) as step:
        request = step.obj
        text = _check_reply(
            request, outcome=outcome, text=text, method=method, on=on, carriers=carriers
        )
        start = request.received_on or request.submitted_on
        _not_before(on, start, "收到申请日期")
        _in_order(request, on)
        if on_spot and request.received_on != on:
            raise ValidationError({"on_spot": "当场答复的，答复日期应为收到申请之日"})
        _conclude(
            request,
            actor=actor,
            on=on,
            outcome=outcome,
            text=text,
            legal_basis=(legal_basis or "").strip() or DEFAULT_BASIS[outcome],
            referral=(referral or "").strip() if outcome == Outcome.UNAVAILABLE_NOT_HELD else "",
            method=method,
            on_spot=on_spot,
            step=step,
            carried=carriers_save(request, carriers),
        )
    return request


def _check_reply(
    request: InfoRequest,
    *,
    outcome: str,
    text: str,
    method: str,
    on: dt.date,
    carriers: Carriers,
) -> str:
    """The reply text, trimmed; every reason the reply cannot be given, at once."""
    errors: dict[str, Any] = carriers_check(
        carriers, outcome=outcome if outcome in Outcome.values else ""
    )
    if outcome not in Outcome.values:
        errors["outcome"] = "请选择办理结果"
    elif outcome == Outcome.OTHER_NO_CORRECTION:
        due = request.correction_due_on
        if request.status != RequestStatus.AWAITING_CORRECTION or due is None or on <= due:
            errors["outcome"] = "只有补正期限已过仍未补正的申请，才能按逾期不补正处理"
    elif outcome == Outcome.OTHER_NO_FEE:
        due = request.fee_due_on
        if request.status != RequestStatus.AWAITING_FEE or due is None or on <= due:
            errors["outcome"] = "只有缴费期限已过仍未缴费的申请，才能按逾期未缴费处理"
    elif request.status in (RequestStatus.AWAITING_CORRECTION, RequestStatus.AWAITING_FEE):
        errors["status"] = f"申请当前状态为“{request.get_status_display()}”，请先登记补正或缴费"
    if (
        outcome not in errors
        and outcome == Outcome.UNAVAILABLE_UNCLEAR
        and (request.corrected_on is None)
    ):
        errors["outcome"] = "“补正后申请内容仍不明确”只适用于已补正的申请"
    text = (text or "").strip()
    if not text:
        errors["text"] = "请填写答复内容"
    if method not in ReplyMethod.values:
        errors["method"] = "请选择送达方式"
    if errors:
        raise ValidationError(errors)
    return text


def _conclude(
    request: InfoRequest,
    *,
    actor: Actor,
    on: date,
    outcome: str,
    text: str,
    legal_basis: str,
    referral: str,
    method: str,
    on_spot: bool,
    step: Any = None,
    carried: dict[str, Any] | None = None,
) -> None:
    """Close ``request`` with ``outcome``: end the clock stops, write the letter, the ledger
    row, the audit row (through ``step`` inside a transition) and tell the applicant.

    Long because it is one ordered sequence (state, letter, ledger, audit, message) that
    must stay together for the reply and for the lapse paths that share it."""
    before = request.reply_due_on
    _stops_end(request, on)
    # The due date in force when the request ended stays on the record (for overdue counts).
    if request.status in (RequestStatus.IN_PROGRESS, RequestStatus.CONSULTING):
        _refresh_due(request)
    request.status = RequestStatus.CLOSED if outcome in LAPSE_OUTCOMES else RequestStatus.REPLIED
    request.outcome = outcome
    request.concluded_on = on
    request.reply_text = text
    request.reply_legal_basis = legal_basis
    request.reply_referral = referral
    request.reply_method = method
    request.reply_on_spot = on_spot
    request.replied_by = actor_user(actor)
    _reply_letter_attach(request)
    request.save()
    lapsed: dict[str, EventKind] = {
        Outcome.OTHER_NO_CORRECTION: EventKind.CORRECTION_LAPSED,
        Outcome.OTHER_NO_FEE: EventKind.FEE_LAPSED,
    }
    kind = lapsed.get(outcome, EventKind.REPLIED)
    _event(
        request,
        kind=kind,
        on=on,
        actor=actor,
        note=f"{Outcome(outcome).label}：{text[:200]}",
        due_before=before,
        data={"outcome": outcome, "on_spot": on_spot, **(carried or {})},
    )
    if step is not None:
        _audit_step(
            step,
            "disclosure_request.reply",
            outcome=["", outcome],
            note=text[:200],
            **({"carried": carried} if carried else {}),
        )
    else:
        _audit(actor, "disclosure_request.reply", request, outcome=["", outcome], note=text[:200])
    _tell_applicant(
        request,
        event="request.replied",
        subject=f"{request_title(request)}已答复",
        body=(
            f"办理结果：{Outcome(outcome).label}。"
            "请凭申请编号和查询码查看并下载答复书。"
            "如对答复不服，可以自收到答复之日起60日内申请行政复议，或者6个月内提起行政诉讼。"
        ),
    )


def _stops_end(request: InfoRequest, on: date) -> None:
    """End the request's open clock stops at its conclusion."""
    for stop in request.stops.filter(ended_on__isnull=True):
        # A consultation ends with the reply; an unpaid fee's stop ends at its deadline.
        end = on if stop.kind == StopKind.CONSULTATION else min(on, stop.expected_end_on)
        stop.ended_on = max(end, stop.started_on)
        stop.save(update_fields=["ended_on"])


def _reply_letter_attach(request: InfoRequest) -> None:
    """Render the reply letter and attach it, with its hash, to the (unsaved) request."""
    from sanyi.disclosure_requests import letters

    pdf = letters.reply_letter_pdf(request)
    request.reply_letter_sha256 = hashlib.sha256(pdf).hexdigest()
    request.reply_letter.save(f"{request.number}.pdf", ContentFile(pdf), save=False)


def request_withdraw(
    *, actor: Actor, request: InfoRequest, reason: str = "", on: dt.date | None = None
) -> InfoRequest:
    """The applicant withdraws the request (recorded by staff, or by the applicant online);
    it is counted under 其他处理 → 其他."""
    on = _on(on)

    def officer_unless_applicant(locked_request: InfoRequest) -> None:
        if is_user(actor):
            _require_officer(actor, locked_request.agency)

    with _transition(
        request,
        actor=actor,
        allowed=[s for s in RequestStatus.values if s not in FINAL_STATUSES],
        refusal="申请已办结，不能撤回",
        check=officer_unless_applicant,
    ) as step:
        request = step.obj
        _not_before(on, request.submitted_on, "提交日期")
        _in_order(request, on)
        for stop in request.stops.filter(ended_on__isnull=True):
            stop.ended_on = max(on, stop.started_on)
            stop.save(update_fields=["ended_on"])
        request.status = RequestStatus.WITHDRAWN
        request.outcome = Outcome.OTHER
        request.concluded_on = on
        request.reply_text = f"申请人撤回申请。{(reason or '').strip()}".strip()
        request.save()
        _event(request, kind=EventKind.WITHDRAWN, on=on, actor=actor, note=reason or "")
        _audit_step(step, "disclosure_request.withdraw", note=reason or "")
        _tell_applicant(
            request,
            event="request.withdrawn",
            subject=f"{request_title(request)}已撤回",
            body="该申请已按撤回办结。",
        )
    return request
