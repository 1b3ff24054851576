"""The workbench pages for running schedules: list and create, the week with bookings per
slot (masked, bounded queries), publishing, the pattern, closing and reopening; only the
centre's system administrators."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanyi.appointments.models import BookingStatus, Schedule, Slot
from sanyi.appointments.services import booking_create
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

from .factories import future_slots

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, upcoming, settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False  # the second factor has its own tests
    user = of.staff(upcoming.center.org_unit, Role.SYSTEM_ADMIN)
    client.force_login(user)
    return user


def page_url(p):
    return reverse("workbench:appointments:schedule", args=[p.schedule.pk])


def test_clerk_cannot_open_the_schedule_pages(client, upcoming):
    client.force_login(upcoming.clerk)
    assert client.get(reverse("workbench:appointments:schedules")).status_code == 403
    assert client.get(page_url(upcoming)).status_code == 403


def test_admin_creates_a_window_group(client, upcoming, admin):
    url = reverse("workbench:appointments:schedules")
    listed = client.get(url).content.decode()
    assert "综合窗口" in listed and "星期一、星期二" in listed
    bad = client.post(url, {"center": upcoming.center.pk, "name": "综合窗口", "opens": "09:00"})
    assert bad.status_code == 400 and "请至少选择星期几中的一天" in bad.content.decode()
    done = client.post(
        url,
        {
            "center": upcoming.center.pk,
            "name": "不动产窗口",
            "weekdays": ["2", "4"],
            "opens": "14:00",
            "closes": "16:00",
            "slot_minutes": 20,
            "capacity": 2,
        },
    )
    made = Schedule.objects.get(name="不动产窗口")
    assert done["Location"] == reverse("workbench:appointments:schedule", args=[made.pk])
    assert made.weekdays == "24" and made.capacity == 2


def test_week_shows_bookings_per_slot_masked(
    client, upcoming, admin, django_assert_max_num_queries
):
    p = upcoming
    first = future_slots(p)[0]
    booking_create(
        actor=p.resident.audit_label, applicant=p.resident, slot_id=first.pk, item=p.item
    )
    start = timezone.localtime(first.starts_at).date()
    with django_assert_max_num_queries(14):
        page = client.get(f"{page_url(p)}?start={start:%Y-%m-%d}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "1/2" in html and p.resident.display_name in html


def test_publish_close_and_reopen_from_the_page(client, upcoming, admin):
    p = upcoming
    today = timezone.localdate()
    far = today + dt.timedelta(days=30)
    published = client.post(
        reverse("workbench:appointments:schedule_publish", args=[p.schedule.pk]),
        {"start": f"{far:%Y-%m-%d}", "end": f"{far + dt.timedelta(days=6):%Y-%m-%d}"},
        follow=True,
    )
    assert "已发布" in published.content.decode()
    first = future_slots(p)[0]
    booking = booking_create(
        actor=p.resident.audit_label, applicant=p.resident, slot_id=first.pk, item=p.item
    )
    close = reverse("workbench:appointments:slot_close", args=[p.schedule.pk, first.pk])
    refused = client.post(close, {"reason": ""}, follow=True)
    assert "请填写关闭原因" in refused.content.decode()
    closed = client.post(close, {"reason": "设备检修"}, follow=True)
    assert "1个预约已取消并已通知群众" in closed.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    client.post(reverse("workbench:appointments:slot_reopen", args=[p.schedule.pk, first.pk]))
    assert not Slot.objects.get(pk=first.pk).is_closed


def test_lowering_capacity_below_bookings_is_stated(client, upcoming, admin):
    p = upcoming
    first = future_slots(p)[0]
    booking_create(
        actor=p.resident.audit_label, applicant=p.resident, slot_id=first.pk, item=p.item
    )
    form = {
        "weekdays": ["1", "2", "3", "4", "5"],
        "opens": "09:00",
        "closes": "11:00",
        "slot_minutes": 30,
        "capacity": 1,
    }
    url = reverse("workbench:appointments:schedule_update", args=[p.schedule.pk])
    Slot.objects.filter(pk=first.pk).update(capacity=3, booked=2)  # two booked, say
    saved = client.post(url, form, follow=True).content.decode()
    assert "有1个时段的已约人数多于新的可约人数" in saved
    assert Slot.objects.get(pk=first.pk).capacity == 2


def test_a_slot_of_another_schedule_is_not_found(client, upcoming, admin):
    other = Schedule.objects.create(
        center=upcoming.center, name="其他", opens=dt.time(9), closes=dt.time(10)
    )
    slot = future_slots(upcoming)[0]
    url = reverse("workbench:appointments:slot_close", args=[other.pk, slot.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
