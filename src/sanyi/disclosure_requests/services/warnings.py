"""Deadline warnings of requests (part of the daily ``requests check-clocks`` job).

Set-based: the open requests' clock inputs are read in two queries, each distinct set of
inputs (status, clock start, extension, stops) is worked out once, and the warnings are
written in chunks with a few bulk statements each (inbox and outbox rows, ledger rows):
the query count does not grow with the number of requests.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet

from sanyi.core.actors import actor_label
from sanyi.core.links import PK_MARK, pk_filler
from sanyi.disclosure_requests import clocks
from sanyi.disclosure_requests.choices import ClockState, EventKind, RequestStatus
from sanyi.disclosure_requests.models import ClockStop, InfoRequest, RequestEvent
from sanyi.disclosure_requests.services._common import SYSTEM_TASK, _link, _today
from sanyi.notify.services import StaffNotice, notify_staff_many, staff_recipients_many
from sanyi.orgs.models import OrgUnit, Role, User

# Warned requests written per transaction.
CHUNK = 2000
RUNNING = (RequestStatus.IN_PROGRESS, RequestStatus.CONSULTING)
REQUEST_TYPE = InfoRequest._meta.label_lower  # what a message about a request names


class _Stop(NamedTuple):
    """What ``clocks.stop_span`` reads of a stop."""

    kind: str
    started_on: dt.date
    ended_on: dt.date | None
    expected_end_on: dt.date


@dataclass(frozen=True)
class _Clocked:
    """What ``clocks.request_clock`` reads of a running request."""

    status: str
    extension_days: int
    clock_start_on: dt.date | None
    reply_due_on: dt.date | None
    correction_due_on: dt.date | None = None
    fee_due_on: dt.date | None = None


class _Warning(NamedTuple):
    pk: int
    number: str
    agency_id: int
    assigned_to_id: int | None
    reply_due_on: dt.date | None  # never None for a running request
    clock: clocks.RequestClock


def _running() -> QuerySet[InfoRequest]:
    return InfoRequest.objects.filter(status__in=RUNNING, reply_due_on__isnull=False)


def _stops() -> dict[int, tuple[tuple[dt.date, dt.date], ...]]:
    """Every running request's stops as ``clocks.stops_of`` gives them (one query)."""
    found: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    rows = (
        ClockStop.objects.filter(request__in=_running())
        .order_by("request_id", "started_on", "pk")
        .values_list("request_id", "kind", "started_on", "ended_on", "expected_end_on")
    )
    for request_id, kind, started_on, ended_on, expected_end_on in rows:
        stop = _Stop(kind, started_on, ended_on, expected_end_on)
        found[request_id].append(clocks.stop_span(stop))
    return {pk: tuple(spans) for pk, spans in found.items()}


def due_warnings(today: dt.date) -> list[_Warning]:
    """The running requests whose clock is yellow or red on ``today``, with the clock
    ``clocks.request_clock`` gives them, in two queries."""
    stops = _stops()
    rows = (
        _running()
        .order_by("pk")
        .values_list(
            "pk",
            "number",
            "agency_id",
            "assigned_to_id",
            "reply_due_on",
            "status",
            "extension_days",
            "clock_start_on",
        )
    )
    known: dict[tuple, clocks.RequestClock] = {}
    found = []
    for pk, number, agency, assigned, due, status, extension, start in rows.iterator(
        chunk_size=5000
    ):
        spans = stops.get(pk, ())
        key = (status, extension, start, due, spans)
        clock = known.get(key)
        if clock is None:
            state = _Clocked(status, extension, start, due)
            clock = known[key] = clocks.request_clock(state, today, stops=list(spans))
        if clock.due_on is not None and clock.state in (ClockState.YELLOW, ClockState.RED):
            found.append(_Warning(pk, number, agency, assigned, due, clock))
    return found


def _staff_links() -> Callable[[int], str]:
    """The staff page of a request by pk (as ``_staff_link``), reversing the URL once."""
    return pk_filler(_link("workbench:disclosure_requests:detail", PK_MARK)) or (lambda pk: "")


def _officers(agency_ids: set[int]) -> dict[int, list[User]]:
    """Each agency's disclosure officers, as ``staff_recipients`` finds them."""
    agencies = OrgUnit.objects.filter(pk__in=agency_ids)
    holders = staff_recipients_many((a, (Role.DISCLOSURE_OFFICER,)) for a in agencies)
    return {unit: users for (unit, _), users in holders.items()}


