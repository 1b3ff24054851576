"""The public statistics page in a real Chromium, on a desktop and a phone, in normal and
large text: anyone picks a level and a month, the tables read on a phone without sideways
scrolling, printing leaves the form out, and axe finds nothing serious."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}
YEAR = timezone.localdate().year
DAY = dt.date(YEAR, 1, 6)


@pytest.fixture
def figures():
    from sanyi.analytics.services import rollup_rebuild
    from sanyi.analytics.tests.factories import bulk_cases, fact_world
    from sanyi.calendar.selectors import calendar_cache_clear
    from sanyi.calendar.tests.factories import official_calendar

    official_calendar()
    calendar_cache_clear()
    world = fact_world()
    spec = {"received": DAY, "accepted_on": DAY, "concluded_on": DAY, "promised_due_on": DAY}
    bulk_cases(world, [{**spec, "unit": world["comm1"], "visits": 1}] * 6)
    bulk_cases(world, [{**spec, "unit": world["comm2"]}] * 2)
    rollup_rebuild(start=DAY, end=DAY, actor="系统：测试")
    return world


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("care", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("device", ["desktop_page", "phone_page"])
def test_anyone_reads_the_figures_of_a_month_by_community(
    live_server, figures, request, device, care
):
    page = request.getfixturevalue(device)
    if care:
        page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="办件统计").first.click()
    page.get_by_label("月份").select_option("1")
    page.get_by_label("单位层级").select_option("community")
    page.get_by_role("button", name="查看").click()

    page.wait_for_url("**/statistics/?*")
    table = page.locator("table", has_text=figures["comm1"].name).first
    expect(table).to_be_visible()
    row = table.locator("tr", has_text=figures["comm1"].name)
    assert "6件" in row.inner_text() and "100.0%" in row.inner_text()
    other = table.locator("tr", has_text=figures["comm2"].name)
    assert "样本不足" in other.inner_text()
    assert _serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_printed_page_keeps_the_tables_and_leaves_the_form_out(
    live_server, figures, desktop_page
):
    page = desktop_page
    page.goto(f"{live_server.url}/statistics/?year={YEAR}&month=1&level=community")

    page.emulate_media(media="print")

    expect(page.locator("form[aria-label='选择统计时间和范围']")).to_be_hidden()
    expect(page.locator("table", has_text=figures["comm1"].name).first).to_be_visible()
