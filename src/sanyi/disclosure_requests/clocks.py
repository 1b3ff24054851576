"""The reply clock of a request (Art. 30–33), on working days.

* The clock starts on the day the request was received (Art. 31); when the applicant was
  asked to correct the application, it starts again on the day the corrected application
  arrives (Art. 30). A start on a non-working day counts from the next working day
  (setting ``SANYI_ROLL_NONWORKING_RECEIPT``, on by default).
* The reply is due 20 working days after the start, plus the extension (at most 20).
* Not counted (Art. 33 ¶3): the time needed to consult a third party or another agency,
  and the time from a fee notice to the payment (国办函〔2020〕109号). A third party has
  15 working days from the day it *received* the request for its opinion (Art. 32): the
  stop runs from the day the request was sent until the answer, never past those 15 days.
  Another agency has no statutory period: the stop runs until its answer, and while it is
  awaited the due date assumes the answer comes within ``agency_consultation_days()``.
* A deadline in a year whose holiday notice is not loaded is provisional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from sanyi.calendar.selectors import current_calendar
from sanyi.calendar.workdays import Deadline
from sanyi.disclosure_requests.choices import (
    FINAL_STATUSES,
    ClockState,
    RequestStatus,
    StopKind,
)

REPLY_DAYS = 20
MAX_EXTENSION_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
CONSULTATION_DAYS = 15


def agency_consultation_days() -> int:
    """Working days another agency is expected to answer in (default 15); only used to
    show a due date while its answer is awaited."""
    return int(getattr(settings, "SANYI_REQUEST_AGENCY_CONSULTATION_DAYS", 15))


def correction_days() -> int:
    """Working days the applicant is given to correct an application (default 15)."""
    return int(getattr(settings, "SANYI_REQUEST_CORRECTION_DAYS", 15))


def confirm_days() -> int:
    """Working days after which an unconfirmed online request is flagged (default 2)."""
    return int(getattr(settings, "SANYI_REQUEST_CONFIRM_DAYS", 2))


def fee_days() -> int:
    """Working days the applicant is given to pay a fee (default 20)."""
    return int(getattr(settings, "SANYI_REQUEST_FEE_DAYS", 20))


def yellow_share() -> float:
    """The share of the reply period after which a request shows yellow (default 0.8)."""
    return float(getattr(settings, "SANYI_REQUEST_YELLOW_SHARE", 0.8))


def roll_start() -> bool:
    return bool(getattr(settings, "SANYI_ROLL_NONWORKING_RECEIPT", True))


def add_workdays_from(start: dt.date, n: int, *, roll: bool | None = None) -> dt.date:
    """The date ``n`` working days after ``start`` on the current calendar."""
    return (
        current_calendar()
        .add_workdays(start, n, roll_nonworking_start=roll_start() if roll is None else roll)
        .date
    )


def stop_span(stop) -> tuple[dt.date, dt.date]:
    """A stop as the calendar counts it. A third-party consultation never stops the clock
    for longer than the third party's time; an agency consultation runs until the answer;
    a fee stop runs until payment or the payment deadline."""
    end = stop.ended_on or stop.expected_end_on
    if stop.kind == StopKind.CONSULTATION and end > stop.expected_end_on:
        end = stop.expected_end_on
    return (stop.started_on, max(end, stop.started_on))


def stops_of(request) -> list[tuple[dt.date, dt.date]]:
    if request.pk is None:
        return []
    return [stop_span(s) for s in request.stops.all()]


def compute_due(request, *, calendar=None, stops=None) -> Deadline | None:
    """The reply due date from the request's rows, or None while no clock runs. ``stops``,
    when given, are the request's stops as ``stops_of`` returns them."""
    if request.clock_start_on is None or request.status in (
        RequestStatus.AWAITING_CONFIRMATION,
        RequestStatus.AWAITING_CORRECTION,
    ):
        return None
    calendar = calendar or current_calendar()
    return calendar.add_workdays(
        request.clock_start_on,
        REPLY_DAYS + (request.extension_days or 0),
        stops=stops_of(request) if stops is None else stops,
        roll_nonworking_start=roll_start(),
    )


@dataclass(frozen=True)
class RequestClock:
    state: str  # ClockState
    due_on: dt.date | None
    provisional: bool
    total: int  # working days allowed (20 + extension)
    elapsed: int  # working days used (stopped days not counted)
    stopped: int  # working days not counted so far
    remaining: int  # working days left; negative when overdue
    waiting_until: dt.date | None = None  # correction or payment deadline while waiting

    @property
    def state_label(self) -> str:
        return ClockState(self.state).label

    @property
    def overdue(self) -> bool:
        return self.state == ClockState.RED


def request_clock(
    request, today: dt.date | None = None, *, calendar=None, stops=None
) -> RequestClock:
    """Where the request's clock stands on ``today``: elapsed, stopped and remaining working
    days, and a state: ok, yellow (from the configured share of the period), red (overdue),
    stopped (consultation or fee), waiting (for confirmation or correction), done.
    ``stops`` as for ``compute_due`` (the warnings job reads them for every request at once)."""
    today = today or timezone.localdate()
    calendar = calendar or current_calendar()
    total = REPLY_DAYS + (request.extension_days or 0)
    if request.status in FINAL_STATUSES:
        # A concluded request has no deadline left to move: the holiday notice of the due
        # date's year can no longer change anything, so nothing about it is provisional.
        return RequestClock(ClockState.DONE, request.reply_due_on, False, total, 0, 0, 0)
    if request.status == RequestStatus.AWAITING_CONFIRMATION or request.clock_start_on is None:
        return RequestClock(ClockState.WAITING, None, False, total, 0, 0, total)
    if request.status == RequestStatus.AWAITING_CORRECTION:
        return RequestClock(
            ClockState.WAITING, None, False, total, 0, 0, total, request.correction_due_on
        )
    stops = stops_of(request) if stops is None else stops
    due = compute_due(request, calendar=calendar, stops=stops)
    start = request.clock_start_on
    remaining = calendar.workdays_between(today, due.date, stops=stops).days
    elapsed = max(0, min(total, total - remaining))
    if today > start:
        stopped = (
            calendar.workdays_between(start, today).days
            - calendar.workdays_between(start, today, stops=stops).days
        )
    else:
        stopped = 0
    provisional = due.provisional
    if today > due.date:
        state = ClockState.RED
    elif any(a < today <= b for a, b in stops) or request.status in (
        RequestStatus.CONSULTING,
        RequestStatus.AWAITING_FEE,
    ):
        state = ClockState.STOPPED
    elif elapsed >= total * yellow_share():
        state = ClockState.YELLOW
    else:
        state = ClockState.OK
    waiting_until = request.fee_due_on if request.status == RequestStatus.AWAITING_FEE else None
    return RequestClock(
        state, due.date, provisional, total, elapsed, stopped, remaining, waiting_until
    )
