"""Demo appointments: every active service centre takes bookings for its comprehensive
windows, slots are published for two weeks, and a few residents booked for today (or the
next working day when today is a holiday). Runs after the applicants and catalogue demos;
every write goes through the services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.appointments import selectors
from sanyi.appointments.models import Schedule, Slot
from sanyi.appointments.services import booking_create, schedule_create, slots_generate
from sanyi.core.demo import DemoResult
from sanyi.orgs.models import ServiceCenter


def is_loaded() -> bool:
    return Schedule.objects.exists()


def _first_day_with_slots(center: ServiceCenter) -> dt.date | None:
    first = (
        Slot.objects.filter(center=center, starts_at__date__gte=timezone.localdate())
        .order_by("starts_at")
        .first()
    )
    return timezone.localtime(first.starts_at).date() if first else None


def load(*, actor, rng) -> DemoResult:
    centers = list(ServiceCenter.objects.filter(is_active=True).select_related("org_unit"))
    for center in centers:
        schedule_create(
            actor=actor,
            center=center,
            name="综合窗口",
            opens=dt.time(9, 0),
            closes=dt.time(11, 30),
            slot_minutes=30,
            capacity=3,
            windows=center.windows.filter(is_active=True),
        )
        schedule_create(
            actor=actor,
            center=center,
            name="综合窗口（下午）",
            opens=dt.time(13, 30),
            closes=dt.time(17, 0),
            slot_minutes=30,
            capacity=3,
            windows=center.windows.filter(is_active=True),
        )
    added = slots_generate(actor=actor)
    people = list(Applicant.objects.order_by("pk")[:12])
    booked = 0
    for center in centers:
        items = selectors.items_at(center)
        day = _first_day_with_slots(center)
        if not items or day is None or not people:
            continue
        morning = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        slots = list(Slot.objects.filter(center=center, starts_at__date=day).order_by("starts_at"))
        for n in range(min(3, len(people))):
            person = people[(booked + n) % len(people)]
            item, _ = items[rng.randrange(len(items))]
            slot = slots[rng.randrange(len(slots))]
            try:
                booking_create(
                    actor=person.audit_label,
                    applicant=person,
                    slot_id=slot.pk,
                    item=item,
                    now=morning,
                )
            except ValidationError:  # e.g. already booked this item: skip
                continue
            booked += 1
    return DemoResult(summary=f"预约：{len(centers)}个服务中心，{added}个时段，{booked}个预约")
