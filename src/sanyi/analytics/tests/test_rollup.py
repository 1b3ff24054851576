"""Rolling up: rebuilding is idempotent and the queries do not grow with the cases."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanyi.analytics.models import DailyFact
from sanyi.analytics.services import rollup_day, rollup_rebuild
from sanyi.analytics.tests.factories import bulk_cases
from sanyi.calendar.selectors import current_calendar
from sanyi.cases.choices import CaseChannel

DAY = dt.date(2026, 3, 10)
ACTOR = "系统：测试"


def _cases(fw, n: int, day: dt.date = DAY) -> None:
    units = [fw["comm1"], fw["comm2"], fw["dept"]]
    bulk_cases(
        fw,
        [
            {
                "unit": units[i % 3],
                "channel": [CaseChannel.ONLINE, CaseChannel.WINDOW][i % 2],
                "received": day,
                "accepted_on": day - dt.timedelta(days=i % 5),
                "concluded_on": day if i % 3 else None,
                "promised_due_on": day + dt.timedelta(days=i % 3 - 1),
                "visits": i % 2,
            }
            for i in range(n)
        ],
    )


def _rows() -> list[dict]:
    return list(DailyFact.objects.order_by("day", "unit_id", "channel").values())


def test_rebuilding_twice_gives_the_same_rows(fw):
    _cases(fw, 12)
    _cases(fw, 7, day=DAY + dt.timedelta(days=1))
    rollup_rebuild(start=DAY, end=DAY + dt.timedelta(days=1), actor=ACTOR)
    first = [{k: v for k, v in r.items() if k != "id"} for r in _rows()]

    rollup_rebuild(start=DAY, end=DAY + dt.timedelta(days=1), actor=ACTOR)

    assert [{k: v for k, v in r.items() if k != "id"} for r in _rows()] == first
    assert len(first) == 12  # 2 days × 3 units × 2 channels


def _queries_for_a_day_with(fw, n: int, day: dt.date) -> int:
    _cases(fw, n, day=day)
    current_calendar()  # the calendar is kept between calls; read it outside the count
    with CaptureQueriesContext(connection) as ctx:
        rollup_day(day=day, actor=ACTOR)
    return len(ctx.captured_queries)


def test_rollup_queries_do_not_grow_with_the_cases(fw):
    few = _queries_for_a_day_with(fw, 5, DAY)
    many = _queries_for_a_day_with(fw, 50, DAY + dt.timedelta(days=7))
    assert many == few