def requests_warn(*, today: dt.date | None = None) -> int:
    """Yellow and red warnings to the assigned officer and the agency's disclosure officers.
    Each request warns once per state and due date (a new due date may warn again).
    Returns the number of messages written."""
    today = today or _today()
    warnings = due_warnings(today)
    sent = 0
    for start in range(0, len(warnings), CHUNK):
        with transaction.atomic():
            sent += _warn_chunk(warnings[start : start + CHUNK], today)
    return sent + _warn_unconfirmed(today)


def _warn_chunk(warnings: Sequence[_Warning], today: dt.date) -> int:
    officers = _officers({w.agency_id for w in warnings})
    assigned = {
        u.pk: u
        for u in User.objects.filter(
            pk__in={w.assigned_to_id for w in warnings if w.assigned_to_id}, is_active=True
        )
    }
    notices, link = [], _staff_links()
    for w in warnings:
        users = officers.get(w.agency_id, [])
        if w.assigned_to_id in assigned:
            users = [assigned[w.assigned_to_id], *[u for u in users if u.pk != w.assigned_to_id]]
        if not users:
            continue
        notices.append(_notice(w, users, link))
    written = Counter(m.object_id for m in notify_staff_many(notices))
    RequestEvent.objects.bulk_create(
        [
            RequestEvent(
                request_id=w.pk,
                kind=EventKind.WARNED,
                on=today,
                actor=None,
                actor_label=actor_label(SYSTEM_TASK)[:100],
                note=f"{w.clock.state_label}，已提醒{written[str(w.pk)]}人",
                due_before=w.reply_due_on,
                due_after=w.reply_due_on,
                data={"state": w.clock.state},
            )
            for w in warnings
            if written[str(w.pk)]
        ]
    )
    return sum(written.values())


def _notice(w: _Warning, users: list[User], link: Callable[[int], str]) -> StaffNotice:
    clock = w.clock
    assert clock.due_on is not None
    red = clock.state == ClockState.RED
    return StaffNotice(
        event="request.overdue" if red else "request.due_soon",
        subject=(
            f"政府信息公开申请{w.number}已超过答复期限"
            if red
            else f"政府信息公开申请{w.number}即将到期"
        ),
        body=(
            f"答复期限：{clock.due_on.isoformat()}"
            f"{'（暂定）' if clock.provisional else ''}；"
            f"已用{clock.elapsed}个工作日，剩余{clock.remaining}个工作日。"
        ),
        users=users,
        link=link(w.pk),
        object_type=REQUEST_TYPE,
        object_id=str(w.pk),
        dedupe_key=f"request:{w.pk}:{clock.state}:{clock.due_on.isoformat()}",
    )


def _warn_unconfirmed(today: dt.date) -> int:
    """Online requests not yet confirmed after ``clocks.confirm_days()`` working days: the
    reply clock only starts at confirmation (Art. 31), so confirming late must not pass
    unnoticed."""
    waiting = list(
        InfoRequest.objects.filter(
            status=RequestStatus.AWAITING_CONFIRMATION, submitted_on__lt=today
        )
        .order_by("pk")
        .values_list("pk", "number", "agency_id", "submitted_on")
    )
    flagged_from: dict[dt.date, dt.date] = {}
    late = []
    for pk, number, agency, submitted_on in waiting:
        if submitted_on not in flagged_from:
            flagged_from[submitted_on] = clocks.add_workdays_from(
                submitted_on, clocks.confirm_days()
            )
        if flagged_from[submitted_on] < today:
            late.append((pk, number, agency, submitted_on))
    sent = 0
    for start in range(0, len(late), CHUNK):
        part = late[start : start + CHUNK]
        with transaction.atomic():
            officers, link = _officers({agency for _, _, agency, _ in part}), _staff_links()
            sent += len(
                notify_staff_many(
                    StaffNotice(
                        event="request.unconfirmed",
                        subject=f"网上申请{number}尚未确认收到",
                        body=(
                            f"申请人于{submitted_on.isoformat()}提交，答复期限自确认之日起计算，"
                            "请及时确认。"
                        ),
                        users=officers.get(agency, []),
                        link=link(pk),
                        object_type=REQUEST_TYPE,
                        object_id=str(pk),
                        dedupe_key=f"request:{pk}:unconfirmed",
                    )
                    for pk, number, agency, submitted_on in part
                )
            )
    return sent
