"""Consultation of a third party (Art. 32): the days it takes are not counted."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from sanyi.core.actors import Actor
from sanyi.disclosure_requests import clocks
from sanyi.disclosure_requests.choices import (
    EventKind,
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
    _transition,
    request_title,
)


def request_consultation_start(
    *, actor: Actor, request: InfoRequest, party: str, note: str = "", on: dt.date | None = None
) -> ClockStop:
    """Ask a third party for its opinion: it has 15 working days, which are not counted."""
    on = _on(on)
    with _transition(
        request,
        actor=actor,
        allowed=(RequestStatus.IN_PROGRESS,),
        doing="征求第三方意见",
    ) as step:
        request = step.obj
        _not_before(on, request.clock_start_on, "答复期限起算日")
        _in_order(request, on)
        if on > _known(request.reply_due_on, "reply due date"):
            raise ValidationError({"on": "答复期限已过，不能再征求第三方意见"})
        party = (party or "").strip()
        if not party:
            raise ValidationError({"party": "请填写第三方名称"})
        expected = clocks.add_workdays_from(on, clocks.CONSULTATION_DAYS, roll=False)
        stop = ClockStop.objects.create(
            request=request,
            kind=StopKind.CONSULTATION,
            started_on=on,
            expected_end_on=expected,
            party=party,
            note=note,
        )
        before = request.reply_due_on
        request.status = RequestStatus.CONSULTING
        _refresh_due(request)
        request.save()
        _event(
            request,
            kind=EventKind.CONSULTATION_STARTED,
            on=on,
            actor=actor,
            note=f"第三方：{party}；第三方答复期限{expected.isoformat()}",
            due_before=before,
            data={"stop": stop.pk},
        )
        _audit_step(step, "disclosure_request.consultation_start", party=party)
        _tell_applicant(
            request,
            event="request.consultation",
            subject=f"{request_title(request)}正在征求第三方意见",
            body=(
                "依照条例第三十二条，征求第三方意见所需时间不计算在答复期限内。"
                f"目前答复期限为{_known(request.reply_due_on, 'reply due date').isoformat()}。"
            ),
        )
    return stop


def request_consultation_end(
    *, actor: Actor, request: InfoRequest, note: str = "", on: dt.date | None = None
) -> ClockStop:
    """The third party answered (or its time ran out): the clock runs again."""
    on = _on(on)
    with _transition(
        request,
        actor=actor,
        allowed=(RequestStatus.CONSULTING,),
        doing="结束征求意见",
    ) as step:
        request = step.obj
        stop = _known(
            request.stops.filter(kind=StopKind.CONSULTATION, ended_on__isnull=True).last(),
            "open consultation",
        )
        _not_before(on, stop.started_on, "开始征求意见日期")
        _in_order(request, on)
        stop.ended_on = on
        if note:
            stop.note = f"{stop.note}\n{note}".strip()
        stop.save(update_fields=["ended_on", "note"])
        before = request.reply_due_on
        request.status = RequestStatus.IN_PROGRESS
        _refresh_due(request)
        request.save()
        _event(
            request,
            kind=EventKind.CONSULTATION_ENDED,
            on=on,
            actor=actor,
            note=note,
            due_before=before,
            data={"stop": stop.pk},
        )
        _audit_step(step, "disclosure_request.consultation_end", note=note)
    return stop
