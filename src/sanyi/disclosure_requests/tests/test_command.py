"""`sanyi requests check-clocks` and `recompute`, and the order of steps."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from sanyi.calendar.tests.factories import official_calendar
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.choices import Outcome, RequestStatus
from sanyi.disclosure_requests.tests import factories as f
from sanyi.notify.models import Message

D = dt.date


@pytest.fixture
def t(db):
    official_calendar()
    return f.setting()


def test_check_clocks_closes_lapsed_and_warns(t):
    lapsing = f.registered(t["agency"], actor=t["officer"], received_on=D(2026, 11, 2))
    services.request_correction_notice(
        actor=t["officer"], request=lapsing, what="请写明年份", on=D(2026, 11, 3),
        due_on=D(2026, 11, 10),
    )  # fmt: skip
    late = f.registered(t["agency"], actor=t["officer"], received_on=D(2026, 10, 9))
    out = StringIO()
    call_command("requests", "check-clocks", "--today", "2026-11-11", stdout=out)
    assert "终止1件" in out.getvalue()
    lapsing.refresh_from_db()
    assert (lapsing.status, lapsing.outcome) == (RequestStatus.CLOSED, Outcome.OTHER_NO_CORRECTION)
    assert Message.objects.filter(event="request.overdue", object_id=str(late.pk)).count() == 3
    out = StringIO()
    call_command("requests", "check-clocks", "--today", "2026-11-12", stdout=out)
    assert "发出0条" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("requests", "check-clocks", "--today", "11/12")


def test_recompute_command_reports_nothing_moved_on_an_unchanged_calendar(t):
    f.registered(t["agency"], actor=t["officer"], received_on=D(2026, 11, 2))
    out = StringIO()
    call_command("requests", "recompute", stdout=out)
    assert "0件" in out.getvalue()


def test_steps_are_entered_in_order(t):
    r = f.registered(t["agency"], actor=t["officer"], received_on=D(2026, 11, 2))
    services.request_consultation_start(
        actor=t["officer"], request=r, party="某公司", on=D(2026, 11, 10)
    )
    services.request_consultation_end(actor=t["officer"], request=r, on=D(2026, 11, 12))
    with pytest.raises(ValidationError, match="上一步办理日期（2026-11-12）"):
        services.request_extend(
            actor=t["officer"], request=r, days=5, reason="补录", approver=t["officer2"],
            on=D(2026, 11, 11),
        )  # fmt: skip


def test_unconfirmed_online_requests_are_flagged_once(t):
    sub = f.online(t["agency"], on=D(2026, 11, 2))
    # Submitted Mon 11/2: flagged once two working days have passed (from Thu 11/5).
    assert services.requests_warn(today=D(2026, 11, 4)) == 0
    assert services.requests_warn(today=D(2026, 11, 5)) == 3
    assert services.requests_warn(today=D(2026, 11, 6)) == 0
    assert Message.objects.filter(
        event="request.unconfirmed", object_id=str(sub.request.pk), user=t["officer"]
    ).exists()
