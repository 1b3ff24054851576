"""Booking by mobile number without signing in: an SMS code (hashed, expiring, five tries,
rate-limited per mobile and per address), then the booking. It is looked at later with its
code and the mobile's last four digits, but moved or cancelled only with a fresh SMS code
sent to the booking's own mobile. Nothing here creates or changes an applicant
profile (ADR 0008): the booking only carries the name and mobile it was made with."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.applicants.services.profiles import MOBILE_RE, normalise_mobile
from sanyi.applicants.services.signin import RateLimited
from sanyi.appointments.models import Booking, BookingStatus, PhoneCode
from sanyi.appointments.services import bookings as b
from sanyi.appointments.services._common import sms_send
from sanyi.audit.services import audit_record
from sanyi.catalog.models import ImplementationItem
from sanyi.core.codes import code_hash, code_matches, new_code, new_salt, sms_signature
from sanyi.core.ids import mask_name, mask_phone
from sanyi.core.ratelimit import limit_wait

CODE_TTL = dt.timedelta(minutes=5)
MAX_TRIES = 5
WRONG_CODE = "验证码不正确或已失效，请检查后重新输入，或重新获取验证码"
NOT_FOUND = "预约码或手机号后四位不对，请检查后重新输入"
NOT_FOUND_FULL = "预约码或手机号不对，请检查后重新输入"


CODE_PURPOSE = "sanyi.appointments.phone"


def clean_mobile(phone: str) -> str:
    mobile = normalise_mobile(phone or "")
    if not MOBILE_RE.match(mobile):
        raise ValidationError({"phone": "请填写11位手机号码"})
    return mobile


def _check_rate(*, phone: str, ip: str | None, now: dt.datetime) -> None:
    """Raise ``RateLimited`` with the real wait: codes per mobile and per address per hour,
    and the shortest gap between two codes to one mobile (the applicants' settings)."""
    hour = dt.timedelta(hours=1)
    per_phone = int(getattr(settings, "SANYI_APPLICANT_CODES_PER_NUMBER", 5))
    per_ip = int(getattr(settings, "SANYI_APPLICANT_CODES_PER_IP", 20))
    gap = dt.timedelta(seconds=int(getattr(settings, "SANYI_APPLICANT_CODE_INTERVAL_SECONDS", 60)))
    recent = PhoneCode.objects.filter(created_at__gte=now - hour)
    waits = [
        limit_wait(recent.filter(phone=phone), per_phone, hour, now),
        limit_wait(recent.filter(phone=phone, created_at__gte=now - gap), 1, gap, now),
        limit_wait(recent.filter(ip=ip), per_ip, hour, now) if ip else None,
    ]
    reached = [w for w in waits if w is not None]
    if reached:
        raise RateLimited(max(reached))


def phone_code_request(*, phone: str, ip: str | None = None, now: dt.datetime | None = None) -> str:
    """Send a code to the mobile; returns the plain code (for the demo console provider
    and tests only: never stored). Raises ``RateLimited`` before anything is written."""
    now = now or timezone.now()
    mobile = clean_mobile(phone)
    _check_rate(phone=mobile, ip=ip, now=now)
    code, salt = new_code(), new_salt()
    PhoneCode.objects.create(
        phone=mobile,
        code_hash=code_hash(CODE_PURPOSE, salt, code),
        salt=salt,
        ip=ip,
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    sms_send(
        mobile,
        f"【{sms_signature()}】验证码{code}，用于办事预约，5分钟内有效。如非本人操作，请忽略。",
    )
    return code


def _use_code(mobile: str, code: str, *, now: dt.datetime) -> None:
    """Check the newest live code of the mobile and use it up; a wrong code counts a try
    (committed even though the caller's work is refused)."""
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone=mobile, used_at__isnull=True, expires_at__gt=now, tries__lt=MAX_TRIES)
            .order_by("-created_at")
            .first()
        )
        ok = row is not None and code_matches(CODE_PURPOSE, row.salt, row.code_hash, code)
        if row is not None:
            if ok:
                row.used_at = now
            else:
                row.tries += 1
            row.save(update_fields=["used_at", "tries"])
    if not ok:
        spent = row is not None and row.tries >= MAX_TRIES
        raise ValidationError({"code": "输错次数过多，请重新获取验证码" if spent else WRONG_CODE})


