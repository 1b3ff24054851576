"""When the demo year's cases come in: how many on each day of the last twelve months.

Busy seasons of a district service centre: the weeks before the Spring Festival (social
assistance, residence and insurance errands before people travel home), the school
enrolment summer (July and August: residence permits, household and education items) and
the year end (annual subsidies, insurance registration for the next year). Quiet weeks:
the Spring Festival and National Day holidays. Weekends and holidays bring only online
applications, about a sixth of a working day's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sanyi.calendar.workdays import WorkCalendar

MONTH_WEIGHT = {
    1: 1.3,
    2: 0.85,
    3: 1.0,
    4: 0.95,
    5: 0.95,
    6: 1.05,
    7: 1.5,
    8: 1.45,
    9: 1.05,
    10: 0.85,
    11: 1.0,
    12: 1.3,
}
PRE_FESTIVAL_DAYS = 15  # calendar days before the first day of the Spring Festival holiday
PRE_FESTIVAL_BOOST = 1.35
NON_WORKDAY_SHARE = 0.15
SPRING_FESTIVAL = "春节"


def days_back(today: dt.date, days: int = 365) -> Iterator[dt.date]:
    """The ``days`` days ending with ``today``, oldest first."""
    for back in range(days - 1, -1, -1):
        yield today - dt.timedelta(days=back)


def _festival_starts(cal: WorkCalendar, days: list[dt.date]) -> set[dt.date]:
    """The first day of each Spring Festival holiday near the period (from the calendar)."""
    first, last = days[0] - dt.timedelta(days=40), days[-1] + dt.timedelta(days=PRE_FESTIVAL_DAYS)
    starts, previous = set(), False
    day = first
    while day <= last:
        today_is = (cal.holiday_name(day) or "").startswith(SPRING_FESTIVAL)
        if today_is and not previous:
            starts.add(day)
        previous, day = today_is, day + dt.timedelta(days=1)
    return starts


def day_weights(cal: WorkCalendar, days: list[dt.date]) -> dict[dt.date, float]:
    """Each day's share of the year's cases (not normalised)."""
    starts = _festival_starts(cal, days)
    before = {s - dt.timedelta(days=n) for s in starts for n in range(1, PRE_FESTIVAL_DAYS + 1)}
    weights = {}
    for day in days:
        weight = MONTH_WEIGHT[day.month]
        if day in before:
            weight *= PRE_FESTIVAL_BOOST
        if not cal.is_workday(day):
            weight *= NON_WORKDAY_SHARE
        weights[day] = weight
    return weights


def daily_counts(weights: dict[dt.date, float], total: int, rng) -> dict[dt.date, int]:
    """About ``total`` cases spread over the days by weight (whole numbers; the fractions
    drawn at random so the sum stays close to ``total``)."""
    scale = total / sum(weights.values())
    counts = {}
    for day, weight in weights.items():
        expected = weight * scale
        whole = int(expected)
        counts[day] = whole + (1 if rng.random() < expected - whole else 0)
    return counts
