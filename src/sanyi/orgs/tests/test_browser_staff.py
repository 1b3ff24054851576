"""The org tree page in a real Chromium: collapsible levels, links to unit pages."""

import pytest
from django.test import Client

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def _signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_tree_expands_and_leads_to_the_unit_page(desktop_page, live_server):
    tree = factories.tree()
    admin = factories.staff(tree["district"], Role.SYSTEM_ADMIN)
    page = desktop_page
    errors = []
    # Failed page resources (styles, scripts) other than the browser's own favicon probe.
    page.on(
        "response",
        lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )
    _signed_in(page, live_server, admin)

    page.goto(f"{live_server.url}/workbench/orgs/")

    grid_link = page.get_by_role("link", name=tree["grid1"].name)
    assert not grid_link.is_visible()  # communities start collapsed
    page.locator("summary", has_text=tree["comm1"].name).click()
    grid_link.click()
    page.wait_for_url("**/workbench/orgs/units/*/")
    assert page.locator("h1").inner_text() == tree["grid1"].name
    assert errors == []


SERIOUS = {"serious", "critical"}


def _no_serious_axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]


@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_assign_a_role_through_the_unit_picker_and_find_it_in_the_staff_list(
    request, live_server, page_fixture
):
    tree = factories.tree()
    cuiyuan = factories.unit(tree["sub1"], "community", name="翠苑社区")
    person = factories.staff(tree["comm2"], Role.SUPERVISOR, username="wang.fang")
    elsewhere = factories.staff(tree["comm2"], Role.APPROVER, username="li.na")
    admin_of_district = factories.staff(tree["district"], Role.SYSTEM_ADMIN)
    page = request.getfixturevalue(page_fixture)
    _signed_in(page, live_server, admin_of_district)

    # given: the person's page with the unit picker
    page.goto(f"{live_server.url}/workbench/orgs/staff/{person.pk}/")
    picker = page.get_by_label("所在单位", exact=True)
    assert picker.locator(f"option[value='{tree['comm2'].pk}']").count() == 1

    # when: the picker is narrowed by pinyin initials and the role assigned
    page.get_by_label("筛选所在单位").fill("cysq")
    assert picker.locator(f"option[value='{tree['comm1'].pk}']").is_hidden()
    assert picker.locator("option:not([hidden])", has_text="翠苑社区").count() == 1
    picker.select_option(value=str(cuiyuan.pk))
    page.locator("#id_role").select_option(label="审批人员")
    assert _no_serious_axe_violations(page) == []
    page.get_by_role("button", name="分配").click()

    # then: assigned, and the staff list filtered by the subdistrict shows it
    assert page.get_by_text("已在“翠苑社区”分配角色").is_visible()
    page.goto(f"{live_server.url}/workbench/orgs/staff/")
    page.get_by_label("单位（含下级单位）", exact=True).select_option(value=str(tree["sub1"].pk))
    page.get_by_role("button", name="查找").click()
    row = page.locator("#staff-list tr", has_text="wang.fang")
    assert "翠苑社区 · 审批人员" in row.inner_text()
    assert page.locator("#staff-list tr", has_text=elsewhere.username).count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _no_serious_axe_violations(page) == []
