"""Closing a slot or a whole day of a schedule (and opening it again). Closing cancels the
bookings made there and tells each resident: an in-app notice with SMS for a signed-in
booking, an SMS for a phone booking; the places are not offered again until reopened."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sanyi.appointments.models import Booking, BookingStatus, Slot
from sanyi.appointments.services._common import may_manage_schedules, sms_send
from sanyi.appointments.services.publishing import DENIED
from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor
from sanyi.notify.services import notify_applicant


def _day_range(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _locked_slots(
    *,
    actor: Actor,
    slot_id: int | None = None,
    schedule_id: int | None = None,
    day: dt.date | None = None,
) -> list[Slot]:
    """The slots named (one slot, or a schedule's day), locked in id order, after the
    permission check on their centre."""
    qs = Slot.objects.select_for_update(of=("self",)).select_related("center__org_unit", "schedule")
    if slot_id is not None:
        qs = qs.filter(pk=slot_id)
    elif schedule_id is None or day is None:
        raise ValidationError({"day": "请选择要关闭或开放的日期"})
    else:
        start, end = _day_range(day)
        qs = qs.filter(schedule_id=schedule_id, starts_at__gte=start, starts_at__lt=end)
    slots = list(qs.order_by("pk"))
    if not slots:
        raise ValidationError({"slot": "没有这个时段" if slot_id else "这一天没有发布时段"})
    if not may_manage_schedules(actor, slots[0].center):
        raise PermissionDenied(DENIED)
    return slots


def _notice(booking: Booking, slot: Slot, reason: str) -> None:
    start = timezone.localtime(slot.starts_at)
    text = (
        f"很抱歉，{slot.center.name}{start:%m月%d日 %H:%M}的预约时段已关闭（{reason}），"
        f"您办理“{booking.item_name}”的预约（预约码{booking.code}）已取消，请重新预约其他时段。"
    )
    if booking.applicant is None:
        transaction.on_commit(partial(sms_send, booking.phone, text))
        return
    notify_applicant(
        applicant=booking.applicant,
        event="appointment.cancelled_by_centre",
        subject="预约时段已关闭",
        body=text,
        link=reverse("appointments:mine"),
        obj=booking,
        dedupe_key=f"appointment.closed:{booking.pk}:{slot.pk}",
        phone=booking.phone,
    )


def _close(actor: Actor, slots: list[Slot], reason: str, now: dt.datetime) -> int:
    """Close the open future slots of ``slots``; returns how many bookings were cancelled."""
    cancelled = 0
    for slot in slots:
        if slot.closed_at is not None or slot.starts_at <= now:
            continue
        bookings = list(
            Booking.objects.select_for_update(of=("self",))
            .select_related("applicant")
            .filter(slot=slot, status=BookingStatus.BOOKED)
            .order_by("pk")
        )
        for booking in bookings:
            booking.status = BookingStatus.CANCELLED
            booking.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action="appointments.booking_cancel_by_centre",
                obj=booking,
                object_repr=str(booking),
                changes={"status": [BookingStatus.BOOKED, BookingStatus.CANCELLED]},
            )
            _notice(booking, slot, reason)
        slot.booked -= len(bookings)
        slot.closed_at, slot.closed_reason = now, reason[:200]
        slot.save(update_fields=["booked", "closed_at", "closed_reason"])
        audit_record(
            actor=actor,
            action="appointments.slot_close",
            obj=slot,
            object_repr=str(slot),
            changes={"reason": reason, "bookings_cancelled": len(bookings)},
        )
        cancelled += len(bookings)
    return cancelled


def slots_close(
    *,
    actor: Actor,
    reason: str,
    slot_id: int | None = None,
    schedule_id: int | None = None,
    day: dt.date | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Close one slot (``slot_id``) or every slot of a schedule's day (``schedule_id`` and
    ``day``) that has not started. Their bookings are cancelled and each resident is told;
    returns how many bookings were cancelled. All or nothing."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写关闭原因（会告诉已预约的群众）"})
    with transaction.atomic():
        slots = _locked_slots(actor=actor, slot_id=slot_id, schedule_id=schedule_id, day=day)
        if all(s.starts_at <= now for s in slots):
            raise ValidationError({"slot": "时段已经开始或已过去，不能关闭"})
        if all(s.closed_at is not None for s in slots):
            raise ValidationError({"slot": "已经关闭了"})
        return _close(actor, slots, reason, now)


def slots_reopen(
    *,
    actor: Actor,
    slot_id: int | None = None,
    schedule_id: int | None = None,
    day: dt.date | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Open closed slots that have not started again (bookings cancelled at the closing
    stay cancelled); returns how many were reopened."""
    now = now or timezone.now()
    with transaction.atomic():
        slots = _locked_slots(actor=actor, slot_id=slot_id, schedule_id=schedule_id, day=day)
        reopened = [s for s in slots if s.closed_at is not None and s.starts_at > now]
        if not reopened:
            raise ValidationError({"slot": "没有可以重新开放的时段（未关闭或已过去）"})
        for slot in reopened:
            slot.closed_at, slot.closed_reason = None, ""
            slot.save(update_fields=["closed_at", "closed_reason"])
            audit_record(
                actor=actor,
                action="appointments.slot_reopen",
                obj=slot,
                object_repr=str(slot),
                changes={"closed": [True, False]},
            )
    return len(reopened)
