"""A system administrator loads next year's holiday notice from the workbench: pastes it,
sees which days change and which open case's due date moves, confirms, and the case's due
date has moved. On a phone and on a desktop, with the axe check."""

import datetime as dt
import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.calendar.tests.factories import notice_2027, official_calendar
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


@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_holiday_notice_preview_then_confirm_moves_an_open_case(
    live_server, request, page_fixture, open_case
):
    page = request.getfixturevalue(page_fixture)
    admin = f.staff(f.district(), Role.SYSTEM_ADMIN)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(admin.username)
    page.get_by_label("密码").fill(PASSWORD)
    follow(page.get_by_role("button", name="登录"))

    # given: the calendar page, reached from the workbench
    page.goto(f"{live_server.url}/workbench/calendar/")
    expect(page.get_by_text("2027年的节假日安排尚未载入").first).to_be_visible()
    page.get_by_role("link", name="载入节假日安排").first.click()

    # when: the notice is pasted and previewed
    page.get_by_label("或粘贴文件内容").fill(json.dumps(notice_2027(), ensure_ascii=False))
    page.get_by_role("button", name="预览").click()

    # then: the changed days and the case moving 1月4日 → 1月5日 are listed, nothing loaded yet
    days = page.locator("#day-changes")
    expect(days.get_by_text("2027年1月1日")).to_be_visible()
    row = page.locator("#due-moves tr", has_text=open_case.number)
    expect(row).to_be_visible()
    assert "2027年1月4日" in row.inner_text() and "2027年1月5日" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    assert violations == []
    open_case.refresh_from_db()
    assert open_case.promised_due_on == dt.date(2027, 1, 4)

    # when: confirmed
    page.get_by_role("button", name="确认载入").click()

    # then: loaded, and the case's due date has moved
    expect(page.get_by_text("已载入2027年节假日安排")).to_be_visible()
    open_case.refresh_from_db()
    assert open_case.promised_due_on == dt.date(2027, 1, 5)
