import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.tests import factories as af
from sanyi.appointments.models import Booking, BookingStatus

from .factories import book_today, future_slots, today_slot

pytestmark = pytest.mark.django_db
BASE = "/api/v1/appointments"


def resident_client(applicant, *, csrf=False):
    client = APIClient(enforce_csrf_checks=csrf)
    session = client.session
    session[SESSION_KEY] = applicant.pk
    session.save()
    client.cookies["sessionid"] = session.session_key
    return client


def test_slots_are_public(upcoming, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        r = APIClient().get(f"{BASE}/centers/{upcoming.center.pk}/slots/")
    assert r.status_code == 200
    # The API lists the next 14 days; the fixture may publish further ahead.
    horizon = timezone.now() + dt.timedelta(days=14)
    assert len(r.json()) == len([s for s in future_slots(upcoming) if s.starts_at < horizon])
    assert r.json()[0]["free"] == 2
    assert APIClient().get(f"{BASE}/centers/999999/slots/").status_code == 404


def test_resident_books_moves_and_cancels(upcoming):
    client = resident_client(upcoming.resident)
    slots = future_slots(upcoming)
    r = client.post(
        f"{BASE}/bookings/",
        {"slot": slots[0].pk, "implementation_code": upcoming.item.implementation_code},
        format="json",
    )
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    r = client.post(f"{BASE}/bookings/{code}/move/", {"slot": slots[1].pk}, format="json")
    assert r.status_code == 200 and r.json()["slot"] == slots[1].pk
    r = client.post(f"{BASE}/bookings/{code}/cancel/")
    assert r.json()["status"] == BookingStatus.CANCELLED
    assert [b["code"] for b in client.get(f"{BASE}/bookings/").json()] == [code]


def test_service_refusals_are_problems(upcoming):
    s = future_slots(upcoming)[0]
    for _ in range(2):
        other = af.person()
        resident_client(other).post(
            f"{BASE}/bookings/",
            {"slot": s.pk, "implementation_code": upcoming.item.implementation_code},
            format="json",
        )
    r = resident_client(upcoming.resident).post(
        f"{BASE}/bookings/",
        {"slot": s.pk, "implementation_code": upcoming.item.implementation_code},
        format="json",
    )
    assert r.status_code == 400
    assert "约满" in r.content.decode()


def test_writes_need_the_csrf_token_and_a_resident(upcoming):
    data = {"slot": future_slots(upcoming)[0].pk, "implementation_code": "x"}
    assert APIClient().post(f"{BASE}/bookings/", data, format="json").status_code == 403
    r = resident_client(upcoming.resident, csrf=True).post(f"{BASE}/bookings/", data, format="json")
    assert r.status_code == 403 and "CSRF" in r.content.decode()
    assert not Booking.objects.exists()


def test_only_the_owner_sees_a_booking(upcoming):
    s = future_slots(upcoming)[0]
    client = resident_client(upcoming.resident)
    code = client.post(
        f"{BASE}/bookings/",
        {"slot": s.pk, "implementation_code": upcoming.item.implementation_code},
        format="json",
    ).json()["code"]
    stranger = resident_client(af.person())
    assert stranger.get(f"{BASE}/bookings/{code}/").status_code == 404
    assert stranger.post(f"{BASE}/bookings/{code}/cancel/").status_code == 404


def test_counter_list_and_check_in(upcoming, django_assert_max_num_queries):
    s = today_slot(upcoming)
    bookings = [book_today(upcoming, s, af.person()) for _ in range(3)]
    client = APIClient()
    client.force_login(upcoming.clerk)
    with django_assert_max_num_queries(8):
        rows = client.get(f"{BASE}/counter/").json()
    assert {r["code"] for r in rows} == {b.code for b in bookings}
    assert all("*" in r["applicant_id"] for r in rows)
    r = client.post(f"{BASE}/counter/{bookings[0].pk}/check-in/")
    assert r.status_code == 200 and r.json()["status"] == BookingStatus.CHECKED_IN
    assert client.post(f"{BASE}/counter/{bookings[0].pk}/check-in/").status_code == 400
