"""Consultations (Art. 32, Art. 33 ¶3): the time needed to consult a third party or
another agency is not counted in the reply period.

A third party has 15 working days from the day it *received* the request for its opinion
(delivered by hand, by post with a tracking number, or electronically with a receipt);
the clock stops from the day the request was sent until the answer, and never longer than
those 15 days. Another agency has no statutory period: the clock stops until it answers.
One consultation runs at a time (the request's status is "征求意见中").
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from sanyi.core.actors import Actor
from sanyi.core.transitions import Step
from sanyi.disclosure_requests import clocks
from sanyi.disclosure_requests.choices import (
    EventKind,
    OpinionDelivery,
    RequestStatus,
    StopKind,
)
from sanyi.disclosure_requests.models import (
    ClockStop,
    InfoRequest,
)
from sanyi.disclosure_requests.services._common import (
    _audit_step,
    _event,
    _in_order,
    _known,
    _not_before,
    _on,
    _refresh_due,
    _tell_applicant,
    _today,
    _transition,
    request_title,
)


def _check_delivery(
    on: dt.date, delivered_on: dt.date | None, method: str, tracking_number: str
) -> dt.date:
    """The day the third party received the request; every problem at once."""
    errors: dict[str, str] = {}
    if method not in OpinionDelivery.values:
        errors["delivery_method"] = "请选择征求意见书的送达方式"
    elif method == OpinionDelivery.POST and not tracking_number:
        errors["tracking_number"] = "邮寄送达的，请填写邮件单号"
    received = delivered_on or on
    if received < on:
        errors["delivered_on"] = f"第三方收到日期不能早于发出日期（{on.isoformat()}）"
    elif received > _today():
        errors["delivered_on"] = "第三方收到日期不能晚于今天；收到后再登记"
    if errors:
        raise ValidationError(errors)
    return received


def request_consultation_start(
    *,
    actor: Actor,
    request: InfoRequest,
    party: str,
    note: str = "",
    on: dt.date | None = None,
    delivery_method: str = OpinionDelivery.BY_HAND,
    delivered_on: dt.date | None = None,
    tracking_number: str = "",
) -> ClockStop:
    """Ask a third party for its opinion (sent ``on``, received ``delivered_on``, by
    ``delivery_method``): it has 15 working days from receipt, which are not counted."""
    on = _on(on)
    party = (party or "").strip()
    tracking_number = (tracking_number or "").strip()
    with _transition(
        request, actor=actor, allowed=(RequestStatus.IN_PROGRESS,), doing="征求第三方意见"
    ) as step:
        request = step.obj
        _check_open_clock(request, on)
        if not party:
            raise ValidationError({"party": "请填写第三方名称"})
        received = _check_delivery(on, delivered_on, delivery_method, tracking_number)
        expected = clocks.add_workdays_from(received, clocks.CONSULTATION_DAYS, roll=False)
        stop = ClockStop.objects.create(
            request=request,
            kind=StopKind.CONSULTATION,
            started_on=on,
            expected_end_on=expected,
            party=party,
            note=note,
            delivery_method=delivery_method,
            tracking_number=tracking_number,
            delivered_on=received,
        )
        how = OpinionDelivery(delivery_method).label
        if tracking_number:
            how += f"，单号{tracking_number}"
        _stop_begins(
            step,
            stop,
            EventKind.CONSULTATION_STARTED,
            f"第三方：{party}；{how}，{received.isoformat()}收到；"
            f"第三方答复期限{expected.isoformat()}",
        )
    return stop


def request_agency_consultation_start(
    *, actor: Actor, request: InfoRequest, agency: str, question: str, on: dt.date | None = None
) -> ClockStop:
    """Ask another agency for its opinion (Art. 33 ¶3): the time until it answers is not
    counted."""
    on = _on(on)
    agency = (agency or "").strip()
    question = (question or "").strip()
    with _transition(
        request, actor=actor, allowed=(RequestStatus.IN_PROGRESS,), doing="征求其他机关意见"
    ) as step:
        request = step.obj
        _check_open_clock(request, on)
        errors = {}
        if not agency:
            errors["agency"] = "请填写被征求意见的机关名称"
        if not question:
            errors["question"] = "请填写征求意见的事项"
        if errors:
            raise ValidationError(errors)
        expected = clocks.add_workdays_from(on, clocks.agency_consultation_days(), roll=False)
        stop = ClockStop.objects.create(
            request=request,
            kind=StopKind.AGENCY,
            started_on=on,
            expected_end_on=expected,
            party=agency,
            note=question,
        )
        _stop_begins(
            step, stop, EventKind.AGENCY_CONSULT_STARTED, f"征求{agency}意见：{question[:200]}"
        )
    return stop


def _check_open_clock(request: InfoRequest, on: dt.date) -> None:
    _not_before(on, request.clock_start_on, "答复期限起算日")
    _in_order(request, on)
    if on > _known(request.reply_due_on, "reply due date"):
        raise ValidationError({"on": "答复期限已过，不能再征求意见"})


def _stop_begins(step: Step[InfoRequest], stop: ClockStop, kind: str, note: str) -> None:
    """The request waits for the opinion: status, due date, ledger, audit, the applicant."""
    request = step.obj
    before = request.reply_due_on
    request.status = RequestStatus.CONSULTING
    _refresh_due(request)
    request.save()
    _event(
        request,
        kind=kind,
        on=stop.started_on,
        actor=step.actor,
        note=note,
        due_before=before,
        data={"stop": stop.pk},
    )
    action = (
        "disclosure_request.consultation_start"
        if stop.kind == StopKind.CONSULTATION
        else "disclosure_request.agency_consultation_start"
    )
    _audit_step(step, action, party=stop.party)
    who = "第三方" if stop.kind == StopKind.CONSULTATION else "其他机关"
    _tell_applicant(
        request,
        event="request.consultation",
        subject=f"{request_title(request)}正在征求{who}意见",
        body=(
            f"依照条例第三十三条第三款，征求{who}意见所需时间不计算在答复期限内。"
            f"目前答复期限为{_known(request.reply_due_on, 'reply due date').isoformat()}。"
        ),
    )


def request_consultation_end(
    *, actor: Actor, request: InfoRequest, note: str = "", on: dt.date | None = None
) -> ClockStop:
    """The third party answered (or its time ran out): the clock runs again."""
    return _consultation_end(
        actor=actor, request=request, kind=StopKind.CONSULTATION, answer=note, on=on
    )


def request_agency_consultation_end(
    *, actor: Actor, request: InfoRequest, answer: str, on: dt.date | None = None
) -> ClockStop:
    """The other agency answered: the clock runs again."""
    if not (answer or "").strip():
        raise ValidationError({"answer": "请填写其他机关的答复意见"})
    return _consultation_end(
        actor=actor, request=request, kind=StopKind.AGENCY, answer=answer, on=on
    )


def _consultation_end(
    *, actor: Actor, request: InfoRequest, kind: str, answer: str, on: dt.date | None
) -> ClockStop:
    on = _on(on)
    answer = (answer or "").strip()
    with _transition(
        request, actor=actor, allowed=(RequestStatus.CONSULTING,), doing="结束征求意见"
    ) as step:
        request = step.obj
        stop = request.stops.filter(kind=kind, ended_on__isnull=True).last()
        if stop is None:
            raise ValidationError({"on": f"这件申请没有正在进行的“{StopKind(kind).label}”"})
        _not_before(on, stop.started_on, "开始征求意见日期")
        _in_order(request, on)
        stop.ended_on = on
        stop.answer = answer
        stop.save(update_fields=["ended_on", "answer"])
        before = request.reply_due_on
        request.status = RequestStatus.IN_PROGRESS
        _refresh_due(request)
        request.save()
        third = kind == StopKind.CONSULTATION
        _event(
            request,
            kind=EventKind.CONSULTATION_ENDED if third else EventKind.AGENCY_CONSULT_ENDED,
            on=on,
            actor=actor,
            note=answer,
            due_before=before,
            data={"stop": stop.pk},
        )
        action = "consultation_end" if third else "agency_consultation_end"
        _audit_step(step, f"disclosure_request.{action}", note=answer[:200])
    return stop
