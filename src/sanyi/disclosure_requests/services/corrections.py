"""Correction (Art. 30): one consolidated notice, and the corrected application."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from sanyi.core.actors import Actor, is_user
from sanyi.disclosure_requests import clocks
from sanyi.disclosure_requests.choices import (
    EventKind,
    NoticeKind,
    RequestStatus,
)
from sanyi.disclosure_requests.models import (
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
    _require_officer,
    _staff_link,
    _tell_applicant,
    _transition,
    request_title,
)
from sanyi.notify.services import notify_staff
from sanyi.orgs.models import Role


def request_correction_notice(
    *,
    actor: Actor,
    request: InfoRequest,
    what: str,
    due_on: dt.date | None = None,
    on: dt.date | None = None,
) -> InfoRequest:
    """One consolidated correction notice, within 7 working days of receipt. The applicant
    gets ``due_on`` (default: 15 working days, setting SANYI_REQUEST_CORRECTION_DAYS)."""
    on = _on(on)

    def officer_once(locked_request: InfoRequest) -> None:
        # "Only once" is told before the status: a second notice finds the request waiting.
        _require_officer(actor, locked_request.agency)
        _notice_only_once(locked_request)

    with _transition(
        request,
        actor=actor,
        allowed=(RequestStatus.IN_PROGRESS,),
        doing="发出补正通知",
        check=officer_once,
    ) as step:
        request = step.obj
        what, due_on = _check_correction_notice(request, on=on, what=what, due_on=due_on)
        before = request.reply_due_on
        request.correction_notice_on = on
        request.correction_request = what
        request.correction_due_on = due_on
        request.status = RequestStatus.AWAITING_CORRECTION
        _refresh_due(request)
        request.save()
        _event(
            request,
            kind=EventKind.CORRECTION_NOTICE,
            on=on,
            actor=actor,
            note=what,
            due_before=before,
            data={"correction_due_on": due_on.isoformat()},
        )
        _issue_notice(request, NoticeKind.CORRECTION, on)
        _audit_step(step, "disclosure_request.correction_notice", note=what)
        _tell_applicant(
            request,
            event="request.correction_needed",
            subject=f"{request_title(request)}需要补正",
            body=(
                f"需要补正的事项：{what}\n请在{due_on.isoformat()}前补正。"
                "答复期限自收到补正后的申请之日起重新计算；"
                "无正当理由逾期不补正的，视为放弃申请。"
            ),
        )
    return request


def _notice_only_once(request: InfoRequest) -> None:
    if request.correction_notice_on is not None:
        raise ValidationError(
            {"on": "补正通知只能发一次（条例第三十条：一次性告知需要补正的事项）"}
        )


def _check_correction_notice(
    request: InfoRequest, *, on: dt.date, what: str, due_on: dt.date | None
) -> tuple[str, dt.date]:
    """What is asked and by when, once the notice is allowed on ``on`` (Art. 30: within
    7 working days of receipt, before any stop or extension)."""
    if request.stops.exists() or request.extension_days:
        raise ValidationError({"on": "已征求第三方意见、收费或延期的申请不能再要求补正"})
    _not_before(on, request.received_on, "收到申请日期")
    _in_order(request, on)
    limit = clocks.add_workdays_from(
        _known(request.received_on, "date of receipt"), clocks.CORRECTION_NOTICE_DAYS
    )
    if on > limit:
        raise ValidationError(
            {
                "on": (
                    f"补正通知应在收到申请之日起7个工作日内发出（最迟{limit.isoformat()}），"
                    "已超过期限，请直接答复"
                )
            }
        )
    what = (what or "").strip()
    if not what:
        raise ValidationError({"what": "请一次性写明需要补正的事项和要求"})
    if due_on is None:
        due_on = clocks.add_workdays_from(on, clocks.correction_days(), roll=False)
    if due_on <= on:
        raise ValidationError({"due_on": "补正期限应晚于通知日期"})
    return what, due_on


def request_correction_received(
    *,
    actor: Actor,
    request: InfoRequest,
    on: dt.date | None = None,
    note: str = "",
    description: str = "",
) -> InfoRequest:
    """The corrected application arrived: the reply clock starts again from this day.
    After the applicant's deadline this needs a good reason in ``note``. ``description``,
    when given, replaces what is asked (the earlier text stays in the record).

    Long because it tells two audiences in one transaction: the officers (when the
    applicant corrected online) and the applicant, each with the new due date."""
    on = _on(on)
    with _transition(
        request,
        actor=actor,
        allowed=(RequestStatus.AWAITING_CORRECTION,),
        doing="登记补正",
    ) as step:
        request = step.obj
        _not_before(on, request.correction_notice_on, "补正通知日期")
        _in_order(request, on)
        if on > _known(request.correction_due_on, "correction deadline") and not note.strip():
            raise ValidationError(
                {"note": "已超过补正期限，请写明申请人逾期的正当理由，或等待系统按放弃申请处理"}
            )
        before = request.reply_due_on
        data = {}
        description = (description or "").strip()
        if description and description != request.description:
            if len(description) > 5000:
                raise ValidationError({"description": "所需信息的描述不能超过5000字"})
            data["description_before"] = request.description
            request.description = description
        request.corrected_on = on
        request.clock_start_on = on
        request.status = RequestStatus.IN_PROGRESS
        _refresh_due(request)
        request.save()
        due = _known(request.reply_due_on, "reply due date")
        _event(
            request,
            kind=EventKind.CORRECTION_RECEIVED,
            on=on,
            actor=actor,
            note=note,
            due_before=before,
            data=data,
        )
        if not is_user(actor):
            notify_staff(
                event="request.corrected",
                subject=f"申请人已补正政府信息公开申请 {request.number}",
                body=f"答复期限重新计算，现为{due.isoformat()}。",
                link=_staff_link(request),
                obj=request,
                users=[request.assigned_to] if request.assigned_to else None,
                unit=request.agency,
                roles=[Role.DISCLOSURE_OFFICER],
                dedupe_key=f"request:{request.pk}:corrected",
            )
        _audit_step(step, "disclosure_request.correction_received", corrected_on=[None, on])
        _tell_applicant(
            request,
            event="request.corrected",
            subject=f"{request_title(request)}的补正已收到",
            body=f"答复期限重新计算，现为{due.isoformat()}。",
        )
    return request
