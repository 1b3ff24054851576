"""One visit, end to end, in a real Chromium: a resident with a 一件事 application books a
slot for one of its items on a phone; the window clerk, on a desktop, sees the booking in
today's list, checks them in, opens the bundle from the pre-check queue, checks each
material against the originals and accepts the bundle in one go; each member case then
shows in its own unit. Every page passes axe; the phone page does not scroll sideways."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from sanyi.appointments.models import Booking, BookingStatus, Slot
from sanyi.appointments.services import schedule_create
from sanyi.appointments.tests.factories import SYSTEM
from sanyi.cases.choices import CaseStatus
from sanyi.cases.tests import bundle_factories as bf
from sanyi.cases.tests import factories as f
from tests.browser.steps import enter_sms_code, follow
from tests.browser.test_case_journey import _axe_problems, _staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings):
    from sanyi.notify.channels import MemorySmsProvider

    settings.SANYI_REQUIRE_ADMIN_OTP = False
    settings.SANYI_SMS_PROVIDER = "memory"
    MemorySmsProvider.reset()
    yield
    MemorySmsProvider.reset()


def _slot_soon(w) -> Slot:
    """A slot at the bundle item's centre a few minutes from now (today: check-in is on the
    day of the booking)."""
    start = (timezone.now() + dt.timedelta(minutes=3)).replace(second=0, microsecond=0)
    if timezone.localtime(start).date() != timezone.localdate():
        pytest.skip("no time left today for a slot")
    schedule = schedule_create(
        actor=SYSTEM,
        center=w["center"],
        name="综合窗口",
        opens=dt.time(9, 0),
        closes=dt.time(11, 0),
    )
    return Slot.objects.create(
        schedule=schedule,
        center=w["center"],
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        capacity=2,
    )


def _book_on_phone(phone, base, w, resident):
    phone.goto(f"{base}/appointments/centers/{w['center'].pk}/")
    phone.get_by_role("link", name="登录后预约").click()
    phone.get_by_label("证件号码").fill(resident.id_number)
    phone.get_by_label("手机号").fill(resident.phone)
    phone.get_by_role("button", name="获取短信验证码").click()
    enter_sms_code(phone, resident.phone)
    phone.get_by_role("button", name="确认").click()
    phone.wait_for_url(re.compile(r"/appointments/centers/"))
    assert _axe_problems(phone) == []
    phone.get_by_label("办理事项").select_option(label=w["item"].base_item.name)
    phone.locator("input[name=slot]").first.check()
    phone.get_by_role("button", name="确认预约").click()
    phone.wait_for_url(re.compile(r"/appointments/mine/[A-Z0-9]{6}/$"))
    width = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    return Booking.objects.get(applicant=resident)


def test_resident_books_for_a_bundle_item_and_the_counter_accepts_the_bundle(
    live_server, phone_page, desktop_page
):
    w = f.world()
    resident = f.applicant(name="陈开店", phone="13900005678")
    bundle = bf.apply(w, resident)
    for m in bundle.members.select_related("case"):
        if m.case.status == CaseStatus.PRECHECK:
            bf.precheck(w, m.case)  # the online pre-check, done before the visit
    _slot_soon(w)
    base = live_server.url

    # --- the resident books a slot for the bundle's item on a phone
    booking = _book_on_phone(phone_page, base, w, resident)
    assert phone_page.locator(".booking-code").inner_text() == booking.code

    # --- the clerk sees the booking in today's list and checks them in
    desk = desktop_page
    _staff_log_in(desk, base, w["clerk"].username)
    desk.goto(f"{base}{reverse('workbench:appointments:counter')}")
    assert _axe_problems(desk) == []
    expect(desk.get_by_role("row", name=re.compile(booking.code))).to_be_visible()
    desk.get_by_role("button", name=f"签到 {booking.code}").click()
    desk.get_by_text(f"预约码{booking.code}已签到").wait_for()

    # --- from the counter home to the bundle waiting in the pre-check queue
    desk.goto(f"{base}{reverse('workbench:cases:counter')}")
    desk.get_by_role("link", name=re.compile("一件事一并受理")).click()
    row = desk.get_by_role("row", name=re.compile(bundle.number))
    for m in bundle.members.select_related("case__implementation_item__base_item"):
        assert m.case.implementation_item.base_item.name in row.inner_text()
    assert _axe_problems(desk) == []
    follow(row.get_by_role("link", name=f"一并受理 {bundle.number}"))

    # --- each material checked against the original, then one acceptance
    assert _axe_problems(desk) == []
    for radio in desk.get_by_role("radio", name="核对无误").all():
        radio.check()
    desk.get_by_role("button", name="一并受理", exact=True).click()
    desk.get_by_text("已一并受理1个事项").wait_for()

    # --- each member case runs in its own unit
    members = {m.case.implementation_item_id: m.case for m in bundle.members.select_related("case")}
    accepted = members[w["item"].pk]
    accepted.refresh_from_db()
    assert accepted.status == CaseStatus.IN_PROGRESS
    assert members[w["community_item"].pk].unit == w["comm1"] != accepted.unit
    table = desk.get_by_role("table", name="各事项")
    for case in members.values():
        expect(desk.get_by_role("row", name=re.compile(case.number))).to_be_visible()
        assert case.unit.name in table.inner_text()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
