"""Fees (Art. 42, 国办函〔2020〕109号): one fee notice, and the payment."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from sanyi.core.actors import Actor
from sanyi.disclosure_requests import clocks, fees
from sanyi.disclosure_requests.choices import (
    EventKind,
    FeeMethod,
    NoticeKind,
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
    _issue_notice,
    _known,
    _not_before,
    _on,
    _refresh_due,
    _tell_applicant,
    _transition,
    request_title,
)


def monthly_ordinal(request: InfoRequest) -> int:
    """Which application of the month this is, for the applicant at this agency (按件计收)."""
    received = _known(request.received_on, "date of receipt")
    earlier = InfoRequest.objects.filter(
        applicant_id=request.applicant_id,
        agency_id=request.agency_id,
        received_on__year=received.year,
        received_on__month=received.month,
    ).filter(received_on__lt=received) | InfoRequest.objects.filter(
        applicant_id=request.applicant_id,
        agency_id=request.agency_id,
        received_on=received,
        pk__lt=request.pk,
    )
    return earlier.count() + 1


def request_fee_notice(
    *,
    actor: Actor,
    request: InfoRequest,
    method: str,
    pages: int = 0,
    due_on: dt.date | None = None,
    on: dt.date | None = None,
) -> InfoRequest:
    """A fee notice by one method; the time until payment is not counted. Unpaid by the
    deadline (default 20 working days), the request closes as OTHER_NO_FEE."""
    on = _on(on)
    with _transition(
        request,
        actor=actor,
        allowed=(RequestStatus.IN_PROGRESS,),
        doing="发出收费通知",
    ) as step:
        request = step.obj
        units, amount, due_on = _fee_terms(
            request, method=method, pages=pages, due_on=due_on, on=on
        )
        ClockStop.objects.create(
            request=request, kind=StopKind.FEE, started_on=on, expected_end_on=due_on
        )
        before = request.reply_due_on
        request.fee_method = method
        request.fee_units = units
        request.fee_amount = amount
        request.fee_notice_on = on
        request.fee_due_on = due_on
        request.status = RequestStatus.AWAITING_FEE
        _refresh_due(request)
        request.save()
        text = fees.describe(method, units)
        _event(
            request,
            kind=EventKind.FEE_NOTICE,
            on=on,
            actor=actor,
            note=text,
            due_before=before,
            data={"method": method, "units": units, "amount": amount},
        )
        _issue_notice(request, NoticeKind.FEE, on)
        _audit_step(step, "disclosure_request.fee_notice", fee_amount=[0, amount])
        _tell_applicant(
            request,
            event="request.fee_notice",
            subject=f"{request_title(request)}需要缴纳信息处理费{amount}元",
            body=(
                f"{text}\n请在{due_on.isoformat()}前缴纳；逾期未缴纳的，本机关不再处理该申请。"
                "收费通知至缴费期间不计算在答复期限内。"
            ),
        )
    return request


def _fee_terms(
    request: InfoRequest, *, method: str, pages: int, due_on: dt.date | None, on: dt.date
) -> tuple[int, int, dt.date]:
    """Units, amount and payment deadline of the one fee notice a request may get."""
    if request.fee_method:
        raise ValidationError({"method": "一件申请只能发一次收费通知，且只能选一种计收方式"})
    if method == FeeMethod.PER_ITEM:
        units = monthly_ordinal(request)
        amount = fees.per_item_fee(units)
    elif method == FeeMethod.PER_PAGE:
        if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
            raise ValidationError({"pages": "请填写提供信息的页数（含折算页数）"})
        units = pages
        amount = fees.per_page_fee(pages)
    else:
        raise ValidationError({"method": "请选择按件计收或按量计收"})
    if amount == 0:
        raise ValidationError({"method": f"按此方式不收费：{fees.describe(method, units)}"})
    _not_before(on, request.clock_start_on, "答复期限起算日")
    _in_order(request, on)
    if on > _known(request.reply_due_on, "reply due date"):
        raise ValidationError({"on": "收费通知应在答复期限内发出"})
    if due_on is None:
        due_on = clocks.add_workdays_from(on, clocks.fee_days(), roll=False)
    if due_on <= on:
        raise ValidationError({"due_on": "缴费期限应晚于通知日期"})
    return units, amount, due_on


def request_fee_paid(
    *, actor: Actor, request: InfoRequest, on: dt.date | None = None
) -> InfoRequest:
    on = _on(on)
    with _transition(
        request,
        actor=actor,
        allowed=(RequestStatus.AWAITING_FEE,),
        doing="登记缴费",
    ) as step:
        request = step.obj
        _not_before(on, request.fee_notice_on, "收费通知日期")
        _in_order(request, on)
        if on > _known(request.fee_due_on, "payment deadline"):
            raise ValidationError({"on": "已超过缴费期限"})
        stop = _known(
            request.stops.filter(kind=StopKind.FEE, ended_on__isnull=True).last(), "open fee stop"
        )
        stop.ended_on = on
        stop.save(update_fields=["ended_on"])
        before = request.reply_due_on
        request.fee_paid_on = on
        request.status = RequestStatus.IN_PROGRESS
        _refresh_due(request)
        request.save()
        _event(request, kind=EventKind.FEE_PAID, on=on, actor=actor, due_before=before)
        _audit_step(step, "disclosure_request.fee_paid", fee_paid_on=[None, on])
    return request
