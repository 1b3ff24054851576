"""The rich-text editor: an officer types a heading, a list and a table in the vendored
editor, under the site's CSP, and after review and publishing the portal page shows them."""

import pytest
from django.test import Client

from sanyi.openness import services
from sanyi.openness.models import Publication
from sanyi.openness.tests import factories as f
from tests.browser.test_case_journey import _axe_problems, _watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def _signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_heading_list_and_table_typed_in_the_editor_are_published(desktop_page, live_server):
    tree = f.setting()
    page = desktop_page
    blocked = _watch_csp(page)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _signed_in(page, live_server, tree["writer"])

    page.goto(f"{live_server.url}/workbench/open/publications/new/")
    editor = page.locator(".jodit-wysiwyg").first
    editor.wait_for()
    page.get_by_label("发布单位").select_option(str(tree["district"].pk))
    page.get_by_label("标题", exact=True).fill("春节期间便民服务安排")
    editor.click()
    page.keyboard.type("服务时间")
    page.locator(".jodit-toolbar-button_paragraph .jodit-toolbar-button__trigger").click()
    page.locator(".jodit-popup").get_by_text("一级标题").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.locator(".jodit-toolbar-button_ul .jodit-toolbar-button__button").click()
    page.keyboard.type("区政务服务中心照常上班")
    page.keyboard.press("Enter")
    page.keyboard.type("街道安排值班")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.locator(".jodit-toolbar-button_table .jodit-toolbar-button__button").click()
    page.locator('.jodit-popup [role="gridcell"][aria-label="2 by 2"]').click()
    page.keyboard.type("地点")
    assert _axe_problems(page) == []
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url("**/workbench/open/publications/*/")

    pub = Publication.objects.get(title="春节期间便民服务安排")
    assert "<h2>服务时间</h2>" in pub.body
    assert "<li>区政务服务中心照常上班</li>" in pub.body and "<ul>" in pub.body
    assert "<table>" in pub.body and "<td>地点</td>" in pub.body
    assert "style=" not in pub.body and "class=" not in pub.body

    services.publication_submit(actor=tree["writer"], publication=pub)
    services.publication_review(actor=tree["reviewer"], publication=pub, approve=True)
    services.publication_publish(actor=tree["writer"], publication=pub)
    page.goto(f"{live_server.url}/open/p/{pub.pk}/")
    body = page.locator(".publication-body")
    assert body.locator("h2", has_text="服务时间").count() == 1
    assert body.locator("ul li").count() == 2
    assert body.locator("table td").count() == 4
    assert body.locator("table td", has_text="地点").count() == 1
    assert blocked == [] and errors == []
