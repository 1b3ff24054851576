import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanyi.applicants.tests import factories as af
from sanyi.appointments.models import Booking, BookingStatus, Slot
from sanyi.appointments.services import (
    booking_cancel,
    booking_check_in,
    booking_create,
    booking_move,
    bookings_mark_no_show,
    bookings_remind,
    schedule_create,
)
from sanyi.audit.models import AuditEvent
from sanyi.catalog.tests import factories as cf
from sanyi.notify.models import OutboxMessage
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as of

from .factories import SYSTEM, at, slot

pytestmark = pytest.mark.django_db

FRI, SAT, SUN, MON, FRI2 = (dt.date(2026, 9, d) for d in (18, 19, 20, 21, 25))
BEFORE = at(dt.date(2026, 9, 17), 10)


def book(p, s, who=None, now=BEFORE, item=None):
    who = who or p.resident
    return booking_create(
        actor=who.audit_label, applicant=who, slot_id=s.pk, item=item or p.item, now=now
    )


def test_slots_follow_the_working_day_calendar(fixed):
    days = {s.starts_at.astimezone(at(FRI, 0).tzinfo).date() for s in Slot.objects.all()}
    assert FRI in days and MON in days
    assert SUN in days  # a make-up working day has slots
    assert SAT not in days  # a weekend has none
    assert FRI2 not in days  # nor has a holiday
    assert Slot.objects.filter(starts_at__date=MON).count() == 4  # 09:00 … 10:30


def test_generating_twice_adds_nothing_and_keeps_bookings(fixed):
    from .factories import generate

    book(fixed, slot(fixed, MON, 9))
    assert generate(fixed, today=FRI, weeks=1) == 0
    assert slot(fixed, MON, 9).booked == 1


def test_booking_gets_a_short_code_and_an_audit_row(fixed):
    b = book(fixed, slot(fixed, MON, 9))
    assert len(b.code) == 6 and b.code.isalnum() and b.code.isupper()
    assert b.item_name == "居住证办理"
    assert slot(fixed, MON, 9).booked == 1
    assert AuditEvent.objects.filter(action="appointments.booking_create").count() == 1


def test_a_full_slot_is_refused(fixed):
    s = slot(fixed, MON, 9)
    book(fixed, s, af.person())
    book(fixed, s, af.person())
    with pytest.raises(ValidationError, match="约满"):
        book(fixed, s)
    assert slot(fixed, MON, 9).booked == 2
    assert Booking.objects.count() == 2


def test_past_and_started_slots_are_refused(fixed):
    with pytest.raises(ValidationError, match="已过去"):
        book(fixed, slot(fixed, MON, 9), now=at(MON, 9, 10))
    assert not Booking.objects.exists()


def test_an_item_handled_elsewhere_is_refused(fixed):
    other = of.unit(fixed.district, OrgKind.SUBDISTRICT, name="别处街道", uscc=of.unique_uscc())
    of.center(other, windows=1)
    elsewhere = cf.item(unit=other, status="published").implementation_item
    with pytest.raises(ValidationError, match="不在这个服务中心"):
        book(fixed, slot(fixed, MON, 9), item=elsewhere)
    draft = cf.item(unit=fixed.sub).implementation_item
    with pytest.raises(ValidationError, match="没有发布"):
        book(fixed, slot(fixed, MON, 9), item=draft)


def test_one_live_booking_per_item_and_a_limit_per_resident(fixed, settings):
    book(fixed, slot(fixed, MON, 9))
    with pytest.raises(ValidationError, match="已预约过这个事项"):
        book(fixed, slot(fixed, MON, 10))
    settings.SANYI_APPOINTMENT_LIVE_LIMIT = 1
    other = cf.item(unit=fixed.sub, status="published").implementation_item
    with pytest.raises(ValidationError, match="未办理的预约"):
        book(fixed, slot(fixed, MON, 10), item=other)


def test_move_frees_the_old_place_and_takes_the_new(fixed):
    b = book(fixed, slot(fixed, MON, 9))
    booking_move(
        actor="x",
        applicant=fixed.resident,
        booking_id=b.pk,
        slot_id=slot(fixed, MON, 10).pk,
        now=BEFORE,
    )
    assert slot(fixed, MON, 9).booked == 0
    assert slot(fixed, MON, 10).booked == 1
    b.refresh_from_db()
    assert b.slot == slot(fixed, MON, 10)


