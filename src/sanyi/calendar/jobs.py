"""Schedules shared by the apps' jobs: "every working day at …" on the district calendar."""

from __future__ import annotations

import datetime as dt

from sanyi.calendar.selectors import is_workday
from sanyi.core.scheduler import DailyAt


def every_workday_at(hour: int, minute: int = 0) -> DailyAt:
    """A daily slot that is skipped on weekends, public holidays and rest days, and kept on
    make-up working days (调休上班), as the calendar says on the day."""
    return DailyAt(at=dt.time(hour, minute), on=is_workday, days_label="每个工作日")
