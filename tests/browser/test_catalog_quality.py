"""The quality page in a real Chromium on a phone: rule codes with their names and the
readability score of each guide, readable at 390 pixels and without serious axe problems."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.catalog.tests import factories as catalog_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"
SERIOUS = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def test_quality_page_shows_rule_names_and_readability_on_a_phone(live_server, phone_page):
    world = catalog_factories.org()
    catalog_factories.item(
        unit=world["dept"],
        author=world["author"],
        name="难懂的事项",
        guide=catalog_factories.good_guide(
            acceptance_conditions=(
                "对不符合条件的申请不予受理并一次性告知，逾期不予许可；"
                "窗口进行审核工作后予以办理；申请人的户籍的证明的复印件须核验后送达。"
            )
        ),
    )
    page = phone_page
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(world["author"].username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(f"{live_server.url}/workbench/catalog/quality/?status=draft")
    by_rule = page.get_by_role("table", name="按规则统计")
    assert "不够通俗易懂" in by_rule.get_by_role("row").filter(has_text="L022").inner_text()
    table = page.get_by_role("table", name="每份指南的可读性得分")
    row = table.get_by_role("row").filter(has_text="难懂的事项")
    assert "未达标" in row.inner_text()
    # nothing pushes the page sideways on a 390-pixel screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(f"{live_server.url}/workbench/catalog/quality/?status=draft&rule=L022")
    expect(page.locator("#drill-down").get_by_text("L022 不够通俗易懂")).to_be_visible()
    problems = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    assert problems == []
