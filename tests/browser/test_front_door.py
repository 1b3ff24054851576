"""The front door in a real Chromium, on a phone and a desktop: a resident sets their area,
sees their nearest center and their community's notices, then searches from the box; the
page works without JavaScript and passes axe in both text sizes, with and without an area.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.openness.tests import factories as open_f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}


@pytest.fixture
def town():
    tree = open_f.setting()
    tree["comm1"].uscc = f.unique_uscc()
    tree["comm1"].save(update_fields=["uscc"])
    tree["district_center"] = f.center(tree["district"], windows=0, phone="0000-1000001")
    tree["comm_center"] = f.center(tree["comm1"], windows=0, phone="0000-1000003")
    comm_writer = f.staff(tree["comm1"], Role.DISCLOSURE_OFFICER)
    tree["notice"] = open_f.published(
        tree["comm1"],
        writer=comm_writer,
        reviewer=tree["reviewer"],
        title="社区居家养老服务站开放时间调整通知",
    )
    return tree


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def _set_area(page, tree):
    page.get_by_label("街道（乡镇）").select_option(tree["sub1"].code)
    page.get_by_label("社区（村）").select_option(tree["comm1"].code)
    page.get_by_role("button", name="保存我的地区").click()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_resident_sets_their_area_sees_their_center_and_notices_then_searches(
    live_server, phone_page, desktop_page, town, viewport
):
    page = phone_page if viewport == "phone" else desktop_page
    page.goto(live_server.url + "/")
    expect(page.get_by_role("searchbox", name="您要办什么事？")).to_be_visible()
    expect(page.get_by_text(town["district_center"].name)).to_be_visible()

    # with JavaScript, the community list offers only the chosen subdistrict's communities
    page.get_by_label("街道（乡镇）").select_option(town["sub2"].code)
    hidden = page.locator(f'[data-area-community] option[value="{town["comm1"].code}"]')
    assert hidden.evaluate("el => el.parentNode.disabled")
    _set_area(page, town)

    page.wait_for_url(f"{live_server.url}/#my-area")
    expect(page.get_by_text(f"{town['sub1'].name}{town['comm1'].name}").first).to_be_visible()
    center = page.locator("#nearest-center")
    expect(center.get_by_text(town["comm_center"].name)).to_be_visible()
    assert center.get_by_role("link", name="0000-1000003").get_attribute("href") == (
        "tel:0000-1000003"
    )
    notices = page.locator("#notices")
    expect(notices.get_by_role("link", name=town["notice"].title)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("searchbox", name="您要办什么事？").fill("养老")
    page.get_by_role("button", name="搜索", exact=True).click()

    page.wait_for_url("**/services/search/?q=*")
    assert "q=%E5%85%BB%E8%80%81" in page.url


def test_the_area_is_chosen_and_forgotten_without_javascript(live_server, browser, town):
    context = browser.new_context(
        locale="zh-CN", java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        _set_area(page, town)
        expect(
            page.locator("#nearest-center").get_by_text(town["comm_center"].name)
        ).to_be_visible()

        page.get_by_role("button", name="清除地区").click()

        expect(page.get_by_role("button", name="保存我的地区")).to_be_visible()
        assert page.locator("#notices").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("care", [False, True], ids=["normal", "large-text"])
def test_front_door_passes_axe_with_and_without_an_area(live_server, phone_page, town, care):
    page = phone_page
    if care:
        page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])

    page.goto(live_server.url + "/")
    assert _serious_violations(page) == [], "no area"
    page.goto(live_server.url + "/area/")
    assert _serious_violations(page) == [], "chooser"

    _set_area(page, town)
    page.wait_for_url(f"{live_server.url}/#my-area")
    assert _serious_violations(page) == [], "with area"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
