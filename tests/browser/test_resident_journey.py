"""A new resident's whole journey in a real Chromium, on a phone and a desktop, in normal
and large text (关怀模式): set the area on the front door, search 开饭店 from the home box
and find the restaurant items first, search 低保 and get one result that opens the guide
of their own subdistrict (not another town's), then open 高龄津贴 and be stopped with the
plain reason when under 80. Every page passes axe-core and fits the screen."""

from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.journey.town import AGE_REASON, build_town, code_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}
RESTAURANT_TITLES = ("开办餐饮店", "个体工商户设立登记")


@pytest.fixture
def town():
    return build_town()


def _check_page(page, where: str) -> None:
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in SERIOUS
    ]
    assert violations == [], where
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), where


def _search_from(page, text: str) -> None:
    box = page.get_by_role("searchbox").first
    box.fill(text)
    box.press("Enter")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == [text])


@pytest.mark.parametrize("care", [False, True], ids=["normal", "large-text"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_new_resident_finds_the_right_service_at_once(
    live_server, phone_page, desktop_page, town, viewport, care
):
    page = phone_page if viewport == "phone" else desktop_page
    if care:
        page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])
    page.goto(live_server.url + "/")
    _check_page(page, "front door")

    page.get_by_label("街道（乡镇）").select_option(label="城关街道")
    page.get_by_label("社区（村）").select_option(label="幸福社区")
    page.get_by_role("button", name="保存我的地区").click()
    page.wait_for_url(f"{live_server.url}/#my-area")
    expect(page.get_by_text("城关街道幸福社区").first).to_be_visible()
    _check_page(page, "front door with an area")

    _search_from(page, "开饭店")
    titles = page.locator(".result-list > li h2").all_inner_texts()
    assert titles[0].strip() in RESTAURANT_TITLES, titles
    assert {t.strip() for t in titles[:3]} >= set(RESTAURANT_TITLES), titles
    _check_page(page, "search 开饭店")

    _search_from(page, "低保")
    assert page.locator(".result-list > li").count() == 1
    expect(page.get_by_text("按您所在的地区，在城关街道办理")).to_be_visible()
    _check_page(page, "search 低保")
    page.locator(".result-list h2 a").click()
    page.wait_for_url(f"**/services/{code_of(town['dibao'])}/")
    assert code_of(town["dibao"]) != code_of(town["east_dibao"])
    _check_page(page, "低保 guide")

    page.get_by_role("link", name="首页", exact=True).first.click()
    page.wait_for_url(f"{live_server.url}/")
    _search_from(page, "高龄津贴")
    page.locator(".result-list h2 a", has_text="高龄津贴申请").click()
    page.wait_for_url(f"**/services/{code_of(town['gaoling'])}/")
    panel = page.get_by_role("region", name="看看我能不能办")
    # the area chosen on the front door already answers where the resident lives
    assert page.get_by_label("您住在哪个街道、社区？").input_value() == (
        town["home_community"].code
    )
    page.get_by_label("个人").check()
    page.get_by_label("您今年多少周岁？").fill("72")
    expect(panel.get_by_text(AGE_REASON)).to_be_visible()
    _check_page(page, "高龄津贴 guide, answered")


def test_in_english_the_answer_given_in_the_browser_is_english_too(live_server, phone_page, town):
    page = phone_page
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/services/{code_of(town['gaoling'])}/")
    panel = page.get_by_role("region", name="Check whether I can apply")

    page.get_by_label("Individual").check()
    page.get_by_label("How old are you (full years)?").fill("72")
    page.get_by_label("Which subdistrict and community do you live in?").select_option(
        label="城关街道 幸福社区"
    )

    expect(panel.get_by_text("From what you told us, you cannot apply")).to_be_visible()
    page.get_by_label("How old are you (full years)?").fill("85")
    expect(
        panel.get_by_text("You meet the conditions for this service and can apply.")
    ).to_be_visible()
    _check_page(page, "guide in English")
