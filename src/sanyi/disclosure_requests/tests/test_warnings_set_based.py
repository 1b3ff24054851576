"""The set-based request warnings against the request-by-request job they replaced.

``reference_warn`` below is the former ``requests_warn``, kept as the oracle: it walks the
open requests one by one through ``clocks.request_clock`` and writes with ``notify_staff``.
On generated requests (running, consulting, awaiting payment or confirmation; extensions;
consultation, agency and fee stops, open or ended; stale due dates; assigned, unassigned
or assigned to an inactive officer; two agencies) both must leave the same ledger rows,
inbox rows and outbox rows and count the same messages, day after day; a second run writes
nothing; and the query count does not grow with the number of requests.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.calendar.tests.factories import official_calendar
from sanyi.core.tests.statements import statements_of
from sanyi.disclosure_requests import clocks, services
from sanyi.disclosure_requests.choices import ClockState, EventKind, RequestStatus, StopKind
from sanyi.disclosure_requests.models import ClockStop, InfoRequest, RequestEvent
from sanyi.disclosure_requests.services._common import SYSTEM_TASK, _event, _staff_link
from sanyi.disclosure_requests.tests import factories as f
from sanyi.notify.models import Message, OutboxMessage, WebhookSubscription
from sanyi.notify.services import notify_staff, staff_recipients
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db
D = dt.date
FIRST = D(2026, 9, 1)
_seq = itertools.count(1)


# --- the former job, request by request (the oracle) ----------------------------------------


def reference_warn(*, today: dt.date) -> int:
    sent = 0
    open_requests = (
        InfoRequest.objects.filter(
            status__in=(RequestStatus.IN_PROGRESS, RequestStatus.CONSULTING),
            reply_due_on__isnull=False,
        )
        .select_related("agency", "assigned_to")
        .prefetch_related("stops")
    )
    for request in open_requests:
        clock = clocks.request_clock(request, today)
        if clock.due_on is None or clock.state not in (ClockState.YELLOW, ClockState.RED):
            continue
        users = staff_recipients(unit=request.agency, roles=[Role.DISCLOSURE_OFFICER])
        if request.assigned_to and request.assigned_to.is_active:
            users = [request.assigned_to, *[u for u in users if u.pk != request.assigned_to_id]]
        if not users:
            continue
        red = clock.state == ClockState.RED
        written = notify_staff(
            event="request.overdue" if red else "request.due_soon",
            subject=(
                f"政府信息公开申请{request.number}已超过答复期限"
                if red
                else f"政府信息公开申请{request.number}即将到期"
            ),
            body=(
                f"答复期限：{clock.due_on.isoformat()}"
                f"{'（暂定）' if clock.provisional else ''}；"
                f"已用{clock.elapsed}个工作日，剩余{clock.remaining}个工作日。"
            ),
            link=_staff_link(request),
            obj=request,
            users=users,
            dedupe_key=f"request:{request.pk}:{clock.state}:{clock.due_on.isoformat()}",
        )
        if written:
            _event(request, kind=EventKind.WARNED, on=today, actor=SYSTEM_TASK,
                   note=f"{clock.state_label}，已提醒{len(written)}人",
                   due_before=request.reply_due_on, data={"state": clock.state})  # fmt: skip
        sent += len(written)
    return sent + _reference_unconfirmed(today)


def _reference_unconfirmed(today: dt.date) -> int:
    sent = 0
    waiting = InfoRequest.objects.filter(
        status=RequestStatus.AWAITING_CONFIRMATION, submitted_on__lt=today
    ).select_related("agency")
    for request in waiting:
        if clocks.add_workdays_from(request.submitted_on, clocks.confirm_days()) >= today:
            continue
        users = staff_recipients(unit=request.agency, roles=[Role.DISCLOSURE_OFFICER])
        if not users:
            continue
        sent += len(
            notify_staff(
                event="request.unconfirmed",
                subject=f"网上申请{request.number}尚未确认收到",
                body=(
                    f"申请人于{request.submitted_on.isoformat()}提交，答复期限自确认之日起计算，"
                    "请及时确认。"
                ),
                link=_staff_link(request),
                obj=request,
                users=users,
                dedupe_key=f"request:{request.pk}:unconfirmed",
            )
        )
    return sent


# --- generated requests ---------------------------------------------------------------------


@pytest.fixture
def tree(db, settings):
    official_calendar()
    settings.SANYI_NOTIFY_STAFF_SMS = True
    t = f.setting()
    for n, key in enumerate(("officer", "officer2", "district_officer", "outsider")):
        t[key].email = f"{key}@example.org"
        t[key].phone = f"1390000000{n}"
        t[key].save(update_fields=["email", "phone"])
    t["inactive"] = org_f.staff(t["agency"], Role.DISCLOSURE_OFFICER)
    t["inactive"].is_active = False
    t["inactive"].save(update_fields=["is_active"])
    WebhookSubscription.objects.create(
        name="督办系统", url="https://hooks.example.org/requests", secret="s",
        events="request.*", audience="staff",
    )  # fmt: skip
    t["template"] = f.registered(t["agency"], actor=t["officer"], received_on=FIRST)
    return t


stop_st = st.tuples(
    st.sampled_from(StopKind.values),
    st.integers(min_value=0, max_value=20),  # started, days after the clock start
    st.integers(min_value=0, max_value=25),  # expected length in days
    st.one_of(st.none(), st.integers(min_value=0, max_value=30)),  # ended after, or open
)
spec_st = st.fixed_dictionaries(
    {
        "status": st.sampled_from(
            [RequestStatus.IN_PROGRESS] * 4
            + [
                RequestStatus.CONSULTING,
                RequestStatus.AWAITING_CONFIRMATION,
                RequestStatus.AWAITING_FEE,
            ]
        ),
        "start": st.integers(min_value=0, max_value=40),
        "extension": st.sampled_from([0, 0, 0, 5, 20]),
        "stops": st.lists(stop_st, max_size=2),
        "assigned": st.sampled_from([None, "officer", "officer2", "inactive"]),
        "agency": st.sampled_from(["agency", "sub2"]),
        "due": st.sampled_from(["computed", "computed", "stale", "none"]),
    }
)


def build(t: dict, specs: list[dict]) -> None:
    for spec in specs:
        r = InfoRequest.objects.get(pk=t["template"].pk)
        r.pk = None
        r._state.adding = True
        r.number = f"GKTEST-{next(_seq):06d}"
        r.idempotency_key = ""
        r.status = spec["status"]
        r.agency = t[spec["agency"]]
        r.assigned_to = t[spec["assigned"]] if spec["assigned"] else None
        r.submitted_on = r.received_on = FIRST + dt.timedelta(days=spec["start"])
        r.clock_start_on = r.submitted_on
        r.extension_days = spec["extension"]
        r.reply_due_on = FIRST + dt.timedelta(days=10)  # stale unless recomputed below
        r.save()
        for kind, started, expected, ended in spec["stops"]:
            begin = r.clock_start_on + dt.timedelta(days=started)
            ClockStop.objects.create(
                request=r, kind=kind, started_on=begin,
                expected_end_on=begin + dt.timedelta(days=expected),
                ended_on=None if ended is None else begin + dt.timedelta(days=ended),
            )  # fmt: skip
        if spec["due"] == "computed":
            deadline = clocks.compute_due(r)
            r.reply_due_on = deadline.date if deadline else None
        elif spec["due"] == "none":
            r.reply_due_on = None
        r.save(update_fields=["reply_due_on"])


def _high_water() -> dict[str, int]:
    def top(model) -> int:
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    return {"message": top(Message), "event": top(RequestEvent), "outbox": top(OutboxMessage)}


def state(since: dict[str, int]) -> dict:
    messages = {
        m.pk: (m.user_id, m.event, m.subject, m.body, m.link, m.object_type, m.object_id,
               m.dedupe_key)
        for m in Message.objects.filter(pk__gt=since["message"])
    }  # fmt: skip
    return {
        "events": sorted(
            (
                e.request_id,
                e.kind,
                e.on,
                e.actor_id,
                e.actor_label,
                e.note,
                e.due_before,
                e.due_after,
                str(e.data),
            )
            for e in RequestEvent.objects.filter(pk__gt=since["event"])
        ),
        "messages": sorted(messages.values()),
        "outbox": sorted(
            (messages[o.message_id], o.channel, o.event, o.address, o.subscription_id, o.status)
            for o in OutboxMessage.objects.filter(pk__gt=since["outbox"])
        ),
    }


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(spec_st, min_size=1, max_size=12),
    days=st.lists(st.integers(min_value=0, max_value=90), min_size=1, max_size=3),
)
def test_set_based_warnings_match_the_request_by_request_job(tree, specs, days):
    # given
    outer = transaction.savepoint()
    try:
        build(tree, specs)
        since = _high_water()
        todays = [FIRST + dt.timedelta(days=d) for d in sorted(days)]
        before = transaction.savepoint()
        # when: the former job, day after day
        expected_sent = [reference_warn(today=d) for d in todays]
        expected = state(since)
        transaction.savepoint_rollback(before)
        # ... and the set-based one on the same requests
        sent = [services.requests_warn(today=d) for d in todays]
        # then
        assert sent == expected_sent
        assert state(since) == expected
        assert services.requests_warn(today=todays[-1]) == 0
        assert state(since) == expected
    finally:
        transaction.savepoint_rollback(outer)


def _queries(tree: dict, n: int) -> tuple[int, int]:
    """(other queries, INSERT statements) of one run that warns ``n`` fresh requests
    (overdue ones and unconfirmed ones)."""
    spec = {"start": 0, "extension": 0, "stops": [], "agency": "agency", "due": "computed"}
    rows = ([{**spec, "status": RequestStatus.IN_PROGRESS,
              "assigned": "officer2" if i % 2 else None} for i in range(n)]
            + [{**spec, "status": RequestStatus.AWAITING_CONFIRMATION,
                "assigned": None}] * n)  # fmt: skip

    def run() -> None:
        assert services.requests_warn(today=FIRST + dt.timedelta(days=60)) >= n

    return statements_of(run, setup=lambda: build(tree, rows))


def test_query_count_does_not_grow_with_the_number_of_requests(tree):
    (few, few_inserts), (many, many_inserts) = _queries(tree, 3), _queries(tree, 40)
    assert many == few <= 30
    # Ledger, inbox and outbox for the overdue ones; inbox and outbox for the unconfirmed.
    assert few_inserts == 5
    if connection.vendor == "postgresql":
        assert many_inserts == 5
    else:  # SQLite caps the rows of one INSERT by its parameter limit: a few more
        assert many_inserts <= 40 // 2
