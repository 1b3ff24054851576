"""Pausing a schedule: audited, only by the system or the centre's system administrator;
a paused schedule offers no places and publishes no slots; bookings made stay."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from sanyi.appointments.models import BookingStatus, Schedule, Slot
from sanyi.appointments.selectors import open_slots
from sanyi.appointments.services import booking_create, schedule_set_active, slots_generate
from sanyi.audit.models import AuditEvent
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

from .factories import SYSTEM, future_slots

pytestmark = pytest.mark.django_db


def test_pause_hides_places_keeps_bookings_and_resume_brings_them_back(upcoming):
    p = upcoming
    first, second = future_slots(p)[:2]
    booking = booking_create(
        actor=p.resident.audit_label, applicant=p.resident, slot_id=first.pk, item=p.item
    )
    schedule_set_active(actor=SYSTEM, schedule_id=p.schedule.pk, active=False)
    assert not open_slots(center=p.center).exists()
    with pytest.raises(ValidationError):
        booking_create(
            actor=p.resident.audit_label, applicant=p.resident, slot_id=second.pk, item=p.item
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    before = Slot.objects.count()
    assert slots_generate(actor=SYSTEM, weeks=3) == 0 and Slot.objects.count() == before
    assert AuditEvent.objects.filter(action="appointments.schedule_pause").count() == 1
    with pytest.raises(ValidationError):
        schedule_set_active(actor=SYSTEM, schedule_id=p.schedule.pk, active=False)
    schedule_set_active(actor=SYSTEM, schedule_id=p.schedule.pk, active=True)
    assert open_slots(center=p.center).exists()
    assert AuditEvent.objects.filter(action="appointments.schedule_resume").count() == 1


def test_only_the_centres_system_admin_may_pause(upcoming):
    p = upcoming
    with pytest.raises(PermissionDenied):
        schedule_set_active(actor=p.clerk, schedule_id=p.schedule.pk, active=False)
    admin = of.staff(p.center.org_unit, Role.SYSTEM_ADMIN)
    schedule_set_active(actor=admin, schedule_id=p.schedule.pk, active=False)
    assert not Schedule.objects.get(pk=p.schedule.pk).is_active


def test_command_pauses_and_resumes(place):
    out = StringIO()
    call_command("appointments", "pause", "--schedule", str(place.schedule.pk), stdout=out)
    assert "已暂停" in out.getvalue()
    assert not Schedule.objects.get(pk=place.schedule.pk).is_active
    call_command(
        "appointments", "pause", "--schedule", str(place.schedule.pk), "--resume", stdout=out
    )
    assert Schedule.objects.get(pk=place.schedule.pk).is_active
    with pytest.raises(CommandError, match="没有这个预约时间表"):
        call_command("appointments", "pause", "--schedule", "999999")
