"""The rollup totals equal a plain recount over the raw case rows."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.analytics.models import DailyFact
from sanyi.analytics.selectors import totals
from sanyi.analytics.services import rollup_day
from sanyi.analytics.tests.factories import bulk_cases, fact_world
from sanyi.calendar.selectors import calendar_cache_clear, workdays_between
from sanyi.calendar.tests.factories import official_calendar
from sanyi.cases.choices import CaseChannel
from sanyi.cases.models import Case

DAY = dt.date(2026, 3, 10)  # a Tuesday
ACTOR = "系统：测试"

offset = st.integers(min_value=-4, max_value=4)
case_st = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(["comm1", "comm2", "dept"]),
        "channel": st.sampled_from([CaseChannel.ONLINE, CaseChannel.WINDOW, CaseChannel.POST]),
        "received": st.sampled_from([DAY, DAY - dt.timedelta(days=1), None]),
        "accepted": st.one_of(st.none(), st.integers(min_value=-9, max_value=0)),
        "concluded": st.booleans(),
        "promised": st.one_of(st.none(), offset),
        "statutory": st.one_of(st.none(), offset),
        "visits": st.integers(min_value=0, max_value=3),
    }
)
_world: dict = {}


def _specs(raw: list[dict]) -> list[dict]:
    def on(n):
        return None if n is None else DAY + dt.timedelta(days=n)

    return [
        {
            "unit": _world[r["unit"]],
            "channel": r["channel"],
            "received": r["received"],
            "accepted_on": on(r["accepted"]),
            "concluded_on": DAY if r["concluded"] else None,
            "promised_due_on": on(r["promised"]),
            "statutory_due_on": on(r["statutory"]),
            "visits": r["visits"],
        }
        for r in raw
    ]


def _recount(cases: list[Case]) -> dict[str, int]:
    """The figures of DAY computed case by case from the stored rows."""

    def received(c: Case) -> bool:
        moment = c.submitted_at if c.channel == CaseChannel.ONLINE else c.created_at
        return moment is not None and timezone.localtime(moment).date() == DAY

    done = [c for c in cases if c.concluded_on == DAY]
    return {
        "received": sum(received(c) for c in cases),
        "accepted": sum(c.accepted_on == DAY for c in cases),
        "concluded": len(done),
        "concluded_on_time_promised": sum(
            c.promised_due_on is None or c.concluded_on <= c.promised_due_on for c in done
        ),
        "concluded_on_time_statutory": sum(
            c.statutory_due_on is None or c.concluded_on <= c.statutory_due_on for c in done
        ),
        "handling_workdays_sum": sum(
            workdays_between(c.accepted_on, DAY).days for c in done if c.accepted_on
        ),
        "visits": sum(c.visits for c in done),
        "zero_visit": sum(c.visits == 0 for c in done),
        "one_visit": sum(c.visits <= 1 for c in done),
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=st.lists(case_st, max_size=30))
@pytest.mark.django_db
def test_rollup_totals_equal_a_recount_of_the_cases(raw):
    if (
        "district" not in _world
        or not type(_world["district"]).objects.filter(pk=_world["district"].pk).exists()
    ):
        official_calendar()
        calendar_cache_clear()
        _world.clear()
        _world.update(fact_world())
    made = bulk_cases(_world, _specs(raw))
    try:
        rollup_day(day=DAY, actor=ACTOR)
        figures = totals(_world["supervisor"], start=DAY, end=DAY)
        expected = _recount(list(Case.objects.filter(pk__in=[c.pk for c in made])))
        assert {name: figures[name] for name in expected} == expected
    finally:
        DailyFact.objects.filter(day=DAY).delete()
        Case.objects.filter(pk__in=[c.pk for c in made]).delete()
