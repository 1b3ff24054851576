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
def org_tree(db):
    official_calendar()
    return f.setting()


def test_check_clocks_closes_lapsed_and_warns(org_tree):
    lapsing = f.registered(
        org_tree["agency"], actor=org_tree["officer"], received_on=D(2026, 11, 2)
    )
    services.request_correction_notice(
        actor=org_tree["officer"], request=lapsing, what="请写明年份", on=D(2026, 11, 3),
        due_on=D(2026, 11, 10),
    )  # fmt: skip
    late = f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=D(2026, 10, 9))
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


def test_recompute_command_reports_nothing_moved_on_an_unchanged_calendar(org_tree):
    f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=D(2026, 11, 2))
    out = StringIO()
    call_command("requests", "recompute", stdout=out)
    assert "0件" in out.getvalue()


def test_steps_are_entered_in_order(org_tree):
    r = f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=D(2026, 11, 2))
    services.request_consultation_start(
        actor=org_tree["officer"], request=r, party="某公司", on=D(2026, 11, 10)
    )
    services.request_consultation_end(actor=org_tree["officer"], request=r, on=D(2026, 11, 12))
    with pytest.raises(ValidationError, match="上一步办理日期（2026-11-12）"):
        services.request_extend(
            actor=org_tree["officer"],
            request=r,
            days=5,
            reason="补录",
            approver=org_tree["officer2"],
            on=D(2026, 11, 11),
        )  # fmt: skip


def test_unconfirmed_online_requests_are_flagged_once(org_tree):
    sub = f.online(org_tree["agency"], on=D(2026, 11, 2))
    # Submitted Mon 11/2: flagged once two working days have passed (from Thu 11/5).
    assert services.requests_warn(today=D(2026, 11, 4)) == 0
    assert services.requests_warn(today=D(2026, 11, 5)) == 3
    assert services.requests_warn(today=D(2026, 11, 6)) == 0
    assert Message.objects.filter(
        event="request.unconfirmed", object_id=str(sub.request.pk), user=org_tree["officer"]
    ).exists()
