"""A system administrator corrects one day of the calendar from the workbench: opens the
year, marks a working day as a holiday with the reason, sees which open case's due date
moves, confirms, and the case's due date has moved. On a phone and on a desktop, with the
axe check on the form and on the preview."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.calendar.tests.factories import official_calendar
from sanyi.cases.tests import factories as cf
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f
from tests.browser.steps import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"
SERIOUS = {"serious", "critical"}


@pytest.fixture
def open_case(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False
    official_calendar()
    calendar_cache_clear()
    return cf.case_due_early_2027(cf.world())


def _serious(page) -> list[str]:
    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]


@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_a_day_corrected_from_the_workbench_moves_an_open_case(
    live_server, request, page_fixture, open_case
):
    page = request.getfixturevalue(page_fixture)
    admin = f.staff(f.district(), Role.SYSTEM_ADMIN)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(admin.username)
    page.get_by_label("密码").fill(PASSWORD)
    follow(page.get_by_role("button", name="登录"))

    # given: the year's page, reached from the calendar page
    page.goto(f"{live_server.url}/workbench/calendar/")
    follow(page.get_by_role("link", name="2026年"))
    expect(page.locator("#year-days").get_by_text("国庆节").first).to_be_visible()
    follow(page.get_by_role("link", name="更正某一天"))

    # when: 31 December is made a holiday, with the reason, and previewed
    page.get_by_label("日期").fill("2026-12-31")
    page.get_by_label("节假日", exact=True).check()
    page.get_by_label("节日名称").fill("元旦")
    page.get_by_label("更正原因").fill("国务院办公厅补充通知")
    assert _serious(page) == []
    follow(page.get_by_role("button", name="预览"))

    # then: the change and the case moving 1月4日 → 1月5日 are listed, nothing written yet
    expect(page.locator("#day-correction").get_by_text("节假日（元旦）")).to_be_visible()
    row = page.locator("#due-moves tr", has_text=open_case.number)
    assert "2027年1月4日" in row.inner_text() and "2027年1月5日" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _serious(page) == []
    open_case.refresh_from_db()
    assert open_case.promised_due_on == dt.date(2027, 1, 4)

    # when: confirmed
    follow(page.get_by_role("button", name="确认更正"))

    # then: corrected, listed on the year's page, and the case's due date has moved
    expect(page.get_by_text("已将2026年12月31日更正为节假日（元旦）")).to_be_visible()
    expect(page.locator("#year-days tr", has_text="2026年12月31日")).to_be_visible()
    open_case.refresh_from_db()
    assert open_case.promised_due_on == dt.date(2027, 1, 5)
