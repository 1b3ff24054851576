"""The counter's single-key shortcuts in a real Chromium: a key pressed outside a field
follows the button that shows it; the same key typed into a field is only text."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sanyi.cases.tests import factories as f
from tests.browser.test_case_journey import _staff_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def test_a_shortcut_key_works_outside_fields_and_types_inside_them(live_server, desktop_page):
    w = f.world()
    page = desktop_page
    _staff_log_in(page, live_server.url, w["clerk"].username)
    home = f"{live_server.url}{reverse('workbench:cases:counter')}"
    walk_in = reverse("workbench:cases:counter_walk_in")
    page.goto(home)
    expect(page.locator("[data-shortcut-help]").first).to_be_visible()

    # N with the focus on the page: the 窗口受理 button is followed
    page.locator("h1").click()
    page.keyboard.press("n")
    page.wait_for_url(f"**{walk_in}")

    # H typed into a field is text: the page stays
    name = page.get_by_label("姓名或单位名称")
    name.click()
    page.keyboard.type("hn")
    assert name.input_value() == "hn"
    page.wait_for_timeout(300)
    assert page.url.endswith(walk_in)

    # Ctrl+H is the browser's, not the shortcut
    page.locator("h1").click()
    page.keyboard.press("Control+h")
    page.wait_for_timeout(300)
    assert page.url.endswith(walk_in)

    # H once the focus has left the field: back to the counter home
    page.keyboard.press("h")
    page.wait_for_url(home)
