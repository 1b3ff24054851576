"""The public API for booking by mobile: code, book, look up, move and cancel, each
change with a fresh SMS code, every mismatch the same 404, throttled."""

import datetime as dt
import re

import pytest
from django.db.models import F
from rest_framework.test import APIClient

from sanyi.appointments.models import Booking, BookingStatus, PhoneCode

from .factories import future_slots

pytestmark = pytest.mark.django_db
BASE = "/api/v1/appointments/phone"
MOBILE = "13912345678"


def code_for(client, memory_sms, mobile=MOBILE):
    # Earlier codes a few minutes back: the 60-second gap does not apply here.
    PhoneCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    r = client.post(f"{BASE}/code/", {"phone": mobile}, format="json")
    assert r.status_code == 202, r.content
    return re.search(r"验证码(\d{6})", memory_sms.sent[-1].text).group(1)


def book(client, upcoming, memory_sms, slot=None):
    return client.post(
        f"{BASE}/bookings/",
        {
            "name": "王小明",
            "phone": MOBILE,
            "sms_code": code_for(client, memory_sms),
            "slot": (slot or future_slots(upcoming)[0]).pk,
            "implementation_code": upcoming.item.implementation_code,
        },
        format="json",
    )


def test_book_look_up_move_and_cancel(upcoming, memory_sms):
    client = APIClient()
    r = book(client, upcoming, memory_sms)
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    found = client.post(f"{BASE}/bookings/lookup/", {"code": code, "phone": MOBILE}, format="json")
    assert found.status_code == 200 and found.json()["code"] == code
    other = future_slots(upcoming)[1]
    moved = client.post(
        f"{BASE}/bookings/move/",
        {"code": code, "phone": MOBILE, "sms_code": code_for(client, memory_sms), "slot": other.pk},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["slot"] == other.pk
    cancelled = client.post(
        f"{BASE}/bookings/cancel/",
        {"code": code, "phone": MOBILE, "sms_code": code_for(client, memory_sms)},
        format="json",
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == BookingStatus.CANCELLED


def test_change_without_a_fresh_code_is_refused(upcoming, memory_sms):
    client = APIClient()
    code = book(client, upcoming, memory_sms).json()["code"]
    r = client.post(
        f"{BASE}/bookings/cancel/",
        {"code": code, "phone": MOBILE, "sms_code": "5678"},
        format="json",
    )
    assert r.status_code == 400 and "验证码不正确" in r.content.decode()
    assert Booking.objects.get(code=code).status == BookingStatus.BOOKED


def test_mismatches_are_one_and_the_same_404(upcoming, memory_sms):
    client = APIClient()
    code = book(client, upcoming, memory_sms).json()["code"]
    wrong_phone = client.post(
        f"{BASE}/bookings/lookup/", {"code": code, "phone": "13800000000"}, format="json"
    )
    wrong_code = client.post(
        f"{BASE}/bookings/lookup/", {"code": "ZZZZZZ", "phone": MOBILE}, format="json"
    )
    assert wrong_phone.status_code == wrong_code.status_code == 404
    assert wrong_phone.json()["detail"] == wrong_code.json()["detail"]
    # a stranger's own fresh code does not reach someone else's booking
    stranger = code_for(client, memory_sms, "13800000000")
    r = client.post(
        f"{BASE}/bookings/cancel/",
        {"code": code, "phone": "13800000000", "sms_code": stranger},
        format="json",
    )
    assert r.status_code == 404
    assert Booking.objects.get(code=code).status == BookingStatus.BOOKED


def test_codes_keep_their_limits(upcoming):
    client = APIClient()
    first = client.post(f"{BASE}/code/", {"phone": MOBILE}, format="json")
    again = client.post(f"{BASE}/code/", {"phone": MOBILE}, format="json")
    assert first.status_code == 202 and again.status_code == 429
    assert "后再试" in again.json()["detail"]


def test_lookups_are_throttled_per_address(upcoming, monkeypatch):
    from django.core.cache import cache

    from sanyi.core.throttles import PublicFormThrottle

    monkeypatch.setitem(PublicFormThrottle.THROTTLE_RATES, "public_form", "2/minute")
    cache.clear()
    client = APIClient()
    answers = [
        client.post(
            f"{BASE}/bookings/lookup/", {"code": "ABCDEF", "phone": MOBILE}, format="json"
        ).status_code
        for _ in range(3)
    ]
    assert answers == [404, 404, 429]
