"""The demo year's cases, built in memory and written in bulk.

Each case follows the rules of sanyi.cases without going through its services (which
would take an hour for a year): the number is the item's own numbering scheme
(implementation code, day, sequence), continued from and written back to the number
counters, so a later real case never collides; the due dates are the item version's
limits on the district calendar from the acceptance day (``cases.clocks.limit_due``),
worked out once per distinct (date, limit); dates run in order (received ≤ accepted ≤
concluded ≤ delivered ≤ today) and the status follows from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils import timezone

from sanyi.calendar.workdays import Deadline, WorkCalendar
from sanyi.cases.choices import (
    AcceptanceDecision,
    CaseChannel,
    CaseStatus,
    Decision,
    DeliveryMethod,
)
from sanyi.cases.clocks import limit_due
from sanyi.cases.models import SHORT_NUMBER_ALPHABET, SHORT_NUMBER_LENGTH, Case, CaseNumberCounter
from sanyi.cases.numbering import format_case_number, query_code_for, query_code_hash
from sanyi.catalog.choices import HandlingType, LimitUnit

DEMO_MARK = "demo-year"
ON_TIME_SHARE = 0.93
NOT_ACCEPTED_SHARE = 0.015
WITHDRAWN_SHARE = 0.01
DENIED_SHARE = 0.03
REJECT_REASON = "申请人不符合该事项的申请条件"
DENY_REASON = "经审查，申请材料反映的情况不符合法定条件"


@dataclass(frozen=True)
class Offer:
    """An item as the year's cases use it: where it is accepted and its limits."""

    item_id: int
    code: str
    version_id: int
    unit_id: int  # the accepting centre's unit
    center_id: int
    window_ids: tuple[int, ...]
    instant: bool
    promised: tuple[int | None, str]
    statutory: tuple[int | None, str]
    organisations: bool
    weight: float


@dataclass
class Dates:
    """Calendar arithmetic, memoised: the year asks the same few hundred dates again and
    again, so each distinct question is worked out once."""

    cal: WorkCalendar
    _after: dict = field(default_factory=dict)
    _due: dict = field(default_factory=dict)

    def after(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (``day`` itself rolled to a working day
        when n is 0)."""
        key = (day, n)
        if key not in self._after:
            found = self.cal.add_workdays(day, n, roll_nonworking_start=True)
            self._after[key] = found.date
        return self._after[key]

    def due(self, start: dt.date, limit: tuple[int | None, str]) -> Deadline | None:
        key = (start, limit)
        if key not in self._due:
            value, unit = limit
            self._due[key] = limit_due(start=start, value=value, unit=unit, calendar=self.cal)
        return self._due[key]


def offers_limits(version) -> dict:
    """The parts of an item version a case's clocks read."""
    return {
        "instant": version.handling_type == HandlingType.INSTANT,
        "promised": (version.promised_limit_value, version.promised_limit_unit or LimitUnit.NONE),
        "statutory": (
            version.statutory_limit_value,
            version.statutory_limit_unit or LimitUnit.NONE,
        ),
    }


class Numbers:
    """Case numbers from the items' own counters, and fresh short numbers."""

    def __init__(self, rng):
        self.rng = rng
        self.last = {
            (c.implementation_code, c.day): c.last for c in CaseNumberCounter.objects.all()
        }
        self.used_short = set(Case.objects.values_list("short_number", flat=True))

    def number(self, code: str, day: dt.date) -> str:
        sequence = self.last.get((code, day), 0) + 1
        self.last[(code, day)] = sequence
        return format_case_number(code, day, sequence)

    def short(self) -> str:
        while True:
            candidate = "".join(
                self.rng.choice(SHORT_NUMBER_ALPHABET) for _ in range(SHORT_NUMBER_LENGTH)
            )
            if candidate not in self.used_short:
                self.used_short.add(candidate)
                return candidate

    def save_counters(self) -> None:
        """Write the counters back (insert or raise ``last``), so numbering carries on."""
        counters = [
            CaseNumberCounter(implementation_code=code, day=day, last=last)
            for (code, day), last in self.last.items()
        ]
        CaseNumberCounter.objects.bulk_create(
            counters,
            update_conflicts=True,
            unique_fields=["implementation_code", "day"],
            update_fields=["last"],
            batch_size=300,
        )


def _moment(day: dt.date, rng, first: int = 8, last: int = 17) -> dt.datetime:
    minutes = rng.randrange(first * 60, last * 60)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60)))


