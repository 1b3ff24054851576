"""The schedules API for a centre's system administrators: list, create, the pattern,
publishing, slots with their bookings (masked, bounded queries), closing and reopening."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from sanyi.appointments.models import BookingStatus, Slot
from sanyi.appointments.services import booking_create
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

from .factories import future_slots

pytestmark = pytest.mark.django_db
BASE = "/api/v1/appointments/schedules"


@pytest.fixture
def api(upcoming):
    client = APIClient()
    client.force_authenticate(of.staff(upcoming.center.org_unit, Role.SYSTEM_ADMIN))
    return client


def test_only_system_admins_in_scope(upcoming):
    clerk = APIClient()
    clerk.force_authenticate(upcoming.clerk)
    assert clerk.get(f"{BASE}/").status_code == 403
    stranger = APIClient()
    stranger.force_authenticate(of.staff(of.district(uscc=of.unique_uscc()), Role.SYSTEM_ADMIN))
    assert stranger.get(f"{BASE}/").json() == []
    assert stranger.get(f"{BASE}/{upcoming.schedule.pk}/slots/").status_code == 404


def test_create_and_change_the_pattern(api, upcoming):
    made = api.post(
        f"{BASE}/",
        {
            "center": upcoming.center.pk,
            "name": "社保窗口",
            "weekdays": "135",
            "opens": "14:00",
            "closes": "16:00",
            "slot_minutes": 30,
            "capacity": 2,
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["weekdays"] == "135"
    bad = api.post(
        f"{BASE}/{made.json()['id']}/pattern/",
        {"weekdays": "135", "opens": "16:00", "closes": "14:00", "slot_minutes": 30, "capacity": 2},
        format="json",
    )
    assert bad.status_code == 400 and "结束时间须晚于开始时间" in bad.content.decode()


def test_slots_with_bookings_and_capacity_kept(api, upcoming, django_assert_max_num_queries):
    p = upcoming
    first = future_slots(p)[0]
    booking_create(
        actor=p.resident.audit_label, applicant=p.resident, slot_id=first.pk, item=p.item
    )
    Slot.objects.filter(pk=first.pk).update(booked=2)
    start = timezone.localtime(first.starts_at).date()
    with django_assert_max_num_queries(8):
        r = api.get(f"{BASE}/{p.schedule.pk}/slots/?start={start:%Y-%m-%d}&days=3")
    row = next(s for s in r.json() if s["id"] == first.pk)
    assert row["bookings"][0]["applicant_id"] != p.resident.id_number
    changed = api.post(
        f"{BASE}/{p.schedule.pk}/pattern/",
        {
            "weekdays": "12345",
            "opens": "09:00",
            "closes": "11:00",
            "slot_minutes": 30,
            "capacity": 1,
        },
        format="json",
    )
    assert changed.json()["slots_kept_above_capacity"] == [first.pk]


def test_publish_close_and_reopen(api, upcoming):
    p = upcoming
    far = timezone.localdate() + dt.timedelta(days=40)
    r = api.post(
        f"{BASE}/{p.schedule.pk}/publish/",
        {"start": far.isoformat(), "end": (far + dt.timedelta(days=6)).isoformat()},
        format="json",
    )
    assert r.status_code == 200 and r.json()["count"] > 0
    first = future_slots(p)[0]
    booking = booking_create(
        actor=p.resident.audit_label, applicant=p.resident, slot_id=first.pk, item=p.item
    )
    closed = api.post(
        f"{BASE}/{p.schedule.pk}/close/", {"slot": first.pk, "reason": "检修"}, format="json"
    )
    assert closed.json() == {"count": 1}
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    no_reason = api.post(f"{BASE}/{p.schedule.pk}/close/", {"slot": first.pk}, format="json")
    assert no_reason.status_code == 400
    reopened = api.post(f"{BASE}/{p.schedule.pk}/reopen/", {"slot": first.pk}, format="json")
    assert reopened.json() == {"count": 1}
    day = timezone.localtime(future_slots(p)[-1].starts_at).date()
    whole = api.post(
        f"{BASE}/{p.schedule.pk}/close/", {"day": day.isoformat(), "reason": "停电"}, format="json"
    )
    assert whole.status_code == 200
