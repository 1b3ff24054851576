"""The hourly rollup job."""

import datetime as dt

from sanyi.analytics.jobs import analytics_rollup_job
from sanyi.analytics.models import DailyFact
from sanyi.analytics.tests.factories import at, bulk_cases

DAY = dt.date(2026, 3, 10)


def test_the_job_rolls_up_yesterday_and_today_only(fw):
    for day in (DAY - dt.timedelta(days=2), DAY - dt.timedelta(days=1), DAY):
        bulk_cases(fw, [{"unit": fw["comm1"], "received": day}])

    summary = analytics_rollup_job(now=at(DAY, 0) + dt.timedelta(minutes=5))

    assert sorted(DailyFact.objects.values_list("day", flat=True)) == [
        DAY - dt.timedelta(days=1),
        DAY,
    ]
    assert summary == "日统计：重算昨天和今天，2行"
