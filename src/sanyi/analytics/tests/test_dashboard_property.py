"""Every dashboard figure over a period equals a recount of the raw case and rating rows,
and every drill-down lists as many cases as its figure counts."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.analytics.dashboard import Filters, dashboard, rate
from sanyi.analytics.drilldown import drill_cases
from sanyi.analytics.models import DailyFact
from sanyi.analytics.services import rollup_day
from sanyi.analytics.tests.factories import bulk_cases, bulk_ratings, fact_world
from sanyi.calendar.selectors import calendar_cache_clear, workdays_between
from sanyi.calendar.tests.factories import official_calendar
from sanyi.cases.choices import CaseChannel
from sanyi.cases.models import Case
from sanyi.ratings.choices import BAD_LEVEL
from sanyi.ratings.models import Rating, Rectification

DAY = dt.date(2026, 3, 10)  # a Tuesday
START, END = DAY - dt.timedelta(days=2), DAY + dt.timedelta(days=1)
FIRST, LAST = DAY - dt.timedelta(days=4), DAY + dt.timedelta(days=3)
ACTOR = "系统：测试"

offset = st.integers(min_value=-4, max_value=3)
rating_st = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "level": st.integers(min_value=1, max_value=5),
            "rated": offset,
            "excluded": st.booleans(),
            "due": offset,
            "completed": st.one_of(st.none(), offset),
        }
    ),
)
case_st = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(["comm1", "comm2", "dept"]),
        "channel": st.sampled_from(list(CaseChannel)),
        "received": st.one_of(st.none(), offset),
        "accepted": st.one_of(st.none(), offset),
        "concluded": st.one_of(st.none(), offset),
        "promised": st.one_of(st.none(), offset),
        "statutory": st.one_of(st.none(), offset),
        "visits": st.integers(min_value=0, max_value=3),
        "rating": rating_st,
    }
)
_world: dict = {}


def on(n):
    return None if n is None else DAY + dt.timedelta(days=n)


def _make(raw: list[dict]) -> list[Case]:
    specs = [
        {
            "unit": _world[r["unit"]],
            "channel": r["channel"],
            "received": on(r["received"]),
            "accepted_on": on(r["accepted"]),
            "concluded_on": on(r["concluded"]),
            "promised_due_on": on(r["promised"]),
            "statutory_due_on": on(r["statutory"]),
            "visits": r["visits"],
        }
        for r in raw
    ]
    made = bulk_cases(_world, specs)
    rated = [
        (
            case,
            {
                "level": r["rating"]["level"],
                "rated_on": on(r["rating"]["rated"]),
                "excluded": r["rating"]["excluded"],
                "due_on": on(r["rating"]["due"]),
                "completed_on": on(r["rating"]["completed"]),
            },
        )
        for case, r in zip(made, raw, strict=True)
        if r["rating"]
    ]
    bulk_ratings(_world, rated)
    return made


def _in(day) -> bool:
    return day is not None and START <= day <= END


def _recount(cases: list[Case]) -> dict[str, int]:
    def received(c: Case) -> bool:
        moment = c.submitted_at if c.channel == CaseChannel.ONLINE else c.created_at
        return moment is not None and _in(timezone.localtime(moment).date())

    done = [c for c in cases if _in(c.concluded_on)]
    ratings = [
        r for r in Rating.objects.filter(case__in=cases) if _in(r.rated_on) and not r.excluded
    ]
    fixes = [
        f
        for f in Rectification.objects.filter(rating__case__in=cases).select_related("rating")
        if _in(f.due_on) and not f.rating.excluded
    ]
    return {
        "received": sum(received(c) for c in cases),
        "received_online": sum(received(c) and c.channel == CaseChannel.ONLINE for c in cases),
        "accepted": sum(_in(c.accepted_on) for c in cases),
        "concluded": len(done),
        "concluded_on_time_promised": sum(
            c.promised_due_on is None or c.concluded_on <= c.promised_due_on for c in done
        ),
        "concluded_on_time_statutory": sum(
            c.statutory_due_on is None or c.concluded_on <= c.statutory_due_on for c in done
        ),
        "handling_workdays_sum": sum(
            workdays_between(c.accepted_on, c.concluded_on).days
            for c in done
            if c.accepted_on and c.accepted_on <= c.concluded_on
        ),
        "one_visit": sum(c.visits <= 1 for c in done),
        "zero_visit": sum(c.visits == 0 for c in done),
        "ratings": len(ratings),
        "ratings_good": sum(r.level > BAD_LEVEL for r in ratings),
        "ratings_bad": len(fixes),
        "ratings_bad_rectified_on_time": sum(
            f.completed_on is not None and f.completed_on <= f.due_on for f in fixes
        ),
    }


# drill-down → the recount it must match
DRILL_COUNTS = {
    "received": lambda e: e["received"],
    "accepted": lambda e: e["accepted"],
    "concluded": lambda e: e["concluded"],
    "concluded_on_time_promised": lambda e: e["concluded_on_time_promised"],
    "concluded_late": lambda e: e["concluded"] - e["concluded_on_time_promised"],
    "concluded_late_statutory": lambda e: e["concluded"] - e["concluded_on_time_statutory"],
    "zero_visit": lambda e: e["zero_visit"],
    "one_visit": lambda e: e["one_visit"],
    "more_visits": lambda e: e["concluded"] - e["one_visit"],
    "ratings": lambda e: e["ratings"],
    "ratings_not_good": lambda e: e["ratings"] - e["ratings_good"],
    "ratings_bad": lambda e: e["ratings_bad"],
    "ratings_bad_late": lambda e: e["ratings_bad"] - e["ratings_bad_rectified_on_time"],
}


def _ensure_world() -> None:
    if (
        "district" not in _world
        or not type(_world["district"]).objects.filter(pk=_world["district"].pk).exists()
    ):
        official_calendar()
        calendar_cache_clear()
        _world.clear()
        _world.update(fact_world())


def _rollup() -> None:
    day = FIRST
    while day <= LAST:
        rollup_day(day=day, actor=ACTOR)
        day += dt.timedelta(days=1)


def _cleanup(made: list[Case]) -> None:
    DailyFact.objects.all().delete()
    Rectification.objects.filter(rating__case__in=made).delete()
    Rating.objects.filter(case__in=made).delete()
    Case.objects.filter(pk__in=[c.pk for c in made]).delete()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=st.lists(case_st, max_size=20))
@pytest.mark.django_db
def test_dashboard_figures_and_drill_downs_equal_a_recount_of_the_rows(raw):
    _ensure_world()
    made = _make(raw)
    try:
        _rollup()
        filters = Filters(start=START, end=END)
        board = dashboard(_world["supervisor"], filters)
        expected = _recount(list(Case.objects.filter(pk__in=[c.pk for c in made])))

        assert {name: board.figures.counts[name] for name in expected} == expected
        assert board.figures.on_time_promised == rate(
            expected["concluded_on_time_promised"], expected["concluded"]
        )
        assert board.figures.rectified_on_time_rate == rate(
            expected["ratings_bad_rectified_on_time"], expected["ratings_bad"]
        )
        assert sum(p.received for p in board.days) == expected["received"]
        assert sum(n for _c, _l, n in board.channels) == expected["received"]
        for measure, count in DRILL_COUNTS.items():
            listed = drill_cases(_world["supervisor"], measure=measure, filters=filters)
            assert listed.count() == count(expected), measure
    finally:
        _cleanup(made)
