"""A resident books, moves and cancels a slot (lock the slot, check, change, audit)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.appointments.models import Booking, BookingStatus, Slot
from sanyi.appointments.services._common import live_limit, no_show_days, no_show_limit
from sanyi.audit.services import audit_record
from sanyi.catalog.models import ImplementationItem
from sanyi.catalog.public import centers_for
from sanyi.catalog.selectors import published_version
from sanyi.core.ids import mask_phone

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out at the window
FULL = "这个时段已约满，请选择其他时段"
PAST = "这个时段已经开始或已过去，请选择以后的时段"
CLOSED = "这个时段已关闭，请选择其他时段"
NOT_YOURS = "没有找到这个预约"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def _item_name(item: ImplementationItem, slot: Slot) -> str:
    """The item's published name, when the item is handled at the slot's centre."""
    version = published_version(implementation_item=item)
    if version is None:
        raise ValidationError({"item": "这个事项目前没有发布，不能预约"})
    if slot.center_id not in {c.pk for c in centers_for(item.implementing_unit)}:
        raise ValidationError({"item": "这个事项不在这个服务中心办理，请选择其他中心"})
    return item.base_item.name


def _open_slot(slot_id: int, *, now: dt.datetime) -> Slot:
    """The slot, locked (SELECT … FOR UPDATE), still to come and with a free place."""
    slot = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("center", "schedule")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None or not slot.center.is_active or not slot.schedule.is_active:
        raise ValidationError({"slot": "没有这个时段"})
    if slot.starts_at <= now:
        raise ValidationError({"slot": PAST})
    if slot.closed_at is not None:
        raise ValidationError({"slot": CLOSED})
    if slot.booked >= slot.capacity:
        raise ValidationError({"slot": FULL})
    return slot


def _resident_check(applicant: Applicant | None, *, now: dt.datetime, phone: str = "") -> None:
    """The limits on one resident (the profile, or for a phone booking the mobile):
    repeated no-shows and bookings held at once."""
    mine = (
        Booking.objects.filter(applicant=applicant)
        if applicant is not None
        else Booking.objects.filter(applicant__isnull=True, phone=phone)
    )
    since = now - dt.timedelta(days=no_show_days())
    missed = mine.filter(status=BookingStatus.NO_SHOW, slot__starts_at__gte=since).count()
    if missed >= no_show_limit():
        raise ValidationError(
            {
                "slot": f"您近{no_show_days()}天有{missed}次预约未到，暂时不能在网上预约，"
                "可以直接到窗口办理"
            }
        )
    live = mine.filter(status=BookingStatus.BOOKED).count()
    if live >= live_limit():
        raise ValidationError({"slot": f"您已有{live}个未办理的预约，请先办理或取消其中一个再预约"})


def booking_create(
    *,
    actor: str,
    applicant: Applicant,
    slot_id: int,
    item: ImplementationItem,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a place in a slot for an item. Exactly ``capacity`` bookings of a slot succeed,
    however many residents race for it: the slot row is locked while its count changes,
    and the database refuses a count above the capacity."""
    now = now or timezone.now()
    with transaction.atomic():
        _resident_check(applicant, now=now)
        slot = _open_slot(slot_id, now=now)
        name = _item_name(item, slot)
        if Booking.objects.filter(
            applicant=applicant, implementation_item=item, status=BookingStatus.BOOKED
        ).exists():
            raise ValidationError({"item": "您已预约过这个事项，可以在“我的预约”里改约"})
        slot.booked += 1
        slot.save(update_fields=["booked"])
        booking = _insert(
            slot=slot, applicant=applicant, item=item, name=name, phone=applicant.phone
        )
        audit_record(
            actor=actor,
            action="appointments.booking_create",
            obj=booking,
            object_repr=str(booking),
            changes={"slot": str(slot), "item": name, "phone": mask_phone(booking.phone)},
        )
    return booking


def _insert(
    *,
    slot: Slot,
    applicant: Applicant | None,
    item: ImplementationItem,
    name: str,
    phone: str,
    person: str = "",
) -> Booking:
    for _ in range(10):
        try:
            with transaction.atomic():
                return Booking.objects.create(
                    code=_new_code(),
                    slot=slot,
                    applicant=applicant,
                    implementation_item=item,
                    item_name=name[:200],
                    phone=phone,
                    name=person,
                )
        except IntegrityError:  # the code was taken: draw another
            continue
    raise RuntimeError("no free booking code after 10 draws")


def _own_live(booking_id: int, applicant: Applicant | None, *, now: dt.datetime) -> Booking:
    """The live booking, locked, when it is the applicant's (None: a phone booking, whose
    caller has checked its code and the mobile's last four digits)."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot")
        .filter(pk=booking_id)
        .first()
    )
    owner = applicant.pk if applicant is not None else None
    if booking is None or booking.applicant_id != owner:
        raise PermissionDenied(NOT_YOURS)
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError({"booking": f"这个预约{booking.get_status_display()}，不能再改动"})
    if booking.slot.starts_at <= now:
        raise ValidationError({"booking": "预约的时段已经开始，不能再改约或取消"})
    return booking


def booking_move(
    *,
    actor: str,
    applicant: Applicant | None,
    booking_id: int,
    slot_id: int,
    now: dt.datetime | None = None,
) -> Booking:
    """Move the resident's booking to another slot of the same centre (same checks)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _own_live(booking_id, applicant, now=now)
        if slot_id == booking.slot_id:
            raise ValidationError({"slot": "请选择另一个时段"})
        # Both slots are locked in id order, so two moves in opposite directions never
        # wait on each other.
        locked = {
            s.pk: s
            for s in Slot.objects.select_for_update()
            .filter(pk__in=[booking.slot_id, slot_id])
            .order_by("pk")
        }
        new = _open_slot(slot_id, now=now)
        if new.center_id != booking.slot.center_id:
            raise ValidationError({"slot": "只能改约到同一个服务中心的时段"})
        old = locked[booking.slot_id]
        old.booked -= 1
        old.save(update_fields=["booked"])
        new.booked += 1
        new.save(update_fields=["booked"])
        booking.slot = new
        booking.reminded_at = None
        booking.save(update_fields=["slot", "reminded_at", "updated_at"])
        audit_record(
            actor=actor,
            action="appointments.booking_move",
            obj=booking,
            object_repr=str(booking),
            changes={"slot": [str(old), str(new)]},
        )
    return booking


def booking_cancel(
    *, actor: str, applicant: Applicant | None, booking_id: int, now: dt.datetime | None = None
) -> Booking:
    """Cancel the resident's booking; its place is free again."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _own_live(booking_id, applicant, now=now)
        slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
        slot.booked -= 1
        slot.save(update_fields=["booked"])
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="appointments.booking_cancel",
            obj=booking,
            object_repr=str(booking),
            changes={"status": [BookingStatus.BOOKED, BookingStatus.CANCELLED]},
        )
    return booking
