"""Tables on a 390-pixel phone: the publication's metadata names each field once, the
"评价统计" caption reads as one line, and the annual report's wide tables say they scroll
sideways and keep their first column in view."""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sanyi.openness.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"
CORPUS = Path(__file__).resolve().parents[2] / "src/sanyi/openness/demo/publications.jsonl"


def test_publication_metadata_names_each_field_once_on_a_phone(live_server, phone_page):
    from sanyi.openness.importing import publications_import
    from sanyi.openness.tests import factories as f

    org_tree = f.setting()
    publications_import(
        lines=CORPUS.read_text(encoding="utf-8").splitlines()[:1], publisher=org_tree["district"]
    )
    publication = Publication.objects.get()
    page = phone_page

    page.goto(f"{live_server.url}/open/p/{publication.pk}/")

    table = page.locator("table.metadata")
    expect(table).to_be_visible()
    # The row header shows "索引号" once; the cell does not repeat it above the value.
    assert table.inner_text().count("索引号") == 1
    repeated = page.evaluate(
        "() => [...document.querySelectorAll('table.metadata td[data-label]')]"
        ".filter(td => getComputedStyle(td, '::before').content.includes(td.dataset.label))"
        ".length"
    )
    assert repeated == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_ratings_caption_is_one_line_on_a_phone(live_server, phone_page):
    page = phone_page

    page.goto(f"{live_server.url}/ratings/")

    caption = page.locator("caption", has_text="评价统计").first
    box = caption.bounding_box()
    line = page.evaluate(
        "el => parseFloat(getComputedStyle(el).lineHeight) || 24", caption.element_handle()
    )
    assert box["width"] > 100
    assert box["height"] < 2 * line  # not one character per line


def test_annual_report_tables_scroll_with_a_hint_and_a_fixed_first_column(
    live_server, phone_page, settings
):
    from sanyi.annual_reports.tests import factories as f
    from sanyi.disclosure_requests.choices import Outcome

    settings.SANYI_REQUIRE_ADMIN_OTP = False
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
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(org_tree["officer"].username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(f"{live_server.url}/workbench/open/reports/{report.pk}/")

    expect(page.get_by_text("表格较宽，请左右滑动查看").first).to_be_visible()
    wrap = page.locator("#table-s3").locator("xpath=..")
    first = page.locator("#table-s3 tbody tr th").first
    x_before = first.bounding_box()["x"]
    wrap.evaluate("el => { el.scrollLeft = 300; }")
    page.wait_for_timeout(100)
    assert wrap.evaluate("el => el.scrollLeft") > 0
    # The first column stays where it was while the numbers scroll under it.
    assert abs(first.bounding_box()["x"] - x_before) < 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
