"""The demand analysis pages in a real Chromium on a desktop: the funnel, the heat table
and the suggestions, without serious axe problems."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.analytics.tests.demand_factories import online_case, searches, views
from sanyi.analytics.tests.factories import fact_world
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"
SERIOUS = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def _serious(page) -> list[str]:
    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]


def test_demand_and_advice_pages_on_a_desktop(live_server, desktop_page):
    w = fact_world()
    admin = org_f.staff(w["district"], Role.CATALOG_ADMIN)
    searches("猫咪绝育补贴", 3)
    views(w["item"], 200)
    for _ in range(5):
        online_case(w, idle_days=10, form=True)
    page = desktop_page
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(admin.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(f"{live_server.url}/workbench/demand/")
    funnel = page.get_by_role("table", name="各事项从搜索到受理的人数")
    assert (
        "200次" in funnel.get_by_role("row").filter(has_text=w["item"].base_item.name).inner_text()
    )
    steps = page.get_by_role("table", name="放弃的网上申请草稿停在哪一步")
    assert "5份" in steps.get_by_role("row").filter(has_text="填了申请表").inner_text()
    assert _serious(page) == []

    page.get_by_role("link", name="查看改进建议").click()
    expect(page.get_by_text("居民搜索“猫咪绝育补贴”3次但没有找到")).to_be_visible()
    assert _serious(page) == []
