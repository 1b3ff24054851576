"""Deadlines of requests: extension (Art. 33), lapsed corrections and fees, and
recomputation after a calendar change; the warnings are in ``warnings``. (Named apart from
``sanyi.disclosure_requests.clocks``, the pure deadline arithmetic this module calls.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sanyi.core.actors import Actor, actor_label, is_user
from sanyi.disclosure_requests import clocks
from sanyi.disclosure_requests.choices import (
    EventKind,
    NoticeKind,
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
    SYSTEM_TASK,
    _audit,
    _audit_step,
    _event,
    _in_order,
    _issue_notice,
    _known,
    _locked,
    _not_before,
    _on,
    _refresh_due,
    _tell_applicant,
    _today,
    _transition,
    request_title,
)
from sanyi.disclosure_requests.services.replies import _conclude
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import has_role

if TYPE_CHECKING:
    from sanyi.orgs.models import User


def request_extend(
    *,
    actor: Actor,
    request: InfoRequest,
    days: int,
    reason: str,
    approver: User,
    on: dt.date | None = None,
) -> InfoRequest:
    """Extend the reply period once, by at most 20 working days, approved by another
    officer (disclosure officer or approver in scope), with a notice to the applicant."""
    on = _on(on)
    with _transition(
        request,
        actor=actor,
        allowed=(RequestStatus.IN_PROGRESS, RequestStatus.CONSULTING),
        doing="延长答复期限",
    ) as step:
        request = step.obj
        _check_extension(request, actor=actor, days=days, reason=reason, approver=approver, on=on)
        before = request.reply_due_on
        request.extended_on = on
        request.extension_days = days
        request.extension_reason = reason.strip()
        request.extension_approver = approver
        _refresh_due(request)
        request.save()
        _event(
            request,
            kind=EventKind.EXTENDED,
            on=on,
            actor=actor,
            note=f"延长{days}个工作日；批准人：{actor_label(approver)}；理由：{reason.strip()}",
            due_before=before,
            data={"days": days, "approver": approver.pk},
        )
        _issue_notice(request, NoticeKind.EXTENSION, on)
        _audit_step(
            step,
            "disclosure_request.extend",
            reply_due_on=[before, request.reply_due_on],
            approver=approver.pk,
        )
        _tell_applicant(
            request,
            event="request.extended",
            subject=f"{request_title(request)}答复期限已延长",
            body=(
                f"因{reason.strip()}，经批准，答复期限延长{days}个工作日，"
                f"至{_known(request.reply_due_on, 'reply due date').isoformat()}"
                f"{'（暂定）' if request.due_provisional else ''}。"
            ),
        )
    return request


# Lapses (background) ----------------------------------------------------------------------


def _check_extension(
    request: InfoRequest, *, actor: Actor, days: int, reason: str, approver: User, on: date
) -> None:
    """Once, 1–20 working days, with a reason, approved by another officer, in time."""
    if request.extension_days:
        raise ValidationError({"days": "答复期限只能延长一次"})
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 20:
        raise ValidationError({"days": "延长的期限应为1至20个工作日"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明延期理由"})
    if approver is None:
        raise ValidationError({"approver": "延期须经批准，请选择批准人"})
    if is_user(actor) and approver.pk == actor.pk:
        raise ValidationError({"approver": "批准人不能是经办人本人"})
    if not has_role(approver, (Role.DISCLOSURE_OFFICER, Role.APPROVER), request.agency):
        raise ValidationError({"approver": "批准人应为该机关的政务公开专员或审批负责人"})
    _not_before(on, request.clock_start_on, "答复期限起算日")
    _in_order(request, on)
    if on > _known(request.reply_due_on, "reply due date"):
        raise ValidationError({"on": "延期应在答复期限届满前决定，答复期限已过"})


def requests_close_lapsed(*, today: dt.date | None = None, actor: Actor = SYSTEM_TASK) -> int:
    """Close requests whose correction or payment deadline has passed (Art. 30; 109号)."""
    today = today or _today()
    closed = 0
    lapsed = InfoRequest.objects.filter(
        status=RequestStatus.AWAITING_CORRECTION, correction_due_on__lt=today
    ).values_list("pk", flat=True)
    for pk in list(lapsed):
        with transaction.atomic():
            request = _locked(InfoRequest(pk=pk))
            if request.status != RequestStatus.AWAITING_CORRECTION:
                continue
            due = _known(request.correction_due_on, "correction deadline")
            notice_on = _known(request.correction_notice_on, "correction notice date")
            on = due + dt.timedelta(days=1)
            _conclude(
                request,
                actor=actor,
                on=on,
                outcome=Outcome.OTHER_NO_CORRECTION,
                text=(
                    f"本机关已于{notice_on.isoformat()}告知您补正申请，"
                    f"您未在补正期限（{due.isoformat()}）内补正，"
                    "视为放弃申请，本机关不再处理该政府信息公开申请。"
                ),
                legal_basis=DEFAULT_BASIS[Outcome.OTHER_NO_CORRECTION],
                referral="",
                method=ReplyMethod.ONLINE,
                on_spot=False,
            )
            closed += 1
    unpaid = InfoRequest.objects.filter(
        status=RequestStatus.AWAITING_FEE, fee_due_on__lt=today
    ).values_list("pk", flat=True)
    for pk in list(unpaid):
        with transaction.atomic():
            request = _locked(InfoRequest(pk=pk))
            if request.status != RequestStatus.AWAITING_FEE:
                continue
            due = _known(request.fee_due_on, "payment deadline")
            notice_on = _known(request.fee_notice_on, "fee notice date")
            on = due + dt.timedelta(days=1)
            _conclude(
                request,
                actor=actor,
                on=on,
                outcome=Outcome.OTHER_NO_FEE,
                text=(
                    f"本机关已于{notice_on.isoformat()}向您发出收费通知，"
                    f"您未在缴费期限（{due.isoformat()}）内缴纳信息处理费，"
                    "本机关不再处理该政府信息公开申请。"
                ),
                legal_basis=DEFAULT_BASIS[Outcome.OTHER_NO_FEE],
                referral="",
                method=ReplyMethod.ONLINE,
                on_spot=False,
            )
            closed += 1
    return closed


# Recompute (calendar change) --------------------------------------------------------------


def request_recompute(
    *, request: InfoRequest, actor: Actor, reason: str = "", change: Any = None
) -> bool:
    """Recompute the due date from the ledger; record it when it moved. True if it moved."""
    with transaction.atomic():
        request = _locked(request)
        if not request.is_open:
            return False
        before, before_prov = request.reply_due_on, request.due_provisional
        for stop in request.stops.filter(kind=StopKind.CONSULTATION, ended_on__isnull=True):
            # The third party's 15 working days move with the calendar too.
            end = clocks.add_workdays_from(stop.started_on, clocks.CONSULTATION_DAYS, roll=False)
            if end != stop.expected_end_on:
                stop.expected_end_on = end
                stop.save(update_fields=["expected_end_on"])
        _refresh_due(request)
        if (request.reply_due_on, request.due_provisional) == (before, before_prov):
            return False
        request.save(update_fields=["reply_due_on", "due_provisional", "updated_at"])
        note = reason or "工作日历调整"
        _event(
            request,
            kind=EventKind.RECOMPUTED,
            on=_today(),
            actor=actor,
            note=note,
            due_before=before,
            data={
                "calendar_change": getattr(change, "pk", None),
                "provisional": [before_prov, request.due_provisional],
            },
        )
        _audit(
            actor,
            "disclosure_request.recompute",
            request,
            note=note,
            reply_due_on=[before, request.reply_due_on],
            due_provisional=[before_prov, request.due_provisional],
        )
        if request.reply_due_on is not None and request.reply_due_on != before:
            _tell_applicant(
                request,
                event="request.due_changed",
                subject=f"{request_title(request)}答复期限已调整",
                body=(
                    f"因法定节假日安排调整，答复期限由{before}调整为"
                    f"{request.reply_due_on.isoformat()}"
                    f"{'（暂定）' if request.due_provisional else ''}。"
                ),
            )
    return True


def requests_recompute_open(
    *, years: Iterable[int] | None = None, actor: Actor = SYSTEM_TASK, change: Any = None
) -> int:
    """Recompute every open request whose clock may touch one of ``years``."""
    qs = InfoRequest.objects.filter(
        status__in=(
            RequestStatus.IN_PROGRESS,
            RequestStatus.CONSULTING,
            RequestStatus.AWAITING_FEE,
        ),
        clock_start_on__isnull=False,
    )
    if years:
        qs = qs.filter(clock_start_on__year__lte=max(years))
    reason = "工作日历调整"
    if years:
        reason += "（{}年）".format("、".join(str(y) for y in sorted(years)))
    moved = 0
    for pk in qs.values_list("pk", flat=True):
        if request_recompute(request=InfoRequest(pk=pk), actor=actor, reason=reason, change=change):
            moved += 1
    return moved
