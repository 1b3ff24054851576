"""Lists paged by position on a 360-pixel phone in large text (关怀模式): the public list of
government information and an approver's worklist go to 下一页 and back with 上一页, keep
their filters, fit the screen and keep the pager's buttons big enough to tap."""

import re

import pytest
from playwright.sync_api import expect

from sanyi.calendar.selectors import calendar_cache_clear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def _large_text(page, live_server) -> None:
    page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _tap_height(page, name: str) -> float:
    return page.get_by_role("link", name=name).evaluate("el => el.offsetHeight")


def test_the_public_list_pages_forward_and_back_on_a_phone(live_server, phone_page):
    from sanyi.openness.tests import factories as f

    org_tree = f.setting()
    for n in range(23):
        f.published(
            org_tree["district"],
            writer=org_tree["writer"],
            reviewer=org_tree["reviewer"],
            title=f"列表翻页测试第{n}条",
        )
    page = phone_page
    _large_text(page, live_server)

    page.goto(f"{live_server.url}/open/list/?unit={org_tree['district'].pk}")
    assert page.evaluate("document.documentElement.classList.contains('care')")
    assert page.get_by_role("status").inner_text() == "共 23 条"
    first = page.locator(".result-list li").all_inner_texts()
    assert len(first) == 20 and _fits(page)
    assert _tap_height(page, "下一页") >= 44

    page.get_by_role("link", name="下一页").click()
    page.wait_for_url(re.compile(r"after="))
    assert f"unit={org_tree['district'].pk}" in page.url
    assert page.locator(".result-list li").count() == 3
    expect(page.get_by_text("第2页")).to_be_visible()
    assert _fits(page)

    page.get_by_role("link", name="上一页").click()
    page.wait_for_url(re.compile(r"before="))
    assert page.locator(".result-list li").all_inner_texts() == first


def test_a_worklist_pages_forward_and_back_on_a_phone(live_server, phone_page, monkeypatch):
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.cases.tests import factories as f

    official_calendar()
    calendar_cache_clear()
    w = f.world()
    cases = [f.case(w) for _ in range(3)]
    monkeypatch.setattr("sanyi.cases.web.staff.PER_PAGE", 2)
    page = phone_page
    _large_text(page, live_server)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(w["approver"].username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(f"{live_server.url}/workbench/cases/work/unit/?channel=window")
    assert "共3个环节，第1页" in page.get_by_role("status").inner_text()
    assert _fits(page) and _tap_height(page, "下一页") >= 44
    shown = page.locator("td[data-label='办件编号'] .case-number").all_inner_texts()

    page.get_by_role("link", name="下一页").click()
    page.wait_for_url(re.compile(r"channel=window.*after=|after=.*channel=window"))
    shown += page.locator("td[data-label='办件编号'] .case-number").all_inner_texts()
    assert sorted(shown) == sorted(c.number for c in cases)
    assert _fits(page)

    page.get_by_role("link", name="上一页").click()
    page.wait_for_url(re.compile(r"before="))
    assert "第1页" in page.get_by_role("status").inner_text()