@dataclass
class Builder:
    """Makes one case at a time from an offer, a day and a channel."""

    dates: Dates
    numbers: Numbers
    rng: object
    today: dt.date
    now: dt.datetime
    persons: list[int]
    organisations: list[int]

    def case(self, offer: Offer, day: dt.date, channel: str) -> Case:
        rng = self.rng
        # Online at any hour, at a window or the post room in office hours.
        hours = (0, 24) if channel == CaseChannel.ONLINE else (9, 17)
        received = min(_moment(day, rng, *hours), self.now)
        pool = self.organisations if offer.organisations else self.persons
        number = self.numbers.number(offer.code, day)
        case = Case(
            number=number,
            short_number=self.numbers.short(),
            query_code_hash=query_code_hash(query_code_for(number)),
            applicant_id=pool[rng.randrange(len(pool))],
            implementation_item_id=offer.item_id,
            item_version_id=offer.version_id,
            form_data={"demo": DEMO_MARK},
            channel=channel,
            unit_id=offer.unit_id,
            current_unit_id=offer.unit_id,
            submitted_at=received,
            created_at=received,
        )
        self._accept(case, offer, day)
        return case

    def _accept(self, case: Case, offer: Offer, day: dt.date) -> None:
        rng = self.rng
        lag = rng.choice((0, 1, 1, 2)) if case.channel == CaseChannel.ONLINE else 0
        if case.channel == CaseChannel.POST:
            lag = 1
        accepted_on = self.dates.after(day, lag)
        draw = rng.random()
        if accepted_on > self.today:
            case.status = CaseStatus.AWAITING_ACCEPTANCE if lag else CaseStatus.PRECHECK
            return
        if case.channel == CaseChannel.ONLINE and draw < WITHDRAWN_SHARE:
            case.status = CaseStatus.WITHDRAWN
            return
        case.center_id = offer.center_id
        case.window_id = offer.window_ids[rng.randrange(len(offer.window_ids))]
        if draw > 1 - NOT_ACCEPTED_SHARE:
            case.status = CaseStatus.NOT_ACCEPTED
            case.acceptance_decision = AcceptanceDecision.REJECT
            case.acceptance_reason = REJECT_REASON
            return
        case.acceptance_decision = AcceptanceDecision.ACCEPT
        case.accepted_on = accepted_on
        case.accepted_at = max(_moment(accepted_on, rng, 9, 17), case.submitted_at)
        case.accepted_at = min(case.accepted_at, self.now)
        self._clocks(case, offer)
        self._conclude(case, offer)

    def _clocks(self, case: Case, offer: Offer) -> None:
        start = case.accepted_on
        case.is_instant = offer.instant
        if offer.instant:
            case.promised_due_on = case.statutory_due_on = start
            return
        for limit, prefix in ((offer.promised, "promised"), (offer.statutory, "statutory")):
            deadline = self.dates.due(start, limit)
            if limit[1] == LimitUnit.WORKING_DAY:
                setattr(case, f"{prefix}_days", limit[0])
            if deadline is not None:
                setattr(case, f"{prefix}_due_on", deadline.date)
                case.due_provisional = case.due_provisional or deadline.provisional

    def _conclusion_day(self, case: Case) -> dt.date:
        start, due = case.accepted_on, case.promised_due_on or case.statutory_due_on
        if case.is_instant or due is None:
            return start if case.is_instant else self.dates.after(start, self.rng.randint(1, 5))
        if self.rng.random() < ON_TIME_SHARE:
            span = max(1, (due - start).days * 5 // 7)
            return min(self.dates.after(start, self.rng.randint(1, span)), due)
        return self.dates.after(due, self.rng.randint(1, 4))

    def _conclude(self, case: Case, offer: Offer) -> None:
        rng = self.rng
        concluded_on = self._conclusion_day(case)
        if concluded_on > self.today:
            case.status = CaseStatus.IN_PROGRESS
            return
        case.concluded_on = concluded_on
        case.concluded_at = min(max(_moment(concluded_on, rng, 10, 18), case.accepted_at), self.now)
        case.decision = Decision.DENY if rng.random() < DENIED_SHARE else Decision.APPROVE
        if case.decision == Decision.DENY:
            case.decision_reason = DENY_REASON
        case.visits = self._visits(case.channel)
        delivered_on = self.dates.after(concluded_on, rng.choice((0, 0, 1, 2)))
        if delivered_on >= self.today:
            case.status = CaseStatus.CONCLUDED
            return
        case.status = CaseStatus.DELIVERED
        case.delivery_method = {
            CaseChannel.ONLINE: DeliveryMethod.ELECTRONIC,
            CaseChannel.WINDOW: DeliveryMethod.WINDOW,
            CaseChannel.POST: DeliveryMethod.POST,
        }[case.channel]
        case.delivered_at = max(_moment(delivered_on, rng, 9, 17), case.concluded_at)

    def _visits(self, channel: str) -> int:
        """Times the applicant came in person: online and post mostly never (sometimes
        once to show an original), at the window once, now and then twice."""
        draw = self.rng.random()
        if channel == CaseChannel.WINDOW:
            return 2 if draw < 0.15 else 1
        return 1 if draw < 0.1 else 0


@contextmanager
def _created_at_as_given() -> Iterator[None]:
    """Let an insert keep the ``created_at`` a case was given (the day it came in), instead
    of the field's "now on insert"; a second pass updating 24,000 rows would double the
    load's time. Only the demo command, one process writing alone, does this."""
    created = Case._meta.get_field("created_at")
    created.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        created.auto_now_add = True  # type: ignore[attr-defined]


def write_cases(cases: Iterable[Case]) -> list[Case]:
    """Insert the cases in batches, each with the time it came in."""
    with _created_at_as_given():
        return Case.objects.bulk_create(list(cases), batch_size=500)
