"""The visit log (走访台账): recording a household visit, the default next due date, scope,
and the daily reminder (once a day)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.core.ids import make_resident_id
from sanyi.grid import selectors, services
from sanyi.grid.models import HouseholdVisit
from sanyi.grid.tests.factories import household
from sanyi.notify.models import Message

pytestmark = pytest.mark.django_db


def _visit(person, officer, *, days_ago=0, next_due_on=None, **fields):
    at = timezone.now() - dt.timedelta(days=days_ago)
    return services.household_visit_record(
        applicant=person,
        actor=officer,
        data=services.HouseholdVisitInput(visited_at=at, next_due_on=next_due_on, **fields),
    )


def test_visit_is_recorded_with_grid_officer_and_audit(gw):
    person = household("示范区文一路45号")
    visit = _visit(person, gw["officer_a"], notes="一切正常", follow_up=True)
    assert (visit.grid, visit.officer, visit.follow_up) == (gw["grid_a"], gw["officer_a"], True)
    event = AuditEvent.objects.get(action="grid.household_visit_record")
    assert event.object_id == str(visit.pk) and person.name not in event.note


def test_next_due_defaults_to_90_days(gw):
    person = household("示范区文一路45号", id_number=make_resident_id("11010519800101001"))
    visit = _visit(person, gw["officer_a"])
    assert visit.next_due_on == timezone.localdate() + dt.timedelta(days=90)


def test_next_due_defaults_to_30_days_for_80_and_over(gw):
    person = household("示范区文一路45号", id_number=make_resident_id("11010519300101001"))
    visit = _visit(person, gw["officer_a"])
    assert visit.next_due_on == timezone.localdate() + dt.timedelta(days=30)


def test_officer_may_choose_the_next_due_date(gw):
    chosen = timezone.localdate() + dt.timedelta(days=14)
    visit = _visit(household(), gw["officer_a"], next_due_on=chosen)
    assert visit.next_due_on == chosen


def test_next_due_must_follow_the_visit(gw):
    with pytest.raises(ValidationError) as exc:
        _visit(household(), gw["officer_a"], next_due_on=timezone.localdate())
    assert "next_due_on" in exc.value.message_dict
    assert not HouseholdVisit.objects.exists()


def test_notes_over_2000_characters_refused(gw):
    with pytest.raises(ValidationError) as exc:
        _visit(household(), gw["officer_a"], notes="字" * 2001)
    assert "notes" in exc.value.message_dict


def test_visit_in_the_future_refused(gw):
    with pytest.raises(ValidationError):
        _visit(household(), gw["officer_a"], days_ago=-1)


def test_household_of_another_grid_refused(gw):
    person = household("示范区文一路4号")  # even numbers: grid B
    with pytest.raises(PermissionDenied):
        _visit(person, gw["officer_a"])
    assert not AuditEvent.objects.filter(action="grid.household_visit_record").exists()


def test_household_lists_show_own_grid_with_next_due(gw):
    mine, other = household("示范区文一路45号"), household("示范区文一路4号")
    _visit(mine, gw["officer_a"], days_ago=100)
    rows = list(selectors.households(gw["officer_a"]))
    assert [r.pk for r in rows] == [mine.pk]
    assert rows[0].next_due_on < timezone.localdate()
    assert selectors.household(gw["officer_a"], other.pk) is None


def test_household_filter_by_due_and_never(gw):
    due, later, never = household("文一路1号"), household("文一路3号"), household("文一路5号")
    _visit(due, gw["officer_a"], next_due_on=timezone.localdate() + dt.timedelta(days=3))
    _visit(later, gw["officer_a"], next_due_on=timezone.localdate() + dt.timedelta(days=30))
    viewer = gw["officer_a"]
    assert [r.pk for r in selectors.household_list(viewer=viewer, due="due")] == [due.pk]
    assert [r.pk for r in selectors.household_list(viewer=viewer, due="never")] == [never.pk]
    assert not selectors.household_list(viewer=viewer, due="overdue").exists()


def test_household_search_by_address(gw):
    household("示范区文一路1号")
    household("示范区学院路7号")
    rows = selectors.household_list(viewer=gw["officer_a"], q="学院路")
    assert [r.address for r in rows] == ["示范区学院路7号"]


def test_reminder_lists_the_households_due(gw):
    person = household("示范区文一路45号")
    _visit(person, gw["officer_a"], days_ago=100)
    household("示范区文一路47号")  # never visited: not due
    sent = services.visit_reminders_send(actor="测试")
    message = Message.objects.get(user=gw["officer_a"], event="grid.visits_due")
    assert sent == 1 and "1户" in message.subject
    assert person.display_name in message.body and person.name not in message.body
    assert not Message.objects.filter(user=gw["officer_b"]).exists()


def test_reminder_twice_the_same_day_sends_nothing_new(gw):
    _visit(household("示范区文一路45号"), gw["officer_a"], days_ago=100)
    services.visit_reminders_send(actor="测试")
    assert services.visit_reminders_send(actor="测试") == 0
    assert Message.objects.filter(event="grid.visits_due").count() == 1
    assert AuditEvent.objects.filter(action="grid.visit_reminders_send").count() == 1


def test_reminder_again_the_next_day(gw):
    _visit(household("示范区文一路45号"), gw["officer_a"], days_ago=100)
    today = timezone.localdate()
    services.visit_reminders_send(actor="测试", today=today)
    assert services.visit_reminders_send(actor="测试", today=today + dt.timedelta(days=1)) == 1


def test_remind_command(gw, capsys):
    _visit(household("示范区文一路45号"), gw["officer_a"], days_ago=100)
    call_command("grid", "remind")
    call_command("grid", "remind")
    assert Message.objects.filter(event="grid.visits_due").count() == 1
    assert "已向1名网格员" in capsys.readouterr().out


def test_scheduler_job_sends_the_reminder(gw):
    from sanyi.core.scheduler import job_get

    _visit(household("示范区文一路45号"), gw["officer_a"], days_ago=100)
    assert job_get("grid.visit_reminders").func(now=timezone.now()) == "待走访提醒 1 条"