def test_move_to_a_full_slot_changes_nothing(fixed):
    full = slot(fixed, MON, 10)
    book(fixed, full, af.person())
    book(fixed, full, af.person())
    b = book(fixed, slot(fixed, MON, 9))
    with pytest.raises(ValidationError, match="约满"):
        booking_move(
            actor="x", applicant=fixed.resident, booking_id=b.pk, slot_id=full.pk, now=BEFORE
        )
    assert slot(fixed, MON, 9).booked == 1
    b.refresh_from_db()
    assert b.slot == slot(fixed, MON, 9)


def test_only_the_owner_moves_or_cancels(fixed):
    b = book(fixed, slot(fixed, MON, 9))
    stranger = af.person()
    with pytest.raises(PermissionDenied):
        booking_cancel(actor="x", applicant=stranger, booking_id=b.pk, now=BEFORE)
    with pytest.raises(PermissionDenied):
        booking_move(
            actor="x",
            applicant=stranger,
            booking_id=b.pk,
            slot_id=slot(fixed, MON, 10).pk,
            now=BEFORE,
        )


def test_cancel_frees_the_place_once(fixed):
    b = book(fixed, slot(fixed, MON, 9))
    booking_cancel(actor="x", applicant=fixed.resident, booking_id=b.pk, now=BEFORE)
    assert slot(fixed, MON, 9).booked == 0
    with pytest.raises(ValidationError, match="已取消"):
        booking_cancel(actor="x", applicant=fixed.resident, booking_id=b.pk, now=BEFORE)
    assert slot(fixed, MON, 9).booked == 0


def test_check_in_by_the_centres_clerk_on_the_day(fixed):
    b = book(fixed, slot(fixed, MON, 9))
    with pytest.raises(ValidationError, match="当天"):
        booking_check_in(actor=fixed.clerk, booking_id=b.pk, now=BEFORE)
    outsider = of.staff(fixed.district, Role.APPROVER)
    with pytest.raises(PermissionDenied):
        booking_check_in(actor=outsider, booking_id=b.pk, now=at(MON, 9, 5))
    booking_check_in(actor=fixed.clerk, booking_id=b.pk, now=at(MON, 9, 5))
    b.refresh_from_db()
    assert b.status == BookingStatus.CHECKED_IN and b.checked_in_by == fixed.clerk
    assert AuditEvent.objects.filter(action="appointments.booking_check_in").count() == 1


def test_no_shows_after_the_slot_and_the_booking_limit(fixed, settings):
    settings.SANYI_APPOINTMENT_NO_SHOW_LIMIT = 2
    settings.SANYI_APPOINTMENT_LIVE_LIMIT = 5
    items = [fixed.item] + [
        cf.item(unit=fixed.sub, status="published").implementation_item for _ in range(2)
    ]
    b1 = book(fixed, slot(fixed, MON, 9), item=items[0])
    b2 = book(fixed, slot(fixed, MON, 10), item=items[1])
    assert bookings_mark_no_show(actor=SYSTEM, now=at(MON, 9, 29)) == 0
    assert bookings_mark_no_show(actor=SYSTEM, now=at(MON, 10, 30)) == 2
    assert {b.status for b in Booking.objects.filter(pk__in=[b1.pk, b2.pk])} == {"no_show"}
    with pytest.raises(ValidationError, match="2次预约未到"):
        book(fixed, slot(fixed, dt.date(2026, 9, 22), 9), item=items[2], now=at(MON, 12))


def test_the_reminder_goes_once_the_day_before(fixed):
    b = book(fixed, slot(fixed, MON, 9))
    assert bookings_remind(now=at(dt.date(2026, 9, 19), 16)) == 0  # two days before
    sunday = at(SUN, 16)
    assert bookings_remind(now=sunday) == 1
    assert bookings_remind(now=sunday) == 0
    sms = OutboxMessage.objects.filter(channel="sms")
    assert sms.count() == 1 and sms.get().address == "10012340000"
    assert b.code in sms.get().message.body


def test_schedule_is_checked(place):
    with pytest.raises(ValidationError) as exc:
        schedule_create(
            actor=SYSTEM,
            center=place.center,
            name="下午",
            opens=dt.time(14),
            closes=dt.time(13),
            slot_minutes=2,
            capacity=0,
        )
    assert set(exc.value.message_dict) == {"closes", "slot_minutes", "capacity"}
    with pytest.raises(PermissionDenied):
        schedule_create(
            actor=place.clerk,
            center=place.center,
            name="下午",
            opens=dt.time(13),
            closes=dt.time(14),
        )
