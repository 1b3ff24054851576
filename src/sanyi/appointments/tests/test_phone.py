"""Booking by mobile without signing in: SMS codes (hashed, five tries, rate limits with
the real wait), the booking, finding it by code and last four digits, moving and
cancelling, the pages without JavaScript and the masked staff view."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.applicants.services.signin import RateLimited
from sanyi.appointments.models import Booking, BookingStatus, PhoneCode
from sanyi.appointments.services import (
    bookings_remind,
    phone_booking_change,
    phone_booking_create,
    phone_booking_find,
    phone_change_code_request,
    phone_code_request,
)
from sanyi.audit.models import AuditEvent

from .factories import future_slots

pytestmark = pytest.mark.django_db
MOBILE = "13912345678"


def book(p, *, slot=None, name="王小明", mobile=MOBILE):
    # Earlier codes a few minutes back: the 60-second interval does not apply here.
    PhoneCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    code = phone_code_request(phone=mobile, ip="10.0.0.1")
    return phone_booking_create(
        name=name, phone=mobile, code=code, slot_id=(slot or future_slots(p)[0]).pk, item=p.item
    )


def last_code(memory_sms):
    return re.search(r"验证码(\d{6})", memory_sms.sent[-1].text).group(1)


def test_code_is_stored_hashed_and_sent(upcoming, memory_sms):
    code = phone_code_request(phone=MOBILE)
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and row.phone == MOBILE
    assert memory_sms.sent[-1].phone == MOBILE and code in memory_sms.sent[-1].text


def test_booking_by_phone_creates_no_profile_and_is_audited(
    upcoming, memory_sms, django_capture_on_commit_callbacks
):
    profiles = Applicant.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(upcoming)
    assert booking.applicant is None and booking.phone == MOBILE and booking.name == "王小明"
    assert Applicant.objects.count() == profiles
    booking.slot.refresh_from_db()
    assert booking.slot.booked == 1
    entry = AuditEvent.objects.get(action="appointments.booking_create")
    assert entry.actor_label == "手机预约：139****5678"
    assert "王小明" not in str(entry.changes)
    assert booking.code in memory_sms.sent[-1].text  # the confirmation


def test_wrong_code_counts_tries_and_fifth_kills_the_code(upcoming):
    code = phone_code_request(phone=MOBILE)
    s = future_slots(upcoming)[0]
    for _ in range(5):
        with pytest.raises(ValidationError) as err:
            phone_booking_create(
                name="王小明",
                phone=MOBILE,
                code="000000" if code != "000000" else "111111",
                slot_id=s.pk,
                item=upcoming.item,
            )
    assert "code" in err.value.message_dict
    assert PhoneCode.objects.get().tries == 5
    with pytest.raises(ValidationError):  # the right code is no good any more
        phone_booking_create(
            name="王小明", phone=MOBILE, code=code, slot_id=s.pk, item=upcoming.item
        )
    assert not Booking.objects.exists()


def test_code_expires_and_is_used_once(upcoming):
    now = timezone.now()
    s = future_slots(upcoming)[0]
    code = phone_code_request(phone=MOBILE, now=now - dt.timedelta(minutes=6))
    with pytest.raises(ValidationError):
        phone_booking_create(name="王", phone=MOBILE, code=code, slot_id=s.pk, item=upcoming.item)
    code = phone_code_request(phone=MOBILE)
    phone_booking_create(name="王", phone=MOBILE, code=code, slot_id=s.pk, item=upcoming.item)
    with pytest.raises(ValidationError):
        phone_booking_create(name="王", phone=MOBILE, code=code, slot_id=s.pk, item=upcoming.item)


def test_rate_limits_state_the_real_wait(upcoming, settings):
    now = timezone.now()
    phone_code_request(phone=MOBILE, now=now)
    with pytest.raises(RateLimited) as err:
        phone_code_request(phone=MOBILE, now=now + dt.timedelta(seconds=20))
    assert err.value.wait_text == "40秒"
    settings.SANYI_APPLICANT_CODES_PER_IP = 2
    phone_code_request(phone="13900000001", ip="10.0.0.9", now=now)
    phone_code_request(phone="13900000002", ip="10.0.0.9", now=now + dt.timedelta(minutes=10))
    with pytest.raises(RateLimited) as err:
        phone_code_request(phone="13900000003", ip="10.0.0.9", now=now + dt.timedelta(minutes=20))
    assert err.value.wait_text == "40分钟"
    assert PhoneCode.objects.filter(ip="10.0.0.9").count() == 2


def test_bad_mobile_and_empty_name_are_refused(upcoming):
    with pytest.raises(ValidationError) as err:
        phone_code_request(phone="12345")
    assert "phone" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        book(upcoming, name=" ")
    assert "name" in err.value.message_dict


def test_one_live_booking_per_item_and_mobile(upcoming):
    book(upcoming)
    with pytest.raises(ValidationError) as err:
        book(upcoming, slot=future_slots(upcoming)[1])
    assert "item" in err.value.message_dict


def fresh_code(mobile=MOBILE):
    PhoneCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    return phone_code_request(phone=mobile, ip="10.0.0.1")


def test_find_needs_code_and_last_four(upcoming):
    booking = book(upcoming)
    with pytest.raises(PermissionDenied):
        phone_booking_find(code=booking.code, last4="0000")
    with pytest.raises(PermissionDenied):
        phone_booking_find(code=booking.code, last4="")
    assert phone_booking_find(code=booking.code.lower(), last4="5678") == booking


def test_move_and_cancel_need_a_fresh_sms_code(upcoming):
    booking = book(upcoming)
    other = future_slots(upcoming)[1]
    # given the last four digits but no fresh code (the booking's own code is used up)
    with pytest.raises(ValidationError) as err:
        phone_booking_change(code=booking.code, last4="5678", sms_code="", slot_id=other.pk)
    assert "code" in err.value.message_dict
    booking.refresh_from_db()
    assert booking.slot_id != other.pk
    # when a fresh code is sent to the booking's mobile
    moved = phone_booking_change(
        code=booking.code, last4="5678", sms_code=fresh_code(), slot_id=other.pk
    )
    assert moved.slot_id == other.pk and moved.code == booking.code
    used = PhoneCode.objects.order_by("-created_at").first().code_hash
    with pytest.raises(ValidationError):  # used once
        phone_booking_change(code=booking.code, last4="5678", sms_code=used)
    cancelled = phone_booking_change(code=booking.code, phone=MOBILE, sms_code=fresh_code())
    assert cancelled.status == BookingStatus.CANCELLED
    other.refresh_from_db()
    assert other.booked == 0


def test_a_code_for_another_mobile_moves_nothing(upcoming):
    booking = book(upcoming)
    stranger = fresh_code("13800000000")
    with pytest.raises(ValidationError):
        phone_booking_change(code=booking.code, last4="5678", sms_code=stranger)
    with pytest.raises(PermissionDenied):  # the stranger's own code, another's booking
        phone_booking_change(code=booking.code, phone="13800000000", sms_code=stranger)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_change_code_goes_to_the_booking_mobile_with_the_limits(upcoming, memory_sms):
    booking = book(upcoming)
    PhoneCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    phone_change_code_request(code=booking.code, last4="5678", ip="10.0.0.2")
    assert memory_sms.sent[-1].phone == MOBILE and "验证码" in memory_sms.sent[-1].text
    with pytest.raises(RateLimited):  # the 60-second gap between two codes
        phone_change_code_request(code=booking.code, last4="5678", ip="10.0.0.2")
    with pytest.raises(PermissionDenied):
        phone_change_code_request(code=booking.code, last4="1111")


def test_signed_in_bookings_cannot_be_found_by_phone(upcoming):
    from .test_pages import make_booking

    booking = make_booking(upcoming)
    with pytest.raises(PermissionDenied):
        phone_booking_find(code=booking.code, last4=booking.phone[-4:])


def test_reminder_goes_by_sms_only(upcoming, memory_sms, django_capture_on_commit_callbacks):
    booking = book(upcoming)
    with django_capture_on_commit_callbacks(execute=True):
        sent = bookings_remind(now=booking.slot.starts_at - dt.timedelta(days=1))
    booking.refresh_from_db()
    assert sent == 1 and booking.reminded_at is not None
    assert memory_sms.sent[-1].phone == MOBILE and booking.code in memory_sms.sent[-1].text
    assert bookings_remind(now=booking.slot.starts_at - dt.timedelta(days=1)) == 0


# Pages ------------------------------------------------------------------------------


def test_phone_booking_page_without_javascript(client, upcoming, memory_sms):
    url = reverse("appointments:phone_book", args=[upcoming.center.pk])
    page = client.get(url).content.decode()
    assert (
        "获取验证码" in page and 'type="radio"' in page and "<script" not in page.split("<main")[-1]
    )
    s = future_slots(upcoming)[0]
    form = {"name": "王小明", "phone": MOBILE, "item": upcoming.item.pk, "slot": s.pk}
    sent = client.post(url, {**form, "action": "send"})
    assert sent.status_code == 200 and "验证码已发送到139****5678" in sent.content.decode()
    wrong = client.post(url, {**form, "code": "99999x", "action": "book"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    done = client.post(url, {**form, "code": last_code(memory_sms), "action": "book"})
    booking = Booking.objects.get()
    assert done["Location"] == reverse("appointments:phone_booking", args=[booking.code])
    shown = client.get(done["Location"]).content.decode()
    assert (
        booking.code in shown and reverse("appointments:phone_cancel", args=[booking.code]) in shown
    )


def test_phone_page_states_the_wait(client, upcoming):
    url = reverse("appointments:phone_book", args=[upcoming.center.pk])
    client.post(url, {"phone": MOBILE, "action": "send"})
    again = client.post(url, {"phone": MOBILE, "action": "send"})
    assert again.status_code == 400 and "后再试" in again.content.decode()


def test_find_page_then_move_and_cancel_with_a_fresh_code(client, upcoming, memory_sms):
    booking = book(upcoming)
    assert client.get(reverse("appointments:phone_booking", args=[booking.code]))[
        "Location"
    ] == reverse("appointments:phone_find")
    find = reverse("appointments:phone_find")
    wrong = client.post(find, {"code": booking.code, "last4": "1111"})
    assert wrong.status_code == 400 and "后四位不对" in wrong.content.decode()
    found = client.post(find, {"code": booking.code, "last4": "5678"})
    assert found["Location"] == reverse("appointments:phone_booking", args=[booking.code])
    other = future_slots(upcoming)[1]
    move = reverse("appointments:phone_move", args=[booking.code])
    refused = client.post(move, {"slot": other.pk})
    assert refused.status_code == 400 and "请填写短信验证码" in refused.content.decode()
    PhoneCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    sent = client.post(reverse("appointments:phone_send_code", args=[booking.code]), follow=True)
    assert "验证码已发送到139****5678" in sent.content.decode()
    moved = client.post(move, {"slot": other.pk, "sms_code": last_code(memory_sms)})
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.slot_id == other.pk
    cancel = reverse("appointments:phone_cancel", args=[booking.code])
    stale = client.post(cancel, {"cancel-sms_code": last_code(memory_sms)})
    assert stale.status_code == 400 and "验证码不正确" in stale.content.decode()
    PhoneCode.objects.update(created_at=F("created_at") - dt.timedelta(minutes=2))
    client.post(reverse("appointments:phone_send_code", args=[booking.code]))
    client.post(cancel, {"cancel-sms_code": last_code(memory_sms)})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_find_page_is_rate_limited(client, upcoming, settings):
    settings.SANYI_RATE_LIMITS = {"appointments_find": "2/10"}
    find = reverse("appointments:phone_find")
    codes = [client.post(find, {"code": "ABCDEF", "last4": "1234"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]


def test_counter_shows_phone_bookings_masked(client, upcoming, django_assert_max_num_queries):
    from .factories import today_slot

    s = today_slot(upcoming)
    code = phone_code_request(phone=MOBILE, now=s.starts_at - dt.timedelta(hours=1))
    booking = phone_booking_create(
        name="王小明",
        phone=MOBILE,
        code=code,
        slot_id=s.pk,
        item=upcoming.item,
        now=s.starts_at - dt.timedelta(hours=1),
    )
    client.force_login(upcoming.clerk)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("workbench:appointments:counter")).content.decode()
    assert booking.code in page and "王**" in page and "139****5678" in page
    assert "王小明" not in page and MOBILE not in page


def test_nightly_job_purges_old_codes(upcoming):
    from sanyi.core.scheduler import job_get

    now = timezone.now()
    phone_code_request(phone="13900000001", now=now - dt.timedelta(days=2))
    phone_code_request(phone="13900000002", now=now - dt.timedelta(hours=2))
    summary = job_get("appointments.slots").func(now=now)
    assert "删除过期的手机验证码 1 条" in summary
    assert list(PhoneCode.objects.values_list("phone", flat=True)) == ["13900000002"]
