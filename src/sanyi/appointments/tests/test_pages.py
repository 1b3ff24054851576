"""The resident's pages (phone-sized HTML, 关怀模式, plain forms without JavaScript) and the
counter's pages."""

import pytest
from django.urls import reverse

from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.tests import factories as af
from sanyi.appointments.models import Booking, BookingStatus
from sanyi.appointments.services import booking_create
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

from .factories import book_today, future_slots, today_slot

pytestmark = pytest.mark.django_db


def sign_in(client, applicant):
    session = client.session
    session[SESSION_KEY] = applicant.pk
    session.save()


def make_booking(p, s=None, who=None):
    who = who or p.resident
    s = s or future_slots(p)[0]
    return booking_create(actor=who.audit_label, applicant=who, slot_id=s.pk, item=p.item)


def test_home_lists_the_centre(client, upcoming):
    page = client.get(reverse("appointments:home"))
    assert page.status_code == 200
    assert upcoming.center.name in page.content.decode()


def test_visitor_sees_slots_and_a_sign_in_link(client, upcoming):
    url = reverse("appointments:center", args=[upcoming.center.pk])
    page = client.get(url).content.decode()
    assert "登录后预约" in page and reverse("applicants:login") in page
    assert "确认预约" not in page
    assert client.post(url, {"slot": future_slots(upcoming)[0].pk}).status_code == 403


def test_resident_books_with_a_plain_form(client, upcoming):
    sign_in(client, upcoming.resident)
    url = reverse("appointments:center", args=[upcoming.center.pk])
    page = client.get(url).content.decode()
    assert "居住证办理" in page and 'type="radio"' in page
    s = future_slots(upcoming)[0]
    response = client.post(url, {"item": upcoming.item.pk, "slot": s.pk})
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:booking", args=[booking.code])
    confirmation = client.get(response["Location"]).content.decode()
    assert booking.code in confirmation and "居住证办理" in confirmation


def test_booking_form_errors_are_in_chinese(client, upcoming):
    sign_in(client, upcoming.resident)
    url = reverse("appointments:center", args=[upcoming.center.pk])
    response = client.post(url, {"item": upcoming.item.pk})
    assert response.status_code == 400
    assert "请选择预约时段" in response.content.decode()


def test_full_slot_is_not_offered(client, upcoming):
    s = future_slots(upcoming)[0]
    make_booking(upcoming, s, af.person())
    make_booking(upcoming, s, af.person())
    sign_in(client, upcoming.resident)
    url = reverse("appointments:center", args=[upcoming.center.pk])
    response = client.post(url, {"item": upcoming.item.pk, "slot": s.pk})
    assert response.status_code == 400
    assert "已约满或已过去" in response.content.decode()


def test_move_and_cancel_on_the_booking_page(client, upcoming):
    booking = make_booking(upcoming)
    sign_in(client, upcoming.resident)
    other = future_slots(upcoming)[1]
    r = client.post(reverse("appointments:move", args=[booking.code]), {"slot": other.pk})
    assert r.status_code == 302
    booking.refresh_from_db()
    assert booking.slot == other
    client.post(reverse("appointments:cancel", args=[booking.code]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    page = client.get(reverse("appointments:booking", args=[booking.code])).content.decode()
    assert "已取消" in page and "确认改约" not in page


def test_someone_elses_booking_is_not_found(client, upcoming):
    booking = make_booking(upcoming)
    sign_in(client, af.person())
    assert client.get(reverse("appointments:booking", args=[booking.code])).status_code == 404
    assert client.post(reverse("appointments:cancel", args=[booking.code])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_mine_needs_sign_in_and_counts_queries(client, upcoming, django_assert_max_num_queries):
    assert client.get(reverse("appointments:mine")).status_code == 302
    slots = future_slots(upcoming)
    for s in slots[:3]:
        p = upcoming
        from sanyi.catalog.tests import factories as cf

        item = cf.item(unit=p.sub, status="published").implementation_item
        booking_create(actor="x", applicant=p.resident, slot_id=s.pk, item=item)
    sign_in(client, upcoming.resident)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("appointments:mine"))
    assert page.content.decode().count("预约街道便民服务中心") == 3


def test_care_mode_and_phone_markup(client, upcoming):
    client.cookies["sanyi_care"] = "1"
    sign_in(client, upcoming.resident)
    page = client.get(reverse("appointments:center", args=[upcoming.center.pk])).content.decode()
    assert 'class="care"' in page
    assert 'name="viewport"' in page
    assert "<script>" not in page and "style=" not in page


def test_counter_lists_today_and_checks_in(client, upcoming, django_assert_max_num_queries):
    s = today_slot(upcoming)
    bookings = [book_today(upcoming, s, af.person()) for _ in range(2)]
    client.force_login(upcoming.clerk)
    url = reverse("workbench:appointments:counter")
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert bookings[0].code in page and bookings[1].code in page
    r = client.post(reverse("workbench:appointments:check_in", args=[bookings[0].pk]))
    assert r.status_code == 302
    bookings[0].refresh_from_db()
    assert bookings[0].status == BookingStatus.CHECKED_IN


def test_counter_of_another_district_sees_nothing(client, upcoming):
    booking = make_booking(upcoming)
    other = of.district(uscc=of.unique_uscc())
    clerk = of.staff(other, Role.WINDOW_CLERK)
    client.force_login(clerk)
    assert (
        booking.code not in client.get(reverse("workbench:appointments:counter")).content.decode()
    )
    r = client.post(reverse("workbench:appointments:check_in", args=[booking.pk]))
    assert r.status_code == 404
    approver = of.staff(upcoming.sub, Role.APPROVER)
    client.force_login(approver)
    assert client.get(reverse("workbench:appointments:counter")).status_code == 403


def test_figures_show_no_shows_masked(client, upcoming, django_assert_max_num_queries):
    booking = make_booking(upcoming)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.NO_SHOW)
    booking2 = make_booking(upcoming, future_slots(upcoming)[1])
    Booking.objects.filter(pk=booking2.pk).update(status=BookingStatus.NO_SHOW)
    client.force_login(upcoming.clerk)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("workbench:appointments:figures")).content.decode()
    assert upcoming.resident.masked_id in page
    assert upcoming.resident.id_number not in page


def test_booking_posts_are_rate_limited(client, upcoming, settings):
    settings.SANYI_RATE_LIMITS = {"appointments_book": "3/10"}
    sign_in(client, upcoming.resident)
    url = reverse("appointments:center", args=[upcoming.center.pk])
    codes = [client.post(url, {"item": upcoming.item.pk}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    assert client.get(url).status_code == 200  # reading is not limited


def test_sign_in_for_booking_uses_the_applicants_code_limits(client, upcoming, settings):
    """Booking needs the applicants' SMS sign-in; its per-number limit applies."""
    settings.SANYI_APPLICANT_CODE_INTERVAL_SECONDS = 0
    settings.SANYI_APPLICANT_CODES_PER_NUMBER = 2
    login = reverse("applicants:login")
    data = {"id_number": upcoming.resident.id_number, "phone": upcoming.resident.phone}
    answers = [client.post(login, data) for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [302, 302]
    assert "获取验证码过于频繁" in answers[2].content.decode()
