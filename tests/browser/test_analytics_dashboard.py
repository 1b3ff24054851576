"""A supervisor opens the dashboard on a desktop and on a phone (large text): the charts
are drawn, each has its table with the same numbers, a figure leads to its cases, and
the page passes axe without scrolling sideways."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from sanyi.calendar.selectors import calendar_cache_clear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}
DAY = dt.date(2026, 3, 10)
QUERY = "?start=2026-03-09&end=2026-03-11"


def _serious(page) -> list[str]:
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in SERIOUS
    ]


def _login(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill("Test-Passw0rd!")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _world():
    from sanyi.analytics.services import rollup_day
    from sanyi.analytics.tests.factories import bulk_cases, fact_world
    from sanyi.calendar.tests.factories import official_calendar

    official_calendar()
    calendar_cache_clear()
    w = fact_world()
    late = {"accepted_on": DAY, "concluded_on": DAY, "promised_due_on": DAY - dt.timedelta(1)}
    bulk_cases(w, [{"unit": w["comm1"], "received": DAY, **late}] * 3)
    bulk_cases(w, [{"unit": w["comm2"], "received": DAY, "accepted_on": DAY}] * 4)
    rollup_day(day=DAY, actor="系统：测试")
    return w


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_dashboard_draws_charts_with_tables_and_leads_to_the_cases(
    live_server, desktop_page, phone_page, device
):
    w = _world()
    page = desktop_page if device == "desktop" else phone_page
    if device == "phone":
        page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])
    _login(page, live_server, w["supervisor"])
    errors: list[str] = []  # a CSP violation is reported here too
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/workbench/analytics/{QUERY}&unit={w['sub'].pk}")

    page.wait_for_selector("#chart-days canvas")
    for chart in ("#chart-days", "#chart-channels", "#chart-units"):
        assert page.locator(f"{chart} canvas").count() >= 1
    page.locator("#days-title ~ details summary").click()
    day_row = page.locator("#table-days tbody tr", has_text="2026-03-10")
    assert day_row.locator("td").all_inner_texts() == ["7", "7", "3"]
    assert page.locator("#kpi-received .kpi-value").inner_text().startswith("7")
    page.locator("#chart-days canvas").first.hover()  # a tooltip, drawn without HTML
    assert _serious(page) == [] and errors == []
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]

    page.locator("#kpi-on_time_promised").click()
    page.wait_for_url(re.compile(r"/workbench/analytics/cases/"))
    assert page.locator("#drill-count").inner_text() == "3"
    assert _serious(page) == []
