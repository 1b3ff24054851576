"""Test data for appointments: a centre taking bookings and a resident."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sanyi.applicants.tests import factories as af
from sanyi.appointments.models import Schedule, Slot
from sanyi.appointments.services import schedule_create, slots_generate
from sanyi.catalog.tests import factories as cf
from sanyi.core.actors import SystemActor
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as of

SYSTEM = SystemActor("系统：测试")


@dataclass
class Place:
    district: Any
    sub: Any
    center: Any
    schedule: Schedule
    item: Any
    clerk: Any
    resident: Any


def place(capacity: int = 2) -> Place:
    district = of.district(uscc=of.unique_uscc())
    sub = of.unit(district, OrgKind.SUBDISTRICT, name="预约街道", uscc=of.unique_uscc())
    center = of.center(sub, windows=2, name="预约街道便民服务中心")
    schedule = schedule_create(
        actor=SYSTEM,
        center=center,
        name="综合窗口",
        opens=dt.time(9, 0),
        closes=dt.time(11, 0),
        slot_minutes=30,
        capacity=capacity,
        windows=center.windows.all(),
    )
    version = cf.item(unit=sub, status="published", name="居住证办理")
    clerk = of.staff(sub, Role.WINDOW_CLERK, window=center.windows.first())
    resident = af.person(phone="10012340000")
    return Place(
        district=district,
        sub=sub,
        center=center,
        schedule=schedule,
        item=version.implementation_item,
        clerk=clerk,
        resident=resident,
    )


def generate(p: Place, *, today: dt.date, weeks: int) -> int:
    return slots_generate(actor=SYSTEM, today=today, weeks=weeks, schedules=[p.schedule])


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def slot(p: Place, day: dt.date, hour: int, minute: int = 0) -> Slot:
    return Slot.objects.get(schedule=p.schedule, starts_at=at(day, hour, minute))


def future_slots(p: Place) -> list[Slot]:
    return list(
        Slot.objects.filter(schedule=p.schedule, starts_at__gt=timezone.now()).order_by("starts_at")
    )


def today_slot(p: Place) -> Slot:
    """A slot early today (made directly: the schedule may have none today), for the
    counter, which works on today's bookings whatever the hour."""
    start = at(timezone.localdate(), 0, 0)
    return Slot.objects.create(
        schedule=p.schedule,
        center=p.center,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        capacity=5,
    )


def book_today(p: Place, s: Slot, who: Any) -> Any:
    from sanyi.appointments.services import booking_create

    return booking_create(
        actor=who.audit_label,
        applicant=who,
        slot_id=s.pk,
        item=p.item,
        now=s.starts_at - dt.timedelta(hours=1),
    )


def center_booking(center: Any, item: Any, applicant: Any) -> Any:
    """A schedule at ``center`` and a booking of ``applicant`` for today (the authorisation
    matrix's world)."""
    schedule = schedule_create(
        actor=SYSTEM,
        center=center,
        name="综合窗口",
        opens=dt.time(9, 0),
        closes=dt.time(11, 0),
        slot_minutes=30,
        capacity=4,
    )
    start = at(timezone.localdate(), 0, 0)
    s = Slot.objects.create(
        schedule=schedule,
        center=center,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        capacity=4,
    )
    from sanyi.appointments.services import booking_create

    return booking_create(
        actor=applicant.audit_label,
        applicant=applicant,
        slot_id=s.pk,
        item=item,
        now=start - dt.timedelta(hours=1),
    )
