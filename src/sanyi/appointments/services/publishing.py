"""Running a schedule from the workbench: its weekly pattern, publishing its slots for a
date range, and closing or reopening a slot or a whole day (residents booked there are
told). Every write is one transaction with its audit rows; notices go out on commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.appointments.models import Schedule, Slot
from sanyi.appointments.services._common import may_manage_schedules
from sanyi.audit.services import audit_record
from sanyi.calendar.selectors import is_workday
from sanyi.core.actors import Actor

# The longest range published in one go (a quarter).
MAX_PUBLISH_DAYS = 92
DENIED = "只有本中心的系统管理员可以设置预约时间"
WEEKDAY_NAMES = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六", "7": "日"}


def clean_weekdays(days: Iterable[str | int]) -> str:
    """The pattern as sorted ISO weekday digits ("135"); an error when empty or invalid."""
    digits = sorted({str(d) for d in days})
    if not digits or any(d not in WEEKDAY_NAMES for d in digits):
        raise ValidationError({"weekdays": "请至少选择星期几中的一天"})
    return "".join(digits)


def weekdays_label(weekdays: str) -> str:
    return "、".join(f"星期{WEEKDAY_NAMES[d]}" for d in weekdays)


def pattern_has(schedule: Schedule, day: dt.date) -> bool:
    """Whether the schedule publishes slots on ``day``: a working day of the calendar
    (holidays never) whose weekday is in the pattern; a make-up working day on a weekend
    (调休上班) counts as a weekday when the pattern covers Monday to Friday."""
    if not is_workday(day):
        return False
    weekday = str(day.isoweekday())
    if weekday in schedule.weekdays:
        return True
    return weekday in "67" and set("12345") <= set(schedule.weekdays)


def day_slots(schedule: Schedule, day: dt.date) -> list[Slot]:
    step = dt.timedelta(minutes=schedule.slot_minutes)
    start = timezone.make_aware(dt.datetime.combine(day, schedule.opens))
    close = timezone.make_aware(dt.datetime.combine(day, schedule.closes))
    out = []
    while start + step <= close:
        out.append(
            Slot(
                schedule=schedule,
                center_id=schedule.center_id,
                starts_at=start,
                ends_at=start + step,
                capacity=schedule.capacity,
            )
        )
        start += step
    return out


def add_missing_slots(schedule: Schedule, days: Iterable[dt.date]) -> int:
    """Insert the pattern's slots of ``days`` that do not exist yet; returns how many."""
    wanted = [s for d in days if pattern_has(schedule, d) for s in day_slots(schedule, d)]
    have = set(
        Slot.objects.filter(
            schedule=schedule, starts_at__in=[s.starts_at for s in wanted]
        ).values_list("starts_at", flat=True)
    )
    new = [s for s in wanted if s.starts_at not in have]
    Slot.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _managed(schedule_id: int, actor: Actor) -> Schedule:
    schedule = (
        Schedule.objects.select_for_update(of=("self",))
        .select_related("center__org_unit")
        .filter(pk=schedule_id)
        .first()
    )
    if schedule is None:
        raise ValidationError({"schedule": "没有这个预约时间表"})
    if not may_manage_schedules(actor, schedule.center):
        raise PermissionDenied(DENIED)
    return schedule


def slots_publish(
    *, actor: Actor, schedule_id: int, start: dt.date, end: dt.date, today: dt.date | None = None
) -> int:
    """Publish the schedule's slots from ``start`` to ``end`` (both included) on the days
    of its pattern; slots that exist stay as they are. Returns how many were added."""
    today = today or timezone.localdate()
    errors = {}
    if start < today:
        errors["start"] = "开始日期不能早于今天"
    if end < start:
        errors["end"] = "结束日期不能早于开始日期"
    elif (end - start).days >= MAX_PUBLISH_DAYS:
        errors["end"] = f"一次最多发布{MAX_PUBLISH_DAYS}天的时段"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        schedule = _managed(schedule_id, actor)
        if not schedule.is_active:
            raise ValidationError({"schedule": "这个时间表已暂停，请先恢复再发布时段"})
        days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
        added = add_missing_slots(schedule, days)
        audit_record(
            actor=actor,
            action="appointments.slots_publish",
            obj=schedule,
            object_repr=str(schedule),
            changes={"from": start.isoformat(), "to": end.isoformat(), "added": added},
        )
    return added


def _pattern_check(*, opens: dt.time, closes: dt.time, slot_minutes: int, capacity: int) -> None:
    errors = {}
    if opens >= closes:
        errors["closes"] = "结束时间须晚于开始时间"
    if not 5 <= slot_minutes <= 240:
        errors["slot_minutes"] = "每段分钟数须在5到240之间"
    if not 1 <= capacity <= 100:
        errors["capacity"] = "每段可约人数须在1到100之间"
    if errors:
        raise ValidationError(errors)


def schedule_update(
    *,
    actor: Actor,
    schedule_id: int,
    opens: dt.time,
    closes: dt.time,
    slot_minutes: int,
    capacity: int,
    weekdays: Iterable[str | int],
    now: dt.datetime | None = None,
) -> tuple[Schedule, list[Slot]]:
    """Change the weekly pattern. Hours and slot length apply to slots published from now
    on; the capacity also to the future slots already published, but never below a slot's
    bookings: those slots keep as many places as they have bookings and are returned, so
    the caller can say so."""
    now = now or timezone.now()
    pattern = clean_weekdays(weekdays)
    _pattern_check(opens=opens, closes=closes, slot_minutes=slot_minutes, capacity=capacity)
    with transaction.atomic():
        schedule = _managed(schedule_id, actor)
        before = {
            "hours": f"{schedule.opens:%H:%M}-{schedule.closes:%H:%M}",
            "slot_minutes": schedule.slot_minutes,
            "capacity": schedule.capacity,
            "weekdays": schedule.weekdays,
        }
        schedule.opens, schedule.closes = opens, closes
        schedule.slot_minutes, schedule.capacity, schedule.weekdays = (
            slot_minutes,
            capacity,
            pattern,
        )
        schedule.save(update_fields=["opens", "closes", "slot_minutes", "capacity", "weekdays"])
        future = list(
            Slot.objects.select_for_update()
            .filter(schedule=schedule, starts_at__gt=now)
            .order_by("pk")
        )
        kept = [s for s in future if s.booked > capacity]
        for slot in future:
            slot.capacity = max(capacity, slot.booked)
        Slot.objects.bulk_update(future, ["capacity"])
        after = {
            "hours": f"{opens:%H:%M}-{closes:%H:%M}",
            "slot_minutes": slot_minutes,
            "capacity": capacity,
            "weekdays": pattern,
        }
        audit_record(
            actor=actor,
            action="appointments.schedule_update",
            obj=schedule,
            object_repr=str(schedule),
            changes={
                **{k: [before[k], after[k]] for k in after if before[k] != after[k]},
                "slots_kept_above_capacity": len(kept),
            },
        )
    return schedule, kept
