"""The shipped notices: right per the official text, per chinese-calendar, and in the database."""

import importlib
from datetime import date, timedelta

import chinese_calendar
import pytest
from django.apps import apps as django_apps

from sanyi.calendar.models import CalendarDay, CalendarYear, DayKind
from sanyi.calendar.notice import OFFICIAL_NOTICE_FILES, read_notice_file

NOTICES = {n.year: n for n in map(read_notice_file, OFFICIAL_NOTICE_FILES)}


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_the_year_agrees_with_chinese_calendar(year):
    notice = NOTICES[year]
    day = date(year, 1, 1)
    disagreements = []
    while day.year == year:
        ours = day in notice.makeup_workdays or (day.weekday() < 5 and day not in notice.holidays)
        if ours != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


@pytest.mark.parametrize("year", [2025, 2026])
def test_makeup_days_and_holidays_match_chinese_calendar_lists(year):
    from chinese_calendar.constants import holidays, workdays

    notice = NOTICES[year]
    assert set(notice.makeup_workdays) == {d for d in workdays if d.year == year}
    assert set(notice.holidays) == {d for d in holidays if d.year == year}


def test_2026_follows_the_notice_of_2025_11_04():
    notice = NOTICES[2026]
    assert (notice.number, notice.published_on) == ("国办发明电〔2025〕7号", date(2025, 11, 4))
    assert sorted(notice.makeup_workdays) == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]
    assert [d for d, name in notice.holidays.items() if name == "春节"] == [
        date(2026, 2, 15) + timedelta(days=k) for k in range(9)
    ]


def test_2025_follows_its_notice():
    notice = NOTICES[2025]
    assert sorted(notice.makeup_workdays) == [
        date(2025, 1, 26),
        date(2025, 2, 8),
        date(2025, 4, 27),
        date(2025, 9, 28),
        date(2025, 10, 11),
    ]
    assert len(notice.holidays) == 1 + 8 + 3 + 5 + 3 + 8


@pytest.mark.django_db
def test_the_data_migration_loads_exactly_the_files():
    migration = importlib.import_module("sanyi.calendar.migrations.0002_load_2025_2026_notices")
    # given a database without the two years (as after a flush), when the migration runs
    CalendarDay.objects.filter(date__year__in=[2025, 2026]).delete()
    CalendarYear.objects.filter(year__in=[2025, 2026]).delete()
    migration.load(django_apps, None)
    # then it holds exactly what the files say
    for year, notice in NOTICES.items():
        row = CalendarYear.objects.get(year=year)
        assert (row.notice_number, row.published_on) == (notice.number, notice.published_on)
        days = CalendarDay.objects.filter(date__year=year)
        assert {d.date: d.name for d in days if d.kind == DayKind.HOLIDAY} == notice.holidays
        assert {
            d.date: d.name for d in days if d.kind == DayKind.MAKEUP_WORKDAY
        } == notice.makeup_workdays
    migration.unload(django_apps, None)
    assert not CalendarYear.objects.filter(year__in=[2025, 2026]).exists()
    assert not CalendarDay.objects.filter(date__year__in=[2025, 2026]).exists()
