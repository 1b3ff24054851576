"""Steps every stage of a request shares: the lock-and-check transition, the ledger row,
notices, due dates and the applicant's notifications."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor, actor_label, actor_user, is_user
from sanyi.core.transitions import Step, business_day, locked, transition
from sanyi.disclosure_requests import clocks
from sanyi.disclosure_requests.choices import (
    EventKind,
    Outcome,
)
from sanyi.disclosure_requests.models import (
    InfoRequest,
    RequestEvent,
    RequestNotice,
)
from sanyi.notify.services import notify_applicant
from sanyi.orgs.models import OrgKind, OrgUnit, Role
from sanyi.orgs.permissions import has_role

# Kinds of org unit that are administrative agencies able to answer a request.
AGENCY_KINDS = {OrgKind.DISTRICT, OrgKind.DEPARTMENT, OrgKind.SUBDISTRICT, OrgKind.STATION}
SYSTEM_TASK = "系统：定时任务"
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8

REG = "《中华人民共和国政府信息公开条例》"
# The legal basis each reply cites unless the officer writes a more precise one.
DEFAULT_BASIS: dict[str, str] = {
    Outcome.DISCLOSE: REG + "第三十六条第（二）项",
    Outcome.PARTIAL: REG + "第三十七条",
    Outcome.WITHHOLD_STATE_SECRET: REG + "第十四条、第三十六条第（三）项",
    Outcome.WITHHOLD_LAW: REG + "第十四条、第三十六条第（三）项",
    Outcome.WITHHOLD_SECURITY: REG + "第十四条、第三十六条第（三）项",
    Outcome.WITHHOLD_THIRD_PARTY: REG + "第十五条、第三十二条、第三十六条第（三）项",
    Outcome.WITHHOLD_INTERNAL: REG + "第十六条第一款、第三十六条第（三）项",
    Outcome.WITHHOLD_PROCESS: REG + "第十六条第二款、第三十六条第（三）项",
    Outcome.WITHHOLD_ENFORCEMENT: REG + "第十六条第二款、第三十六条第（三）项",
    Outcome.WITHHOLD_INQUIRY: REG + "第三十六条第（七）项",
    Outcome.UNAVAILABLE_NOT_HELD: REG + "第三十六条第（四）项、第（五）项",
    Outcome.UNAVAILABLE_NEEDS_CREATION: REG + "第三十八条",
    Outcome.UNAVAILABLE_UNCLEAR: REG + "第三十条、第二十九条第二款",
    Outcome.NOT_PROCESSED_PETITION: REG + "第三十九条第一款",
    Outcome.NOT_PROCESSED_REPEAT: REG + "第三十六条第（六）项",
    Outcome.NOT_PROCESSED_PUBLICATION: REG + "第三十九条第二款",
    Outcome.NOT_PROCESSED_EXCESSIVE: REG + "第三十五条",
    Outcome.NOT_PROCESSED_CONFIRMATION: REG + "第三十九条第二款",
    Outcome.OTHER_NO_CORRECTION: REG + "第三十条",
    Outcome.OTHER_NO_FEE: REG + "第四十二条，国办函〔2020〕109号",
    Outcome.OTHER: REG,
}  # fmt: skip
WITHHOLD_OUTCOMES = {o for o in Outcome.values if o.startswith("withhold_")}
LAPSE_OUTCOMES = {Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_NO_FEE}


# Helpers -----------------------------------------------------------------------------------


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _on(on: dt.date | None, field: str = "on") -> dt.date:
    """The day an action happened: today by default, never in the future."""
    return business_day(on, field=field)


def _require_officer(
    actor: Actor, agency: OrgUnit, *, roles: Iterable[str] = (Role.DISCLOSURE_OFFICER,)
) -> None:
    if not is_user(actor):
        return
    if not has_role(actor, roles, agency):
        raise PermissionDenied(f"您不是“{agency.name}”的政务公开专员，不能办理此申请")


def _locked(request: InfoRequest) -> InfoRequest:
    return locked(InfoRequest, request.pk, related=("agency", "applicant"))


def _refusal(doing: str) -> Callable[[InfoRequest], str]:
    return lambda request: f"申请当前状态为“{request.get_status_display()}”，不能{doing}"


@contextmanager
def _transition(
    request: InfoRequest,
    *,
    actor: Actor,
    allowed: Collection[str],
    doing: str = "",
    refusal: str | None = None,
    check: Callable[[InfoRequest], None] | None = None,
) -> Iterator[Step[InfoRequest]]:
    """Lock the request, check the officer (or ``check``), then its status; the body
    changes it, writes the ledger row and ``step.audit(...)`` (sanyi.core.transitions)."""

    def officer(locked_request: InfoRequest) -> None:
        _require_officer(actor, locked_request.agency)

    with transition(
        InfoRequest,
        request.pk,
        actor=actor,
        allowed=allowed,
        refusal=refusal or _refusal(doing),
        related=("agency", "applicant"),
        check=check or officer,
    ) as step:
        yield step


T = TypeVar("T")


def _known(value: T | None, what: str) -> T:
    """A value the request's status guarantees (a running clock has a reply due date, a
    request awaiting correction a correction deadline, an open stop its row)."""
    if value is None:
        raise ValueError(f"the request has no {what} in its current status")
    return value


def _not_before(on: dt.date, earlier: dt.date | None, what: str, field: str = "on") -> None:
    if earlier is not None and on < earlier:
        raise ValidationError({field: f"日期不能早于{what}（{earlier.isoformat()}）"})


# Ledger rows that do not move the handling on: they may be dated later than a late entry.
_SIDE_EVENTS = (
    EventKind.WARNED,
    EventKind.RECOMPUTED,
    EventKind.ASSIGNED,
    EventKind.APPEAL_FILED,
    EventKind.APPEAL_CONCLUDED,
)


def _in_order(request: InfoRequest, on: dt.date) -> None:
    """Steps are entered in the order they happened: not before the last step recorded."""
    last = (
        request.events.exclude(kind__in=_SIDE_EVENTS)
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )
    if last is not None and on < last:
        raise ValidationError({"on": f"日期不能早于上一步办理日期（{last.isoformat()}）"})


def _event(
    request: InfoRequest,
    *,
    kind: str,
    on: date,
    actor: Actor,
    note: str = "",
    due_before: date | None = None,
    data: dict[str, Any] | None = None,
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        on=on,
        actor=actor_user(actor),
        actor_label=actor_label(actor)[:100],
        note=note,
        due_before=due_before,
        due_after=request.reply_due_on,
        data=data or {},
    )


def _issue_notice(request: InfoRequest, kind: str, on: dt.date) -> RequestNotice:
    """Write the notice PDF for the applicant and keep it with the request."""
    from sanyi.disclosure_requests import letters

    pdf = letters.notice_pdf(request, kind, on)
    notice = RequestNotice(
        request=request, kind=kind, issued_on=on, sha256=hashlib.sha256(pdf).hexdigest()
    )
    notice.file.save(f"{request.number}-{kind}.pdf", ContentFile(pdf), save=False)
    notice.save()
    return notice


def _refresh_due(request: InfoRequest) -> None:
    deadline = clocks.compute_due(request)
    request.reply_due_on = deadline.date if deadline else None
    request.due_provisional = bool(deadline and deadline.provisional)


def _link(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _track_link() -> str:
    return _link("disclosure_requests:track")


def _staff_link(request: InfoRequest) -> str:
    return _link("workbench:disclosure_requests:detail", request.pk)


def request_title(request: InfoRequest) -> str:
    """The request as the applicant's messages name it:
    "政府信息公开申请（编号 GK2026-0003-00012）"."""
    return f"政府信息公开申请（编号 {request.number}）"


def _tell_applicant(request: InfoRequest, *, event: str, subject: str, body: str) -> None:
    # Deliveries go to the contact written on the request, not to the profile on file:
    # whoever made the request hears about it, and nothing on the request changes where
    # the applicant's other messages go.
    notify_applicant(
        applicant=request.applicant,
        email=request.contact_email,
        phone=request.contact_phone,
        event=event,
        subject=subject,
        body=body,
        link=_track_link(),
        obj=request,
        dedupe_key=f"request:{request.pk}:{event}:{request.status}:{request.reply_due_on}",
    )


def _audit(actor: Actor, action: str, request: InfoRequest, note: str = "", **changes: Any) -> None:
    audit_record(actor=actor, action=action, obj=request, changes=changes, note=note)


def _audit_step(step: Step[InfoRequest], action: str, note: str = "", **changes: Any) -> None:
    step.audit(action, changes=changes, note=note)
