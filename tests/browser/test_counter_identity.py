"""At the counter, in a real Chromium: the clerk types an ID number that is on file and
sees the registered name (masked) as they type; a different name brings a clear warning
and a confirmation box, and the case opens for the registered person only once the box
is ticked. The registered profile is never changed. A walk-in opened by mistake is then
voided with a reason."""

import pytest
from django.urls import reverse

from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Case
from sanyi.cases.tests import factories as f
from tests.browser.steps import follow
from tests.browser.test_case_journey import _axe_problems, _staff_log_in, _watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def test_clerk_sees_the_registered_name_and_the_mismatch_warning(live_server, desktop_page):
    w = f.world()
    wang = f.applicant(name="王海燕", phone="13900005678")
    page = desktop_page
    blocked = _watch_csp(page)
    _staff_log_in(page, live_server.url, w["clerk"].username)
    page.goto(f"{live_server.url}{reverse('workbench:cases:counter_walk_in')}")

    # the ID number on file: the registered name appears while the clerk types
    page.get_by_label("申请人证件号码").fill(wang.id_number)
    result = page.locator("#identity-result")
    result.wait_for()
    assert "王**" in page.locator("#registered-name").inner_text()
    assert page.locator("#name-mismatch").count() == 0

    # a different name: a clear warning and the box to confirm
    page.get_by_label("姓名或单位名称").fill("李四")
    page.locator("#name-mismatch").wait_for()
    warning = page.locator("#name-mismatch").inner_text()
    assert "姓名不一致" in warning and "李四" in warning
    assert _axe_problems(page) == []

    # submitting without ticking the box opens nothing
    page.locator("#item-search").fill(w["item"].base_item.name[:4])
    page.locator("#id_item").select_option(index=1)
    page.get_by_role("button", name="下一步：收材料（Enter）").click()
    page.locator(".form-errors").wait_for()
    assert not Case.objects.filter(applicant=wang).exists()

    # ticked: the case opens for the registered person, whose profile stays
    page.get_by_label("已核对证件，按登记信息受理（登记信息不会被修改）").check()
    page.locator("#id_item").select_option(index=1)
    page.get_by_role("button", name="下一步：收材料（Enter）").click()
    page.wait_for_url("**/counter/accept/*/")
    case = Case.objects.get(applicant=wang)
    wang.refresh_from_db()
    assert wang.name == "王海燕"

    # opened by mistake after all: the clerk voids it, with the reason
    follow(page.get_by_role("link", name="录错了？作废这次现场受理"))
    assert _axe_problems(page) == []
    page.get_by_label("作废原因").fill("申请人拿错了证件")
    page.get_by_role("button", name="确认作废").click()
    page.wait_for_url(f"**{reverse('workbench:cases:counter')}")
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    assert blocked == []
