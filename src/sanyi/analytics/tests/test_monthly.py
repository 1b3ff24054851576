"""Monthly facts: the sums of the daily facts, and reads that mix both agree with a plain
sum of the daily facts over any period."""

import datetime as dt
import random

from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.analytics.models import MEASURES, DailyFact, MonthlyFact
from sanyi.analytics.selectors import split_period, sums, totals
from sanyi.analytics.services import rollup_day, rollup_rebuild
from sanyi.analytics.tests.factories import bulk_cases
from sanyi.cases.choices import CaseChannel
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

ACTOR = "系统：测试"
FIRST = dt.date(2026, 1, 20)
LAST = dt.date(2026, 5, 12)
SPAN = (LAST - FIRST).days


def _activity(fw, n: int = 160) -> None:
    rng = random.Random(5)
    specs = []
    for _ in range(n):
        received = FIRST + dt.timedelta(days=rng.randrange(SPAN))
        concluded = received + dt.timedelta(days=rng.randrange(12))
        specs.append(
            {
                "unit": fw[rng.choice(["comm1", "comm2", "dept"])],
                "channel": rng.choice(list(CaseChannel)),
                "received": received,
                "accepted_on": received,
                "concluded_on": concluded if concluded <= LAST and rng.random() < 0.7 else None,
                "promised_due_on": received + dt.timedelta(days=7),
                "visits": rng.randrange(3),
            }
        )
    bulk_cases(fw, specs)
    rollup_rebuild(start=FIRST, end=LAST, actor=ACTOR)


def _daily_sums(viewer_units, start, end, by=()):
    qs = DailyFact.objects.filter(day__gte=start, day__lte=end, unit__in=viewer_units)
    ann = {name: Sum(name) for name in MEASURES}
    if not by:
        row = qs.aggregate(**ann)
        return [{name: row[name] or 0 for name in MEASURES}]
    return [
        {**{k: row[k] for k in by}, **{name: row[name] or 0 for name in MEASURES}}
        for row in qs.values(*by).annotate(**ann).order_by(*by)
    ]


def test_a_months_facts_are_the_sums_of_its_days(fw):
    _activity(fw)

    for month in (dt.date(2026, m, 1) for m in range(1, 6)):
        following = (month + dt.timedelta(days=32)).replace(day=1)
        daily = DailyFact.objects.filter(day__gte=month, day__lt=following).aggregate(
            **{name: Sum(name) for name in MEASURES}
        )
        monthly = MonthlyFact.objects.filter(month=month).aggregate(
            **{name: Sum(name) for name in MEASURES}
        )
        assert daily == monthly
    assert MonthlyFact.objects.filter(month=dt.date(2026, 3, 1)).exists()


def test_rolling_up_one_day_again_refreshes_its_month(fw):
    _activity(fw, n=40)
    day = dt.date(2026, 3, 10)
    bulk_cases(fw, [{"unit": fw["comm1"], "received": day}] * 4)
    before = MonthlyFact.objects.filter(month=dt.date(2026, 3, 1)).aggregate(n=Sum("received"))

    rollup_day(day=day, actor=ACTOR)

    after = MonthlyFact.objects.filter(month=dt.date(2026, 3, 1)).aggregate(n=Sum("received"))
    assert after["n"] == (before["n"] or 0) + 4


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    a=st.integers(min_value=0, max_value=SPAN),
    b=st.integers(min_value=0, max_value=SPAN),
    by=st.sampled_from([(), ("unit_id",), ("channel",), ("unit_id", "item_id", "channel")]),
)
def test_mixed_reads_equal_a_plain_sum_of_the_daily_facts(fw, a, b, by):
    if not DailyFact.objects.exists():
        _activity(fw)
    start = FIRST + dt.timedelta(days=min(a, b))
    end = FIRST + dt.timedelta(days=max(a, b))
    units = [fw["district"], fw["sub"], fw["comm1"], fw["comm2"], fw["dept"]]

    got = sums(fw["supervisor"], start=start, end=end, by=by)

    def key(row):
        return tuple(str(row[k]) for k in by)

    assert sorted(got, key=key) == sorted(_daily_sums(units, start, end, by), key=key)


def test_month_and_day_groups_match_the_daily_facts(fw):
    _activity(fw)
    start, end = dt.date(2026, 1, 25), dt.date(2026, 4, 30)

    by_month = sums(fw["supervisor"], start=start, end=end, by=("month",))
    by_day = sums(fw["supervisor"], start=start, end=end, by=("day",))

    assert [r["month"] for r in by_month] == [dt.date(2026, m, 1) for m in (1, 2, 3, 4)]
    for row in by_month:
        days = [r for r in by_day if r["day"].replace(day=1) == row["month"]]
        assert row["received"] == sum(r["received"] for r in days)
        assert row["concluded"] == sum(r["concluded"] for r in days)


def test_a_community_supervisor_reads_only_their_community_from_both_tables(fw):
    _activity(fw)
    supervisor = org_f.staff(fw["comm1"], Role.SUPERVISOR)
    start, end = dt.date(2026, 1, 25), dt.date(2026, 4, 30)

    mine = totals(supervisor, start=start, end=end)

    assert mine == _daily_sums([fw["comm1"]], start, end)[0]
    assert {r["unit_id"] for r in sums(supervisor, start=start, end=end, by=("unit_id",))} == {
        fw["comm1"].pk
    }


def test_a_year_is_read_with_three_queries(fw, django_assert_num_queries):
    _activity(fw, n=20)
    # the viewer's roles, the days at either end, the whole months
    with django_assert_num_queries(3):
        sums(fw["supervisor"], start=dt.date(2025, 12, 7), end=dt.date(2026, 12, 6))


def test_split_period_cuts_whole_months_and_keeps_the_ends_by_the_day():
    d = dt.date
    assert split_period(d(2026, 1, 1), d(2026, 12, 31)) == ([], (d(2026, 1, 1), d(2026, 12, 1)))
    assert split_period(d(2026, 1, 15), d(2026, 2, 10)) == (
        [(d(2026, 1, 15), d(2026, 2, 10))],
        None,
    )
    assert split_period(d(2025, 12, 7), d(2026, 12, 6)) == (
        [(d(2025, 12, 7), d(2025, 12, 31)), (d(2026, 12, 1), d(2026, 12, 6))],
        (d(2026, 1, 1), d(2026, 11, 1)),
    )
    assert split_period(d(2026, 2, 1), d(2026, 2, 28)) == ([], (d(2026, 2, 1), d(2026, 2, 1)))


def test_the_dashboard_series_is_per_day_up_to_three_months_and_per_month_beyond(fw):
    from sanyi.analytics.dashboard import Filters, dashboard

    _activity(fw)
    short = dashboard(
        fw["supervisor"], Filters(start=dt.date(2026, 2, 10), end=dt.date(2026, 5, 10))
    )
    long = dashboard(
        fw["supervisor"], Filters(start=dt.date(2026, 1, 20), end=dt.date(2026, 5, 12))
    )

    assert short.grain == "day" and len(short.days) == 90
    assert long.grain == "month"
    assert [p.day for p in long.days] == [dt.date(2026, m, 1) for m in range(1, 6)]
    assert sum(p.received for p in long.days) == long.figures.received
    assert sum(p.concluded for p in short.days) == short.figures.concluded
