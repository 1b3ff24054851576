"""Changing the calendar: checked, all-or-nothing, audited, recorded, announced after commit."""

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from sanyi.audit.selectors import audit_chain_verify, audit_history
from sanyi.calendar import services
from sanyi.calendar.models import CalendarChange, CalendarDay, CalendarYear, DayKind
from sanyi.calendar.selectors import current_calendar
from sanyi.calendar.services import (
    calendar_day_remove,
    calendar_day_set,
    calendar_year_load,
    calendar_year_remove,
    calendar_year_update,
)
from sanyi.calendar.signals import calendar_changed
from sanyi.calendar.tests.factories import SYSTEM, notice_2027, notice_data
from sanyi.core.actors import SystemActor
from sanyi.orgs.tests import factories as org_factories

pytestmark = pytest.mark.usefixtures("official")


@pytest.fixture
def announced():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    calendar_changed.connect(receiver)
    yield calls
    calendar_changed.disconnect(receiver)


def test_loading_a_new_year_writes_days_change_and_audit_and_announces_it(
    announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = calendar_year_load(actor=SYSTEM, data=notice_2027())
    assert row.notice_number == "国办发明电〔2026〕99号"
    assert CalendarDay.objects.filter(date__year=2027).count() == 3 + 8 + 1
    change = CalendarChange.objects.order_by("-id").first()
    assert (change.action, change.years, change.actor_label) == ("year_load", [2027], SYSTEM)
    assert "节假日11天，调休上班1天" in change.summary
    audit = list(audit_history(object_type="calendar.calendaryear", object_id=row.pk))
    assert [a.action for a in audit] == ["calendar_year.load"]
    assert audit[0].changes["days"]["2027-02-20"] == [None, ["makeup_workday", "春节"]]
    assert audit_chain_verify().ok
    assert announced == [{"years": {2027}, "actor": SYSTEM, "change": change, "signal": mock.ANY}]


def test_the_signal_waits_for_the_commit(announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        calendar_year_load(actor=SYSTEM, data=notice_2027())
        assert announced == []
    # Beside the public pages' generation bump (core.pagecache), one announcement.
    assert len([c for c in callbacks if getattr(c, "__name__", "") == "announce"]) == 1


def test_a_loaded_year_is_no_longer_provisional(django_capture_on_commit_callbacks):
    assert current_calendar().add_workdays(date(2027, 2, 4), 1).provisional
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor=SYSTEM, data=notice_2027())
    due = current_calendar().add_workdays(date(2027, 2, 4), 1)
    assert (due.date, due.provisional) == (date(2027, 2, 15), False)


def test_the_same_transaction_sees_its_own_change_before_commit():
    current_calendar()  # warm the kept calendar
    calendar_year_load(actor=SYSTEM, data=notice_2027())
    assert current_calendar().holiday_name(date(2027, 2, 8)) == "春节"


def test_reloading_a_year_records_only_the_dates_that_moved(
    announced, django_capture_on_commit_callbacks
):
    data = notice_data(2026)
    data["makeup_workdays"][-1] = {"date": "2026-10-11", "name": "国庆节"}  # was 10/10
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_load(actor=SYSTEM, data=data)
    change = CalendarChange.objects.order_by("-id").first()
    assert change.dates == ["2026-10-10", "2026-10-11"]
    assert "与原安排相比有2个日期变化" in change.summary
    assert announced[0]["years"] == {2026}
    assert current_calendar().is_workday(date(2026, 10, 11))
    assert not current_calendar().is_workday(date(2026, 10, 10))


def test_a_bad_notice_writes_nothing(announced, django_capture_on_commit_callbacks):
    before = (
        CalendarYear.objects.count(),
        CalendarDay.objects.count(),
        CalendarChange.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        calendar_year_load(
            actor=SYSTEM, data=notice_2027(makeup_workdays=[{"date": "2027-02-17", "name": "春节"}])
        )
    after = (
        CalendarYear.objects.count(),
        CalendarDay.objects.count(),
        CalendarChange.objects.count(),
    )
    assert after == before
    assert announced == []


def test_a_failure_half_way_rolls_the_whole_load_back():
    days_before = list(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    with (
        mock.patch.object(services, "audit_record", side_effect=RuntimeError("磁盘已满")),
        pytest.raises(RuntimeError),
    ):
        calendar_year_load(
            actor=SYSTEM,
            data=notice_data(
                2026, holidays=[{"name": "元旦", "start": "2026-01-01", "end": "2026-01-01"}]
            ),
        )
    assert list(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind")) == (
        days_before
    )
    assert current_calendar().holiday_name(date(2026, 2, 17)) == "春节"


def test_setting_a_day_is_audited_recorded_and_announced(
    announced, django_capture_on_commit_callbacks
):
    admin = org_factories.staff(org_factories.district(), "system_admin")
    with django_capture_on_commit_callbacks(execute=True):
        row = calendar_day_set(actor=admin, day=date(2026, 3, 3), kind="holiday", name="特殊休假")
    assert not current_calendar().is_workday(date(2026, 3, 3))
    audit = list(audit_history(object_type="calendar.calendarday", object_id=row.pk))
    assert [(a.action, a.actor_id) for a in audit] == [("calendar_day.set", admin.pk)]
    change = CalendarChange.objects.order_by("-id").first()
    assert change.actor == admin
    assert change.summary == "2026-03-03（星期二）按平日→2026-03-03（星期二）节假日（特殊休假）"
    assert announced[0]["years"] == {2026} and announced[0]["actor"] == admin


def test_a_system_actor_is_recorded_by_its_label():
    calendar_day_set(
        actor=SystemActor("系统：日历同步"), day=date(2026, 3, 3), kind="holiday", name="特殊休假"
    )

    change = CalendarChange.objects.order_by("-id").first()
    assert (change.actor, change.actor_label) == (None, "系统：日历同步")


def test_setting_a_day_to_what_it_already_is_changes_nothing(announced):
    changes = CalendarChange.objects.count()
    calendar_day_set(actor=SYSTEM, day=date(2026, 2, 17), kind=DayKind.HOLIDAY, name="春节")
    assert CalendarChange.objects.count() == changes


def test_a_makeup_day_must_fall_on_a_weekend():
    with pytest.raises(ValidationError) as info:
        calendar_day_set(actor=SYSTEM, day=date(2026, 3, 3), kind="makeup_workday", name="春节")
    assert info.value.message_dict == {"kind": ["2026-03-03是星期二，调休上班日应为周六或周日"]}


def test_a_day_in_a_year_not_loaded_cannot_be_set():
    with pytest.raises(ValidationError, match="2027年的节假日安排尚未载入"):
        calendar_day_set(actor=SYSTEM, day=date(2027, 1, 1), kind="holiday", name="元旦")


def test_a_day_needs_a_name():
    with pytest.raises(ValidationError) as info:
        calendar_day_set(actor=SYSTEM, day=date(2026, 3, 3), kind="holiday", name="  ")
    assert info.value.message_dict == {"name": ["请填写节日名称，例如“春节”"]}


def test_removing_a_day_is_audited_and_announced(announced, django_capture_on_commit_callbacks):
    row = CalendarDay.objects.get(date=date(2026, 10, 10))
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_remove(actor=SYSTEM, day=date(2026, 10, 10))
    assert not CalendarDay.objects.filter(date=date(2026, 10, 10)).exists()
    assert not current_calendar().is_workday(date(2026, 10, 10))  # an ordinary Saturday again
    audit = list(audit_history(object_type="calendar.calendarday", object_id=row.pk))
    assert audit[-1].changes == {
        "date": ["2026-10-10", None],
        "kind": ["makeup_workday", None],
        "name": ["国庆节", None],
    }
    assert announced[0]["years"] == {2026}


def test_removing_an_ordinary_day_is_refused():
    with pytest.raises(ValidationError, match="2026-03-03不是节假日或调休上班日"):
        calendar_day_remove(actor=SYSTEM, day=date(2026, 3, 3))


def test_correcting_the_notice_number_is_recorded_but_not_announced(
    announced, django_capture_on_commit_callbacks
):
    row = CalendarYear.objects.get(year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_update(
            actor=SYSTEM,
            calendar_year=row,
            notice_title=row.notice_title,
            notice_number="国办发明电〔2025〕8号",
            published_on=row.published_on,
        )
    audit = list(audit_history(object_type="calendar.calendaryear", object_id=row.pk))
    assert audit[-1].changes == {
        "notice_number": ["国办发明电〔2025〕7号", "国办发明电〔2025〕8号"]
    }
    assert CalendarChange.objects.order_by("-id").first().action == "year_update"
    assert announced == []


def test_removing_a_year_makes_its_dates_provisional(announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_remove(actor=SYSTEM, year=2026)
    assert not CalendarDay.objects.filter(date__year=2026).exists()
    due = current_calendar().add_workdays(date(2026, 9, 21), 20)
    assert (due.date, due.provisional) == (date(2026, 10, 19), True)
    assert announced[0]["years"] == {2026}


def test_a_failing_receiver_does_not_stop_the_others(django_capture_on_commit_callbacks, caplog):
    seen = []

    def broken(sender, **kwargs):
        raise RuntimeError("重算失败")

    def working(sender, **kwargs):
        seen.append(kwargs["years"])

    calendar_changed.connect(broken)
    calendar_changed.connect(working)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            calendar_day_set(actor=SYSTEM, day=date(2026, 3, 3), kind="holiday", name="特殊休假")
    finally:
        calendar_changed.disconnect(broken)
        calendar_changed.disconnect(working)
    assert seen == [{2026}]
    assert "calendar_changed receiver" in caplog.text
