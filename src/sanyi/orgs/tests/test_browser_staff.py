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
