"""Calendar test data: the official notices, and notice documents to break on purpose."""

from __future__ import annotations

import copy
import json

from sanyi.calendar.models import CalendarYear
from sanyi.calendar.notice import (
    OFFICIAL_NOTICE_FILES,
    read_notice_file,
    work_calendar_from_notices,
)
from sanyi.calendar.services import calendar_year_load
from sanyi.calendar.workdays import WorkCalendar

SYSTEM = "系统：测试"


def official_calendar() -> None:
    """Make sure the 2025 and 2026 notices are loaded.

    Migration 0002 loads them, but a test that flushes the database (transactional tests,
    live_server) removes them for the tests after it; call this where a test needs them.
    """
    for path in OFFICIAL_NOTICE_FILES:
        notice = read_notice_file(path)
        if not CalendarYear.objects.filter(year=notice.year).exists():
            calendar_year_load(actor=SYSTEM, data=notice)


def official_work_calendar() -> WorkCalendar:
    """The 2025 and 2026 calendar from the files, without the database."""
    return work_calendar_from_notices([read_notice_file(p) for p in OFFICIAL_NOTICE_FILES])


def notice_data(year: int = 2026, **changes) -> dict:
    """A notice document as in the data files (2026 by default), with top-level changes."""
    path = next(p for p in OFFICIAL_NOTICE_FILES if p.stem == str(year))
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(copy.deepcopy(changes))
    return data


def notice_2027(**changes) -> dict:
    """A made-up 2027 notice for load tests (the real one was not at hand)."""
    data = {
        "format": "sanyi-calendar",
        "version": 1,
        "year": 2027,
        "notice": {
            "title": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
            "number": "国办发明电〔2026〕99号",
            "published_on": "2026-11-10",
        },
        "holidays": [
            {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
            {"name": "春节", "start": "2027-02-05", "end": "2027-02-12"},
        ],
        "makeup_workdays": [{"date": "2027-02-20", "name": "春节"}],
    }
    data.update(copy.deepcopy(changes))
    return data
