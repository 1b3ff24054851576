"""At the window: checking people in; after the slot: no-shows; the day before: reminders."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sanyi.appointments.models import Booking, BookingStatus
from sanyi.appointments.services._common import is_center_clerk, local_day, sms_send
from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor, actor_user
from sanyi.notify.services import notify_applicant

log = logging.getLogger(__name__)


def booking_check_in(*, actor: Actor, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """A window clerk of the centre checks the resident in on the day of the booking."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__center__org_unit")
            .filter(pk=booking_id)
            .first()
        )
        if booking is None or not is_center_clerk(actor, booking.slot.center):
            raise PermissionDenied("只有本中心的窗口人员可以签到")
        if booking.status != BookingStatus.BOOKED:
            raise ValidationError({"booking": f"这个预约{booking.get_status_display()}，不能签到"})
        if local_day(booking.slot.starts_at) != local_day(now):
            raise ValidationError({"booking": "只能在预约当天签到"})
        booking.status = BookingStatus.CHECKED_IN
        booking.checked_in_at = now
        booking.checked_in_by = actor_user(actor)
        booking.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
        audit_record(
            actor=actor,
            action="appointments.booking_check_in",
            obj=booking,
            object_repr=str(booking),
            changes={"status": [BookingStatus.BOOKED, BookingStatus.CHECKED_IN]},
        )
    return booking


def bookings_mark_no_show(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Bookings not checked in by the end of their slot become no-shows."""
    now = now or timezone.now()
    ids = list(
        Booking.objects.filter(status=BookingStatus.BOOKED, slot__ends_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    marked = 0
    for pk in ids:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=BookingStatus.BOOKED)
                .first()
            )
            if booking is None:
                continue
            booking.status = BookingStatus.NO_SHOW
            booking.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action="appointments.booking_no_show",
                obj=booking,
                object_repr=str(booking),
                changes={"status": [BookingStatus.BOOKED, BookingStatus.NO_SHOW]},
            )
            marked += 1
    return marked


def _reminder_text(booking: Booking) -> str:
    start = timezone.localtime(booking.slot.starts_at)
    return (
        f"您预约了明天{start:%m月%d日 %H:%M}在{booking.slot.center.name}办理"
        f"“{booking.item_name}”，预约码{booking.code}。如不能前来，请提前取消。"
    )


def bookings_remind(*, now: dt.datetime | None = None) -> int:
    """The day before: one message (inbox and SMS through the notify outbox) per booking;
    a phone booking (no profile, so no inbox) gets an SMS only, sent after the commit.
    Exactly once: the booking row is locked and marked in the same transaction as the
    outbox row, and the message carries a dedupe key."""
    now = now or timezone.now()
    tomorrow = local_day(now) + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    end = start + dt.timedelta(days=1)
    ids = list(
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            reminded_at__isnull=True,
            slot__starts_at__gte=start,
            slot__starts_at__lt=end,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("slot__center", "applicant")
                .filter(pk=pk, status=BookingStatus.BOOKED, reminded_at__isnull=True)
                .first()
            )
            if booking is None:
                continue
            if booking.applicant is None:  # a phone booking: SMS only, no inbox
                transaction.on_commit(partial(sms_send, booking.phone, _reminder_text(booking)))
            else:
                notify_applicant(
                    applicant=booking.applicant,
                    event="appointment.reminder",
                    subject="预约提醒",
                    body=_reminder_text(booking),
                    link=reverse("appointments:mine"),
                    obj=booking,
                    dedupe_key=f"appointment.reminder:{booking.pk}:{booking.slot_id}",
                    phone=booking.phone,
                )
            booking.reminded_at = now
            booking.save(update_fields=["reminded_at", "updated_at"])
            sent += 1
    return sent
