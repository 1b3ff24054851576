"""A grid officer on a phone in large-text mode keeps the visit log: 今日任务 lists the
household due (待走访), its log page records a visit; a supervisor reads the figures. The
pages pass axe and do not scroll sideways."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.grid.models import HouseholdVisit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}


def _serious(page) -> list[str]:
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in SERIOUS
    ]


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]


def _login(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill("Test-Passw0rd!")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_officer_records_a_household_visit(live_server, phone_page):
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.grid import services
    from sanyi.grid.tests.factories import grid_world, household

    official_calendar()
    calendar_cache_clear()
    w = grid_world()
    person = household("示范区文一路45号", name="陈桂英")
    services.household_visit_record(
        applicant=person,
        actor=w["officer_a"],
        data=services.HouseholdVisitInput(visited_at=timezone.now() - dt.timedelta(days=95)),
    )
    page = phone_page
    page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])
    _login(page, live_server, w["officer_a"])
    page.goto(f"{live_server.url}/workbench/grid/")
    expect(page.get_by_text("待走访（1户）")).to_be_visible()
    page.get_by_role("link", name="陈**").click()
    page.wait_for_url(re.compile(rf"/workbench/grid/households/{person.pk}/$"))
    assert "陈桂英" not in page.content()
    assert _serious(page) == []
    _no_sideways_scroll(page)
    page.get_by_label(re.compile("走访情况")).fill("老人身体健康，子女每周探望")
    page.get_by_label("需要跟进").check()
    page.get_by_role("button", name="保存走访记录").click()
    page.wait_for_url(re.compile(rf"/workbench/grid/households/{person.pk}/$"))
    expect(page.get_by_text("老人身体健康，子女每周探望")).to_be_visible()
    assert HouseholdVisit.objects.filter(applicant=person).count() == 2
    page.goto(f"{live_server.url}/workbench/grid/households/")
    assert _serious(page) == []
    _no_sideways_scroll(page)
    page.goto(f"{live_server.url}/login/")  # sign out by signing in again below
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])
    _login(page, live_server, w["supervisor"])
    page.goto(f"{live_server.url}/workbench/grid/supervision/")
    expect(page.get_by_role("heading", name="网格员")).to_be_visible()
    assert _serious(page) == []
    _no_sideways_scroll(page)
