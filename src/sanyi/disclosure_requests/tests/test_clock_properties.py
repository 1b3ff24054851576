"""Properties of the reply clock on the official 2026 calendar, without the database."""

import datetime as dt
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from sanyi.calendar.tests.factories import official_work_calendar
from sanyi.disclosure_requests import clocks
from sanyi.disclosure_requests.choices import ClockState, RequestStatus, StopKind

CAL = official_work_calendar()
D = dt.date


def _request(start, extension, stops):
    manager = SimpleNamespace(all=lambda: stops)
    return SimpleNamespace(
        pk=1,
        status=RequestStatus.IN_PROGRESS,
        clock_start_on=start,
        extension_days=extension,
        stops=manager,
        reply_due_on=None,
        due_provisional=False,
        correction_due_on=None,
        fee_due_on=None,
    )


def _next_workday(day):
    while not CAL.is_workday(day):
        day += dt.timedelta(days=1)
    return day


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(D(2026, 1, 1), D(2026, 9, 30)),
    extension=st.integers(0, 20),
    consult_after=st.integers(1, 15),
    consult_days=st.one_of(st.none(), st.integers(0, 20)),
)
def test_the_due_date_leaves_exactly_the_allowed_working_days(
    start, extension, consult_after, consult_days
):
    stops = []
    counted_from = _next_workday(start)  # a start on a non-working day rolls forward
    if consult_days is not None:
        began = CAL.add_workdays(counted_from, consult_after).date
        answered = CAL.add_workdays(began, consult_days).date
        stops.append(
            SimpleNamespace(
                kind=StopKind.CONSULTATION,
                started_on=began,
                expected_end_on=CAL.add_workdays(began, 15).date,
                ended_on=answered,
            )
        )
    request = _request(start, extension, stops)
    due = clocks.compute_due(request, calendar=CAL).date
    spans = clocks.stops_of(request)
    total = 20 + extension

    assert CAL.is_workday(due)
    assert CAL.workdays_between(counted_from, due, stops=spans).days == total
    # The third party never costs more than its 15 working days.
    plain = CAL.add_workdays(counted_from, total).date
    assert CAL.workdays_between(plain, due).days <= 15

    on_due = clocks.request_clock(request, due, calendar=CAL)
    assert on_due.remaining == 0 and on_due.state != ClockState.RED
    after = clocks.request_clock(request, due + dt.timedelta(days=1), calendar=CAL)
    assert after.state == ClockState.RED
    assert after.remaining <= 0