def phone_booking_create(
    *,
    name: str,
    phone: str,
    code: str,
    slot_id: int,
    item: ImplementationItem,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a slot with a name and a mobile confirmed by SMS code (same checks as a
    signed-in booking, the limits counted per mobile). The actor is the masked mobile."""
    now = now or timezone.now()
    mobile = clean_mobile(phone)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写姓名"})
    _use_code(mobile, code, now=now)
    actor = f"手机预约：{mask_phone(mobile)}"
    with transaction.atomic():
        b._resident_check(None, now=now, phone=mobile)
        slot = b._open_slot(slot_id, now=now)
        item_name = b._item_name(item, slot)
        if Booking.objects.filter(
            applicant__isnull=True,
            phone=mobile,
            implementation_item=item,
            status=BookingStatus.BOOKED,
        ).exists():
            raise ValidationError({"item": "这个手机号已预约过这个事项，可以凭预约码改约"})
        slot.booked += 1
        slot.save(update_fields=["booked"])
        booking = b._insert(
            slot=slot, applicant=None, item=item, name=item_name, phone=mobile, person=name[:60]
        )
        audit_record(
            actor=actor,
            action="appointments.booking_create",
            obj=booking,
            object_repr=str(booking),
            changes={"slot": str(slot), "item": item_name, "name": mask_name(name)},
        )
        text = (
            f"您已预约{slot}办理{item_name}，预约码{booking.code}，"
            "凭预约码和手机号可查看，改约或取消时会再发验证码。"
        )
        transaction.on_commit(lambda: sms_send(mobile, text))
    return booking


def phone_booking_find(*, code: str, last4: str) -> Booking:
    """The phone booking with this code whose mobile ends in ``last4``."""
    booking = (
        Booking.objects.select_related("slot__center", "slot__schedule")
        .filter(code=(code or "").strip().upper(), applicant__isnull=True)
        .first()
    )
    if booking is None or len(last4 or "") != 4 or not booking.phone.endswith(last4):
        raise PermissionDenied(NOT_FOUND)
    return booking


def phone_change_code_request(
    *, code: str, last4: str, ip: str | None = None, now: dt.datetime | None = None
) -> str:
    """Send a fresh code to the mobile of the phone booking ``code`` (found with the last
    four digits), for moving or cancelling it; same rate limits as any appointment code."""
    booking = phone_booking_find(code=code, last4=last4)
    return phone_code_request(phone=booking.phone, ip=ip, now=now)


def phone_booking_change(
    *,
    code: str,
    sms_code: str,
    phone: str | None = None,
    last4: str | None = None,
    slot_id: int | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Move the phone booking to ``slot_id``, or cancel it when no slot is given (before
    the slot starts). The booking is named by its code and the mobile (in full, or its last
    four digits); the change needs a fresh SMS code sent to that mobile, used up here (a
    wrong code counts a try). Audited with the masked mobile as actor."""
    now = now or timezone.now()
    if phone is not None:
        # The code is checked first: without the mobile in hand nothing is learnt about
        # which booking codes exist.
        mobile = clean_mobile(phone)
        _use_code(mobile, sms_code, now=now)
        found = (
            Booking.objects.filter(code=(code or "").strip().upper(), applicant__isnull=True)
            .only("pk", "phone")
            .first()
        )
        if found is None or found.phone != mobile:
            raise PermissionDenied(NOT_FOUND_FULL)
    else:
        found = phone_booking_find(code=code, last4=last4 or "")
        _use_code(found.phone, sms_code, now=now)
    actor = f"手机预约：{mask_phone(found.phone)}"
    # The services lock, check and audit; the owner is the booking's own (empty) applicant.
    with transaction.atomic():
        if slot_id is None:
            return b.booking_cancel(actor=actor, applicant=None, booking_id=found.pk, now=now)
        return b.booking_move(
            actor=actor, applicant=None, booking_id=found.pk, slot_id=slot_id, now=now
        )


def phone_booking_lookup(*, code: str, phone: str) -> Booking:
    """The phone booking with this code made with this mobile (in full): the API's look-up.
    Any mismatch is the same refusal, so neither codes nor mobiles can be probed apart."""
    mobile = normalise_mobile(phone or "")
    booking = (
        Booking.objects.select_related("slot__center", "slot__schedule", "implementation_item")
        .filter(code=(code or "").strip().upper(), applicant__isnull=True)
        .first()
    )
    if booking is None or not MOBILE_RE.match(mobile) or booking.phone != mobile:
        raise PermissionDenied(NOT_FOUND_FULL)
    return booking


def phone_codes_purge(*, now: dt.datetime | None = None) -> int:
    """Delete codes older than a day (the rate limits look back one hour): the mobile
    numbers they carry are not kept. Returns how many were deleted."""
    now = now or timezone.now()
    deleted, _ = PhoneCode.objects.filter(created_at__lt=now - dt.timedelta(days=1)).delete()
    return deleted
