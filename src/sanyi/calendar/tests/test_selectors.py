"""The calendar kept in the process: no query when fresh, rebuilt when the data change."""

from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from sanyi.calendar import selectors
from sanyi.calendar.models import CalendarChange, CalendarDay
from sanyi.calendar.selectors import add_workdays, current_calendar, workdays_between
from sanyi.calendar.services import calendar_day_set
from sanyi.calendar.tests.factories import SYSTEM

pytestmark = pytest.mark.usefixtures("official")


def test_a_kept_calendar_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(3):  # version, days, years
        first = current_calendar()
    with django_assert_num_queries(0):
        assert current_calendar() is first


def test_after_the_check_interval_one_query_confirms_the_version(
    monkeypatch, django_assert_num_queries
):
    first = current_calendar()
    monkeypatch.setattr(selectors, "CHECK_SECONDS", 0)
    with django_assert_num_queries(1):
        assert current_calendar() is first


def _change_from_another_process():
    # Another worker's commit: rows appear, but this process's kept calendar is not dropped.
    CalendarDay.objects.create(date=date(2026, 3, 3), kind="holiday", name="特殊休假")
    CalendarChange.objects.create(
        created_at=timezone.now(),
        actor_label=SYSTEM,
        action="day_set",
        years=[2026],
        summary="测试",
    )


def test_a_change_by_another_process_is_seen_after_the_check_interval(monkeypatch):
    assert current_calendar().is_workday(date(2026, 3, 3))
    _change_from_another_process()
    assert current_calendar().is_workday(date(2026, 3, 3))  # still within the interval
    monkeypatch.setattr(selectors, "CHECK_SECONDS", 0)
    assert not current_calendar().is_workday(date(2026, 3, 3))


def test_a_rolled_back_change_leaves_the_calendar_as_it_was():
    assert current_calendar().is_workday(date(2026, 3, 3))
    with pytest.raises(RuntimeError), transaction.atomic():
        calendar_day_set(actor=SYSTEM, day=date(2026, 3, 3), kind="holiday", name="特殊休假")
        assert not current_calendar().is_workday(date(2026, 3, 3))
        raise RuntimeError("放弃")
    assert current_calendar().is_workday(date(2026, 3, 3))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_committed_and_rolled_back_changes_outside_a_test_transaction():
    assert current_calendar().is_workday(date(2026, 3, 3))
    with pytest.raises(RuntimeError), transaction.atomic():
        calendar_day_set(actor=SYSTEM, day=date(2026, 3, 3), kind="holiday", name="特殊休假")
        raise RuntimeError("放弃")
    assert current_calendar().is_workday(date(2026, 3, 3))
    calendar_day_set(actor=SYSTEM, day=date(2026, 3, 3), kind="holiday", name="特殊休假")
    kept = current_calendar()
    assert not kept.is_workday(date(2026, 3, 3))
    assert current_calendar() is kept  # committed: kept again


def test_add_workdays_follows_the_receipt_setting(settings):
    settings.SANYI_ROLL_NONWORKING_RECEIPT = True
    assert add_workdays(date(2026, 10, 1), 1).date == date(2026, 10, 9)
    settings.SANYI_ROLL_NONWORKING_RECEIPT = False
    assert add_workdays(date(2026, 10, 1), 1).date == date(2026, 10, 8)
    assert add_workdays(date(2026, 10, 1), 1, roll_nonworking_start=True).date == date(2026, 10, 9)


def test_workdays_between_uses_the_database_calendar():
    assert workdays_between(date(2026, 9, 21), date(2026, 10, 26)).days == 20
