"""The annual report's staff page in a real Chromium on a phone: the official tables scroll
sideways inside the page, failing cells are marked, and nothing is blocked by the CSP."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from sanyi.annual_reports.tests import factories as f
from sanyi.disclosure_requests.choices import Outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def test_officer_reads_the_report_and_its_checks_on_a_phone(live_server, phone_page):
    org_tree = f.setting()
    f.info_request(
        org_tree["comm1"],
        column="research",
        received=dt.date(2025, 4, 1),
        concluded=dt.date(2025, 4, 9),
        outcome=Outcome.WITHHOLD_PROCESS,
    )
    report = f.draft(org_tree["district"], year=2025, figures=False)
    page = phone_page
    blocked: list[str] = []
    page.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(org_tree["officer"].username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(f"{live_server.url}/workbench/open/reports/{report.pk}/")
    expect(page.get_by_text("有4项检查未通过")).to_be_visible()
    cell = page.locator('td[data-cell="s3.withhold_process.research"]')
    assert cell.inner_text().strip() == "1"
    assert page.locator("td.cell-error").count() == 4
    # The page itself does not scroll sideways; the wide table scrolls in its own box.
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " document.querySelector('#table-s3').parentElement.scrollWidth,"
        " document.querySelector('#table-s3').parentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]
    assert widths[2] > widths[3]
    assert blocked == []
