"""A resident on a phone searches 低保, implemented by every subdistrict: one result asks
"您在哪里办理？"; choosing the area opens the local guide from then on. Suggestions appear
while typing. The page passes axe-core, in large-text mode too, and fits 390 px."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_factories
from sanyi.search.models import Synonym
from sanyi.search.services import synonym_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}


@pytest.fixture
def two_areas():
    if not Synonym.objects.filter(term="低保").exists():
        synonym_create(actor="系统：测试", term="低保", expansions=["最低生活保障"])
    units = org_with_centers()
    east = org_factories.unit(
        units["district"], OrgKind.SUBDISTRICT, name="东湖街道", uscc=org_factories.unique_uscc()
    )
    published_dibao(units)
    return published_dibao(units, unit=east)


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def test_one_result_asks_where_and_the_chosen_area_opens_the_local_guide(
    live_server, phone_page, two_areas
):
    page = phone_page
    page.goto(live_server.url + "/services/search/?q=低保")

    expect(page.get_by_text("您在哪里办理？")).to_be_visible()
    assert page.locator(".result-list > li").count() == 1
    assert _serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_label("记住我所在的地区，以后直接打开本地的办事指南").select_option(
        label="东湖街道"
    )
    page.get_by_role("button", name="记住并查看").click()

    expect(page.get_by_text("按您所在的地区，在东湖街道办理")).to_be_visible()
    code = two_areas.implementation_item.implementation_code
    page.locator(".result-list h2 a").click()
    page.wait_for_url(f"**/services/{code}/")

    # large-text mode: still fits a phone and passes
    page.goto(live_server.url + "/services/search/?q=低保")
    page.get_by_role("button", name="关怀模式").click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _serious_violations(page) == []


def test_suggestions_appear_while_typing(live_server, phone_page, two_areas):
    page = phone_page
    page.goto(live_server.url + "/services/search/")

    page.get_by_label("搜办事事项或“一件事”").press_sequentially("dib", delay=50)

    suggestion = page.locator("#search-suggestions a", has_text="低保").first
    suggestion.wait_for()
    suggestion.click()
    expect(page.get_by_text("您在哪里办理？")).to_be_visible()
