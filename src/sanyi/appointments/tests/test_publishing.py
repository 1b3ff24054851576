"""Running a schedule: the weekly pattern on the district calendar, publishing a date
range, capacity never below the bookings made, closing and reopening a slot or a day
(residents told, all or nothing), and who may do it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F

from sanyi.applicants.tests import factories as af
from sanyi.appointments.models import BookingStatus, PhoneCode, Slot
from sanyi.appointments.selectors import open_slots
from sanyi.appointments.services import (
    booking_create,
    phone_booking_create,
    phone_code_request,
    schedule_update,
    slots_close,
    slots_publish,
    slots_reopen,
)
from sanyi.audit.models import AuditEvent
from sanyi.notify.models import Message
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

from .factories import SYSTEM, future_slots

pytestmark = pytest.mark.django_db
FRIDAY = dt.date(2026, 9, 18)  # Sunday 09-20 is a make-up working day, 09-25 a holiday


def days_of(p):
    return sorted(
        {s.starts_at.astimezone().date() for s in Slot.objects.filter(schedule=p.schedule)}
    )


def pattern(p, **changes):
    s = p.schedule
    values = {
        "opens": s.opens,
        "closes": s.closes,
        "slot_minutes": s.slot_minutes,
        "capacity": s.capacity,
        "weekdays": s.weekdays,
        **changes,
    }
    return schedule_update(actor=SYSTEM, schedule_id=s.pk, **values)


def test_weekly_pattern_on_working_days_only(place):
    pattern(place, weekdays="135")
    added = slots_publish(
        actor=SYSTEM,
        schedule_id=place.schedule.pk,
        start=FRIDAY,
        end=FRIDAY + dt.timedelta(days=8),
        today=FRIDAY,
    )
    # Friday 18, Monday 21, Wednesday 23 (Friday 25 is a holiday; Sunday 20 is a make-up
    # day but the pattern is not Monday to Friday); four 30-minute slots a day.
    assert days_of(place) == [dt.date(2026, 9, 18), dt.date(2026, 9, 21), dt.date(2026, 9, 23)]
    assert added == 12
    assert AuditEvent.objects.filter(action="appointments.slots_publish").count() == 1


def test_monday_to_friday_takes_the_make_up_day(place):
    slots_publish(
        actor=SYSTEM,
        schedule_id=place.schedule.pk,
        start=FRIDAY,
        end=FRIDAY + dt.timedelta(days=2),
        today=FRIDAY,
    )
    assert days_of(place) == [dt.date(2026, 9, 18), dt.date(2026, 9, 20)]
    again = slots_publish(
        actor=SYSTEM, schedule_id=place.schedule.pk, start=FRIDAY, end=FRIDAY, today=FRIDAY
    )
    assert again == 0


def test_publish_refuses_past_long_or_reversed_ranges(place):
    for start, end, field in [
        (FRIDAY - dt.timedelta(days=1), FRIDAY, "start"),
        (FRIDAY, FRIDAY - dt.timedelta(days=1), "end"),
        (FRIDAY, FRIDAY + dt.timedelta(days=92), "end"),
    ]:
        with pytest.raises(ValidationError) as err:
            slots_publish(
                actor=SYSTEM, schedule_id=place.schedule.pk, start=start, end=end, today=FRIDAY
            )
        assert field in err.value.message_dict
    assert not Slot.objects.exists()


def test_only_the_centres_system_admin_runs_schedules(place):
    with pytest.raises(PermissionDenied):
        slots_publish(
            actor=place.clerk, schedule_id=place.schedule.pk, start=FRIDAY, end=FRIDAY, today=FRIDAY
        )
    other = of.staff(of.district(uscc=of.unique_uscc()), Role.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        schedule_update(
            actor=other,
            schedule_id=place.schedule.pk,
            opens=dt.time(9),
            closes=dt.time(10),
            slot_minutes=30,
            capacity=5,
            weekdays="12345",
        )
    admin = of.staff(place.center.org_unit, Role.SYSTEM_ADMIN)
    assert slots_publish(
        actor=admin, schedule_id=place.schedule.pk, start=FRIDAY, end=FRIDAY, today=FRIDAY
    )


def test_capacity_never_drops_below_bookings_and_says_so(upcoming):
    p = upcoming
    first = future_slots(p)[0]
    for who in (p.resident, af.person(phone="10012340001")):
        booking_create(actor=who.audit_label, applicant=who, slot_id=first.pk, item=p.item)
    _, kept = pattern(p, capacity=1)
    first.refresh_from_db()
    assert [s.pk for s in kept] == [first.pk] and first.capacity == 2 and first.booked == 2
    assert {s.capacity for s in future_slots(p) if s.pk != first.pk} == {1}
    event = AuditEvent.objects.get(action="appointments.schedule_update")
    assert event.changes["slots_kept_above_capacity"] == 1


def test_bad_pattern_is_refused_by_field(place):
    with pytest.raises(ValidationError) as err:
        pattern(place, weekdays="")
    assert "weekdays" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        pattern(place, opens=dt.time(12), closes=dt.time(9), capacity=0)
    assert {"closes", "capacity"} <= set(err.value.message_dict)


def phone_book(p, slot):
    PhoneCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    code = phone_code_request(phone="13912345678", ip="10.0.0.1")
    return phone_booking_create(
        name="王小明", phone="13912345678", code=code, slot_id=slot.pk, item=p.item
    )


def test_closing_a_slot_cancels_and_tells_each_resident(
    upcoming, memory_sms, django_capture_on_commit_callbacks
):
    p = upcoming
    first = future_slots(p)[0]
    signed = booking_create(
        actor=p.resident.audit_label, applicant=p.resident, slot_id=first.pk, item=p.item
    )
    by_phone = phone_book(p, first)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = slots_close(actor=SYSTEM, slot_id=first.pk, reason="设备检修")
    assert cancelled == 2
    first.refresh_from_db()
    signed.refresh_from_db()
    by_phone.refresh_from_db()
    assert first.is_closed and first.booked == 0 and first.closed_reason == "设备检修"
    assert signed.status == by_phone.status == BookingStatus.CANCELLED
    notice = Message.objects.get(applicant=p.resident, event="appointment.cancelled_by_centre")
    assert "设备检修" in notice.body and signed.code in notice.body
    assert memory_sms.sent[-1].phone == "13912345678" and by_phone.code in memory_sms.sent[-1].text
    assert first not in open_slots(center=p.center)
    with pytest.raises(ValidationError, match="已关闭"):
        booking_create(
            actor=p.resident.audit_label, applicant=p.resident, slot_id=first.pk, item=p.item
        )
    assert slots_reopen(actor=SYSTEM, slot_id=first.pk) == 1
    assert first in open_slots(center=p.center)
    signed.refresh_from_db()
    assert signed.status == BookingStatus.CANCELLED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "appointments.slot_close",
        "appointments.slot_reopen",
        "appointments.booking_cancel_by_centre",
    } <= actions


def test_closing_a_day_closes_every_slot_and_needs_a_reason(upcoming):
    p = upcoming
    day = future_slots(p)[-1].starts_at.astimezone().date()
    with pytest.raises(ValidationError) as err:
        slots_close(actor=SYSTEM, schedule_id=p.schedule.pk, day=day, reason=" ")
    assert "reason" in err.value.message_dict
    slots_close(actor=SYSTEM, schedule_id=p.schedule.pk, day=day, reason="停电")
    same_day = [s for s in future_slots(p) if s.starts_at.astimezone().date() == day]
    assert same_day and all(s.is_closed for s in same_day)
    assert slots_reopen(actor=SYSTEM, schedule_id=p.schedule.pk, day=day) == len(same_day)


def test_closing_is_all_or_nothing(upcoming, monkeypatch):
    p = upcoming
    first = future_slots(p)[0]
    booking = booking_create(
        actor=p.resident.audit_label, applicant=p.resident, slot_id=first.pk, item=p.item
    )
    from sanyi.appointments.services import closing

    def broken(*args, **kwargs):
        raise RuntimeError("notice failed")

    monkeypatch.setattr(closing, "notify_applicant", broken)
    with pytest.raises(RuntimeError):
        slots_close(actor=SYSTEM, slot_id=first.pk, reason="检修")
    first.refresh_from_db()
    booking.refresh_from_db()
    assert not first.is_closed and first.booked == 1 and booking.status == BookingStatus.BOOKED


def test_the_clerk_may_not_close(upcoming):
    with pytest.raises(PermissionDenied):
        slots_close(actor=upcoming.clerk, slot_id=future_slots(upcoming)[0].pk, reason="x")
