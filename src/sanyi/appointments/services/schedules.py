"""Schedules of a centre and the slots they publish for the coming weeks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.appointments.models import Schedule
from sanyi.appointments.services._common import may_manage_schedules
from sanyi.appointments.services.publishing import add_missing_slots, clean_weekdays
from sanyi.audit.services import audit_record
from sanyi.calendar.selectors import is_workday
from sanyi.core.actors import Actor
from sanyi.orgs.models import ServiceCenter, Window

# How far ahead slots are published.
WEEKS_AHEAD = 2


def _schedule_check(
    *,
    center: ServiceCenter,
    name: str,
    opens: dt.time,
    closes: dt.time,
    slot_minutes: int,
    capacity: int,
    windows: Iterable[Window],
) -> None:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写窗口组名称"
    if opens >= closes:
        errors["closes"] = "结束时间须晚于开始时间"
    if slot_minutes < 5 or slot_minutes > 240:
        errors["slot_minutes"] = "每段分钟数须在5到240之间"
    if capacity < 1 or capacity > 100:
        errors["capacity"] = "每段可约人数须在1到100之间"
    if any(w.center_id != center.pk for w in windows):
        errors["windows"] = "窗口须属于这个服务中心"
    if Schedule.objects.filter(center=center, name=name.strip()).exists():
        errors["name"] = "这个服务中心已有同名的窗口组"
    if errors:
        raise ValidationError(errors)


def schedule_create(
    *,
    actor: Actor,
    center: ServiceCenter,
    name: str,
    opens: dt.time,
    closes: dt.time,
    slot_minutes: int = 30,
    capacity: int = 4,
    windows: Iterable[Window] = (),
    weekdays: Iterable[str | int] = "12345",
) -> Schedule:
    """A window group's appointment hours: from ``opens`` to ``closes`` on the working days
    of the weekly pattern ``weekdays`` (ISO digits, Monday to Friday by default)."""
    if not may_manage_schedules(actor, center):
        raise PermissionDenied("只有本中心的系统管理员可以设置预约时间")
    windows = list(windows)
    pattern = clean_weekdays(weekdays)
    _schedule_check(
        center=center,
        name=name,
        opens=opens,
        closes=closes,
        slot_minutes=slot_minutes,
        capacity=capacity,
        windows=windows,
    )
    with transaction.atomic():
        schedule = Schedule.objects.create(
            center=center,
            name=name.strip(),
            opens=opens,
            closes=closes,
            slot_minutes=slot_minutes,
            capacity=capacity,
            weekdays=pattern,
        )
        schedule.windows.set(windows)
        audit_record(
            actor=actor,
            action="appointments.schedule_create",
            obj=schedule,
            object_repr=str(schedule),
            changes={
                "hours": f"{opens:%H:%M}-{closes:%H:%M}",
                "slot_minutes": slot_minutes,
                "capacity": capacity,
                "weekdays": pattern,
            },
        )
    return schedule


def schedule_set_active(*, actor: Actor, schedule_id: int, active: bool) -> Schedule:
    """Pause a schedule (``active=False``) or take it up again. A paused schedule publishes
    no new slots and its free places are not offered; bookings already made stay valid."""
    with transaction.atomic():
        schedule = (
            Schedule.objects.select_for_update().select_related("center").filter(pk=schedule_id)
        ).first()
        if schedule is None:
            raise ValidationError({"schedule": "没有这个预约时间表"})
        if not may_manage_schedules(actor, schedule.center):
            raise PermissionDenied("只有本中心的系统管理员可以设置预约时间")
        if schedule.is_active == active:
            raise ValidationError(
                {"schedule": "这个时间表已经在用" if active else "这个时间表已经暂停"}
            )
        schedule.is_active = active
        schedule.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="appointments.schedule_resume" if active else "appointments.schedule_pause",
            obj=schedule,
            object_repr=str(schedule),
            changes={"is_active": [not active, active]},
        )
    return schedule


def slots_generate(
    *,
    actor: Actor,
    today: dt.date | None = None,
    weeks: int = WEEKS_AHEAD,
    schedules: Iterable[Schedule] | None = None,
) -> int:
    """Publish the slots of every active schedule for the working days from ``today`` to
    ``weeks`` weeks ahead (holidays have none, make-up working days do). Slots that exist
    stay as they are, with their bookings; returns how many were added."""
    today = today or timezone.localdate()
    days = [today + dt.timedelta(days=n) for n in range(weeks * 7 + 1)]
    workdays = [d for d in days if is_workday(d)]
    if schedules is None:
        schedules = Schedule.objects.filter(is_active=True, center__is_active=True)
    added = 0
    with transaction.atomic():
        for schedule in schedules:
            added += add_missing_slots(schedule, workdays)
        if added:
            audit_record(
                actor=actor,
                action="appointments.slots_generate",
                object_type="appointments.slot",
                object_repr=f"{today:%Y-%m-%d}起{weeks}周的预约时段",
                changes={"added": added},
            )
    return added
