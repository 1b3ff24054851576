"""Reuse consent at the window, in a real Chromium on a phone-sized screen: from the
acceptance screen the clerk opens 材料复用授权, is stopped until they confirm they checked
the applicant's own ID, records the consent, then the withdrawal, and sees the history;
the page passes the axe check."""

import pytest
from django.urls import reverse

from sanyi.applicants.models import ReuseConsent
from sanyi.cases.tests import factories as f
from tests.browser.test_case_journey import _axe_problems, _staff_log_in, _watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def test_clerk_records_consent_and_withdrawal_at_the_window(live_server, phone_page):
    w = f.world()
    case = f.case(w, state="awaiting")
    page = phone_page
    blocked = _watch_csp(page)
    _staff_log_in(page, live_server.url, w["clerk"].username)
    page.goto(f"{live_server.url}{reverse('workbench:cases:counter_accept', args=[case.number])}")
    page.get_by_role("link", name="材料复用授权").click()
    page.wait_for_url("**/consent/")
    assert _axe_problems(page) == []

    page.get_by_label("仅电子证照").check()
    page.get_by_role("button", name="记录申请人同意").click()
    page.locator(".form-errors").wait_for()
    assert "请先核对申请人本人的身份证件" in page.locator(".form-errors").inner_text()
    assert not ReuseConsent.objects.exists()

    page.get_by_label("仅电子证照").check()
    page.get_by_label("我已核对其本人身份证件", exact=False).check()
    page.get_by_role("button", name="记录申请人同意").click()
    page.get_by_text("已记录申请人同意复用").wait_for()
    assert ReuseConsent.objects.get().scope == "licences"

    page.get_by_label("我已核对其本人身份证件", exact=False).check()
    page.get_by_role("button", name="记录申请人撤回同意").click()
    page.get_by_text("已记录申请人撤回同意").wait_for()
    assert ReuseConsent.objects.get().withdrawn_at is not None
    assert "同意记录" in page.content()
    assert _axe_problems(page) == []
    assert blocked == []
