"""Deadlines computed by hand on the 2026 calendar (STANDARDS.md §5).

2026: 中秋 9/25–9/27 off; 国庆 10/1–10/7 off, 9/20 (Sun) and 10/10 (Sat) work;
春节 2/15–2/23 off, 2/14 (Sat) and 2/28 (Sat) work. The start day is not counted.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sanyi.calendar.services import calendar_year_load
from sanyi.calendar.tests.factories import notice_2027, official_calendar
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.choices import ClockState, EventKind, RequestStatus
from sanyi.disclosure_requests.models import InfoRequest
from sanyi.disclosure_requests.selectors import request_clock
from sanyi.disclosure_requests.tests import factories as f

D = dt.date


@pytest.fixture
def org_tree(db):
    official_calendar()
    return f.setting()


def test_national_day_with_correction_consultation_and_extension(org_tree):
    agency, officer = org_tree["agency"], org_tree["officer"]
    sub = f.online(agency, on=D(2026, 9, 10))
    r = sub.request
    assert r.status == RequestStatus.AWAITING_CONFIRMATION and r.reply_due_on is None

    # Received (confirmed) Fri 9/11. 9/14–18 (5), Sun 9/20 make-up (6), 9/21–24 (10),
    # 9/25 中秋 off, 9/28–30 (13), 10/1–7 off, 10/8, 10/9, Sat 10/10 make-up (16),
    # 10/12–15 (20).
    r = services.request_confirm(actor=officer, request=r, on=D(2026, 9, 11))
    assert (r.received_on, r.reply_due_on, r.due_provisional) == (
        D(2026, 9, 11),
        D(2026, 10, 15),
        False,
    )

    # Correction notice: within 7 working days of receipt = by Mon 9/21 (9/20 works).
    # The applicant gets 15 working days from Fri 9/18: 9/20 … 10/15.
    r = services.request_correction_notice(
        actor=officer, request=r, what="请写明所需信息的年份和街道", on=D(2026, 9, 18)
    )
    assert r.status == RequestStatus.AWAITING_CORRECTION
    assert r.correction_due_on == D(2026, 10, 15)
    assert r.reply_due_on is None
    with pytest.raises(ValidationError, match="只能发一次"):
        services.request_correction_notice(actor=officer, request=r, what="再补", on=D(2026, 9, 18))

    # Corrected Tue 9/29: the clock restarts. 9/30 (1), 10/8–10/10 (4), 10/12–16 (9),
    # 10/19–23 (14), 10/26–30 (19), Mon 11/2 (20).
    r = services.request_correction_received(actor=officer, request=r, on=D(2026, 9, 29))
    assert (r.clock_start_on, r.reply_due_on) == (D(2026, 9, 29), D(2026, 11, 2))

    # Consultation from Tue 10/13: the third party has 15 working days, to Tue 11/3.
    # While it runs the due date assumes the full 15 days: 9/30 … 10/13 are days 1–6,
    # then 11/4–6 (9), 11/9–13 (14), 11/16–20 (19), Mon 11/23 (20).
    stop = services.request_consultation_start(
        actor=officer, request=r, party="某某有限公司", on=D(2026, 10, 13)
    )
    r.refresh_from_db()
    assert stop.expected_end_on == D(2026, 11, 3)
    assert r.reply_due_on == D(2026, 11, 23)
    clock = request_clock(r, D(2026, 10, 20))
    assert clock.state == ClockState.STOPPED
    assert clock.stopped == 5  # 10/14, 15, 16, 19, 20

    # The third party answers Thu 10/22: not counted 10/14–10/22. Days 1–6 to 10/13, then
    # 10/23 (7), 10/26–30 (12), 11/2–6 (17), 11/9–11 (20) → Wed 11/11.
    services.request_consultation_end(actor=officer, request=r, on=D(2026, 10, 22))
    r.refresh_from_db()
    assert (r.status, r.reply_due_on) == (RequestStatus.IN_PROGRESS, D(2026, 11, 11))

    # Extension by 15 on Thu 11/5, approved by another officer: 11/12–13 (22),
    # 11/16–20 (27), 11/23–27 (32), 11/30, 12/1, 12/2 (35) → Wed 12/2.
    r = services.request_extend(
        actor=officer,
        request=r,
        days=15,
        reason="需要调取档案",
        approver=org_tree["approver"],
        on=D(2026, 11, 5),
    )
    assert r.reply_due_on == D(2026, 12, 2)
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.request_extend(
            actor=officer, request=r, days=1, reason="再延", approver=org_tree["officer2"],
            on=D(2026, 11, 6),
        )  # fmt: skip

    clock = request_clock(r, D(2026, 11, 27))
    # Used: 9/30 … 10/13 (6) + 10/23 … 11/27 (26) = 32 of 35; left 11/30, 12/1, 12/2.
    # 32 ≥ 0.8 × 35 = 28 → yellow.
    assert (clock.total, clock.elapsed, clock.remaining) == (35, 32, 3)
    assert clock.state == ClockState.YELLOW
    assert request_clock(r, D(2026, 11, 20)).state == ClockState.OK  # 27 of 35
    assert request_clock(r, D(2026, 12, 3)).state == ClockState.RED

    kinds = list(r.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.SUBMITTED,
        EventKind.CONFIRMED,
        EventKind.CORRECTION_NOTICE,
        EventKind.CORRECTION_RECEIVED,
        EventKind.CONSULTATION_STARTED,
        EventKind.CONSULTATION_ENDED,
        EventKind.EXTENDED,
    ]


def test_spring_festival_in_person_and_post(org_tree):
    officer = org_tree["officer"]
    # In person Tue 2/10: 2/11–13 (3), Sat 2/14 make-up (4), 2/15–23 off, 2/24–27 (8),
    # Sat 2/28 make-up (9), 3/2–6 (14), 3/9–13 (19), Mon 3/16 (20).
    r = f.registered(org_tree["agency"], actor=officer, received_on=D(2026, 2, 10))
    assert r.reply_due_on == D(2026, 3, 16)
    # Correction must go within 7 working days: 2/11, 12, 13, 14, 24, 25, 26 → by Thu 2/26.
    with pytest.raises(ValidationError, match="7个工作日内"):
        services.request_correction_notice(
            actor=officer, request=r, what="请补充", on=D(2026, 2, 27)
        )
    r = services.request_correction_notice(
        actor=officer, request=r, what="请补充", on=D(2026, 2, 26)
    )
    assert r.status == RequestStatus.AWAITING_CORRECTION

    # By post, signed for on Sun 2/15 (a holiday): counted from the next working day,
    # Tue 2/24, so day 1 is 2/25: 2/25–27 (3), 2/28 (4), 3/2–6 (9), 3/9–13 (14),
    # 3/16–20 (19), Mon 3/23 (20).
    p = f.registered(
        org_tree["agency"], actor=officer, received_on=D(2026, 2, 15), channel="post",
        submitted_on=D(2026, 2, 12),
    )  # fmt: skip
    assert (p.received_on, p.reply_due_on) == (D(2026, 2, 15), D(2026, 3, 23))


def test_2027_deadline_is_provisional_until_the_notice_is_loaded(
    org_tree, django_capture_on_commit_callbacks
):
    officer = org_tree["officer"]
    # Received Fri 11/27/2026, extended by 20 → 40 working days. 2026: 11/30–12/31 are
    # 24 working days. 2027 not loaded → weekdays: Fri 1/1 (25), 1/4–8 (30), 1/11–15 (35),
    # 1/18–22 (40) → 2027-01-22, provisional.
    r = f.registered(org_tree["agency"], actor=officer, received_on=D(2026, 11, 27))
    assert (r.reply_due_on, r.due_provisional) == (D(2026, 12, 25), False)
    r = services.request_extend(
        actor=officer, request=r, days=20, reason="信息量大", approver=org_tree["approver"],
        on=D(2026, 11, 27),
    )  # fmt: skip
    assert (r.reply_due_on, r.due_provisional) == (D(2027, 1, 22), True)
    assert request_clock(r, D(2026, 11, 27)).provisional is True

    # The 2027 notice (test data: 元旦 1/1–1/3 off) is loaded: 1/1 no longer works, so
    # day 40 moves to Mon 1/25 and the date is no longer provisional.
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor="系统：测试", data=notice_2027())
    r = InfoRequest.objects.get(pk=r.pk)
    assert (r.reply_due_on, r.due_provisional) == (D(2027, 1, 25), False)
    event = r.events.get(kind=EventKind.RECOMPUTED)
    assert (event.due_before, event.due_after) == (D(2027, 1, 22), D(2027, 1, 25))
    from sanyi.audit.models import AuditEvent

    assert AuditEvent.objects.filter(
        action="disclosure_request.recompute", object_id=str(r.pk)
    ).exists()


def test_a_new_holiday_moves_an_open_consultation_and_the_due_date(
    org_tree, django_capture_on_commit_callbacks
):
    from sanyi.calendar.models import DayKind
    from sanyi.calendar.services import calendar_day_set

    officer = org_tree["officer"]
    # Received Fri 11/20: due 12/18 (11/23–27, 11/30–12/4, 12/7–11, 12/14–18).
    r = f.registered(org_tree["agency"], actor=officer, received_on=D(2026, 11, 20))
    assert r.reply_due_on == D(2026, 12, 18)
    # Consultation from Fri 11/27 (day 5): third party to 12/18; the stop covers
    # 11/30–12/18, so days 6–20 are 12/21–12/31 (9) and 2027 weekdays 1/1 … 1/8 (15).
    stop = services.request_consultation_start(
        actor=officer, request=r, party="某公司", on=D(2026, 11, 27)
    )
    r.refresh_from_db()
    assert stop.expected_end_on == D(2026, 12, 18)
    assert (r.reply_due_on, r.due_provisional) == (D(2027, 1, 8), True)

    # Mon 12/7 becomes a holiday: the third party's 15th day is now Mon 12/21, and day 20
    # moves from 1/8 to 1/11.
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(actor="系统：测试", day=D(2026, 12, 7), kind=DayKind.HOLIDAY, name="测试")
    stop.refresh_from_db()
    r.refresh_from_db()
    assert stop.expected_end_on == D(2026, 12, 21)
    assert r.reply_due_on == D(2027, 1, 11)
    assert r.events.filter(kind=EventKind.RECOMPUTED).count() == 1
