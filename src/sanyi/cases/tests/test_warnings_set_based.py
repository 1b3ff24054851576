"""The set-based warnings job against the case-by-case job it replaced.

``reference_update_warnings`` below is the former job, kept as the oracle: it walks the
running cases one by one through ``clocks.clock_of`` and writes each rising light with
``notify_staff``. On generated cases (items with working-day, natural-day and month limits,
extensions, clock stops, stale due dates, claimed and unclaimed steps, lights already on
record, an inactive approver) both jobs must leave the same lights, ledger rows, inbox rows
and outbox rows, day after day; a second run writes nothing; and the job's query count does
not grow with the number of cases.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.cases import clocks, services
from sanyi.cases.choices import CaseStatus, EventKind, StopReason, TaskStatus, WarningLevel
from sanyi.cases.models import Case, CaseEvent, ClockStop, new_short_number
from sanyi.cases.services._common import (
    SYSTEM_TASKS,
    WARNING_ORDER,
    _date_text,
    _event,
    _item_name,
    _notify_staff,
)
from sanyi.cases.tests import factories as f
from sanyi.catalog.tests import factories as catalog_f
from sanyi.core.tests.statements import statements_of
from sanyi.notify.models import Message, OutboxMessage, WebhookSubscription
from sanyi.orgs.models import Role

pytestmark = pytest.mark.django_db
D = dt.date
FIRST = D(2026, 8, 3)
_seq = itertools.count(1)


# --- the former job, case by case (the oracle) ----------------------------------------------


def reference_update_warnings(*, today: dt.date) -> dict[str, int]:
    counts = {"yellow": 0, "red": 0, "changed": 0}
    qs = (
        Case.objects.filter(status=CaseStatus.IN_PROGRESS, accepted_on__isnull=False)
        .exclude(promised_due_on__isnull=True, statutory_due_on__isnull=True)
        .select_related(
            "item_version", "implementation_item__base_item", "current_unit", "applicant"
        )
        .prefetch_related("clock_stops")
        .order_by("pk")
    )
    for case in qs:
        level = clocks.clock_of(case, today=today).warning_level
        if level == WarningLevel.YELLOW:
            counts["yellow"] += 1
        elif level == WarningLevel.RED:
            counts["red"] += 1
        if level == case.warning_level:
            continue
        counts["changed"] += 1
        rising = WARNING_ORDER[level] > WARNING_ORDER[case.warning_level]
        Case.objects.filter(pk=case.pk).update(warning_level=level, updated_at=timezone.now())
        if rising:
            _reference_warn(case, level, today)
    return counts


def _reference_warn(case: Case, level: str, today: dt.date) -> None:
    label = WarningLevel(level).label
    due = case.promised_due_on or case.statutory_due_on
    _event(case, EventKind.WARNING, SYSTEM_TASKS, today,
           note=f"{label}：承诺办结期限{_date_text(due)}", detail={"level": level},
           public=False, unit=case.current_unit)  # fmt: skip
    body = f"办件{case.number}（{_item_name(case)}）{label}，办结期限{_date_text(due)}。"
    key = f"case:{case.pk}:{level}"
    subject = f"{label}：{case.number}"
    for task in case.tasks.filter(status=TaskStatus.OPEN).select_related("assignee", "unit"):
        if task.assignee is not None:
            _notify_staff(case, f"case.{level}", subject, body, users=[task.assignee], key=key)
        else:
            _notify_staff(case, f"case.{level}", subject, body, unit=task.unit,
                          roles=(task.role,), key=key)  # fmt: skip
    _notify_staff(case, f"case.{level}", subject, body, unit=case.current_unit,
                  roles=(Role.SUPERVISOR,), key=key)  # fmt: skip


# --- generated cases ------------------------------------------------------------------------


@pytest.fixture
def world(w, settings):
    """The case world with contact details and a staff webhook, so outbox rows are written
    for every channel, and three templates: a working-day item, the community item (its
    first step at the community) and an item promised in natural days with a month limit."""
    settings.SANYI_NOTIFY_STAFF_SMS = True
    for n, key in enumerate(("approver", "approver2", "supervisor", "comm_clerk")):
        w[key].email = f"{key}@example.org"
        w[key].phone = f"1390000000{n}"
        w[key].save(update_fields=["email", "phone"])
    WebhookSubscription.objects.create(
        name="督办系统", url="https://hooks.example.org/cases", secret="s", events="case.*",
        audience="staff",
    )  # fmt: skip
    odd = catalog_f.item(
        unit=w["dept"],
        status="published",
        guide=f.licence_guide(
            statutory_limit={"value": 1, "unit": "month", "note": ""},
            promised_limit={"value": 20, "unit": "natural_day", "note": ""},
        ),
    ).implementation_item
    w["templates"] = [
        f.case(w, state="in_progress", on=FIRST),
        f.case(
            w,
            state="in_progress",
            item=w["community_item"],
            on=FIRST,
            window=w["comm_window"],
            clerk=w["comm_clerk"],
        ),
        f.case(w, state="in_progress", item=odd, on=FIRST),
    ]
    return w


spec_st = st.fixed_dictionaries(
    {
        "template": st.integers(min_value=0, max_value=2),
        "accepted": st.integers(min_value=0, max_value=70),
        "extension": st.sampled_from([0, 0, 0, 2, 7]),
        "stored": st.sampled_from(WarningLevel.values),
        "status": st.sampled_from([CaseStatus.IN_PROGRESS] * 5 + [CaseStatus.SUSPENDED]),
        # (days after acceptance, days stopped; None: still stopped)
        "stops": st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=25),
                st.one_of(st.none(), st.integers(min_value=0, max_value=12)),
            ),
            max_size=2,
        ),
        "claimed": st.booleans(),
        "stale_due": st.booleans(),
    }
)


def build(w: dict, specs: list[dict]) -> list[Case]:
    """Cases copied from the templates, changed as each spec says."""
    made = []
    for spec in specs:
        template = w["templates"][spec["template"]]
        case = Case.objects.get(pk=template.pk)
        task = template.tasks.get(status=TaskStatus.OPEN)
        case.pk = None
        case._state.adding = True
        case.number = f"WARN-{next(_seq):06d}"
        case.short_number = new_short_number()
        case.idempotency_key = case.start_key = ""
        case.accepted_on = FIRST + dt.timedelta(days=spec["accepted"])
        case.extension_days = spec["extension"]
        case.warning_level = spec["stored"]
        case.status = spec["status"]
        case.save()
        open_seen = False
        for after, length in spec["stops"]:
            stopped = case.accepted_on + dt.timedelta(days=after)
            if length is None and open_seen:
                length = 0
            open_seen = open_seen or length is None
            ClockStop.objects.create(
                case=case, reason=StopReason.INSPECTION, stopped_on=stopped, stopped_by=w["clerk"],
                restarted_on=None if length is None else stopped + dt.timedelta(days=length),
            )  # fmt: skip
        if not spec["stale_due"]:
            dues = clocks.compute_dues(case, today=case.accepted_on)
            case.statutory_due_on = dues.statutory.date if dues.statutory else None
            case.promised_due_on = dues.promised.date if dues.promised else None
            case.save(update_fields=["statutory_due_on", "promised_due_on"])
        task.pk = None
        task._state.adding = True
        task.case = case
        claimable = task.role == Role.APPROVER and task.unit_id == w["dept"].pk
        task.assignee = w["approver"] if spec["claimed"] and claimable else None
        task.save()
        made.append(case)
    return made


def state(since: dict[str, int]) -> dict:
    """What the jobs wrote: every light, and the rows added after ``since``."""
    messages = {
        m.pk: (m.user_id, m.event, m.subject, m.body, m.link, m.object_type, m.object_id,
               m.dedupe_key)
        for m in Message.objects.filter(pk__gt=since["message"])
    }  # fmt: skip
    return {
        "lights": dict(Case.objects.values_list("pk", "warning_level")),
        "events": sorted(
            (e.case_id, e.kind, e.on, e.actor_label, e.unit_id, e.note, str(e.detail), e.public)
            for e in CaseEvent.objects.filter(pk__gt=since["event"])
        ),
        "messages": sorted(messages.values()),
        "outbox": sorted(
            (messages[o.message_id], o.channel, o.event, o.address, o.subscription_id, o.status)
            for o in OutboxMessage.objects.filter(pk__gt=since["outbox"])
        ),
    }


def _high_water() -> dict[str, int]:
    def top(model) -> int:
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    return {"message": top(Message), "event": top(CaseEvent), "outbox": top(OutboxMessage)}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(spec_st, min_size=1, max_size=12),
    days=st.lists(st.integers(min_value=0, max_value=110), min_size=1, max_size=3),
    approver2_active=st.booleans(),
)
def test_set_based_job_matches_the_case_by_case_job(world, specs, days, approver2_active):
    # given
    outer = transaction.savepoint()
    try:
        if not approver2_active:
            world["approver2"].is_active = False
            world["approver2"].save(update_fields=["is_active"])
        build(world, specs)
        since = _high_water()
        todays = [FIRST + dt.timedelta(days=d) for d in sorted(days)]
        before = transaction.savepoint()
        # when: the case-by-case job, day after day
        expected_counts = [reference_update_warnings(today=d) for d in todays]
        expected = state(since)
        transaction.savepoint_rollback(before)
        # ... and the set-based one on the same cases
        counts = [services.case_update_warnings(today=d) for d in todays]
        # then
        assert counts == expected_counts
        assert state(since) == expected
        again = services.case_update_warnings(today=todays[-1])
        assert again["changed"] == 0
        assert state(since) == expected
    finally:
        transaction.savepoint_rollback(outer)


def _queries(world: dict, n: int) -> tuple[int, int]:
    """(other queries, INSERT statements) of one run that turns ``n`` fresh cases red."""
    spec = {"template": 0, "accepted": 0, "extension": 0, "stored": "none",
            "status": CaseStatus.IN_PROGRESS, "stops": [], "stale_due": False}  # fmt: skip

    def run() -> None:
        counts = services.case_update_warnings(today=FIRST + dt.timedelta(days=60))
        assert counts["red"] >= n

    return statements_of(
        run, setup=lambda: build(world, [{**spec, "claimed": i % 2 == 0} for i in range(n)])
    )


def test_query_count_does_not_grow_with_the_number_of_cases(world):
    (few, few_inserts), (many, many_inserts) = _queries(world, 3), _queries(world, 40)
    assert many == few <= 20
    # One INSERT per table written (ledger, inbox, outbox); SQLite caps the rows of one
    # INSERT by its parameter limit, so there it takes a few more for many rows.
    assert few_inserts == 3
    if connection.vendor == "postgresql":
        assert many_inserts == 3
    else:
        assert many_inserts <= 40 // 4


def test_second_run_the_same_day_writes_nothing(world):
    build(world, [{"template": 0, "accepted": 0, "extension": 0, "stored": "none",
                   "status": CaseStatus.IN_PROGRESS, "stops": [], "claimed": True,
                   "stale_due": False}])  # fmt: skip
    day = FIRST + dt.timedelta(days=60)
    first = services.case_update_warnings(today=day)
    since = _high_water()
    second = services.case_update_warnings(today=day)
    assert first["changed"] >= 1 and second["changed"] == 0
    assert _high_water() == since
