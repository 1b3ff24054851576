"""A disclosure officer on a phone drafts a record and sends it to review; the directory
and timeliness pages fit the screen (tables scroll inside their frame, not the page)."""

import datetime as dt

import pytest
from django.test import Client

from sanyi.openness.choices import PublicationStatus
from sanyi.openness.models import Publication
from sanyi.openness.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def _signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def _page_fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_officer_drafts_and_submits_on_a_phone(phone_page, live_server):
    org_tree = f.setting()
    entry = f.entry(org_tree["district"], l2="低保标准调整")
    f.draft(org_tree["district"], directory_entry=entry, formed_on=dt.date(2026, 1, 5))
    page = phone_page
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )
    _signed_in(page, live_server, org_tree["writer"])

    page.goto(f"{live_server.url}/workbench/open/")
    page.get_by_role("link", name="起草政府信息").click()
    page.get_by_label("发布单位").select_option(str(org_tree["district"].pk))
    page.get_by_label("标题").fill("关于调整城乡低保标准的通知")
    page.locator(".jodit-wysiwyg").click()
    page.keyboard.type("从2026年1月起，城市低保标准每人每月提高50元。")
    page.get_by_label("文件类型").select_option("normative")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url("**/workbench/open/publications/*/")
    page.get_by_role("button", name="提交保密审查").click()

    assert "已提交保密审查" in page.content()
    pub = Publication.objects.get(title="关于调整城乡低保标准的通知")
    assert pub.status == PublicationStatus.IN_REVIEW and pub.document_kind == "normative"
    assert _page_fits(page)
    for path in ["directory/", "timeliness/", "publications/"]:
        page.goto(f"{live_server.url}/workbench/open/{path}")
        assert _page_fits(page), path
    assert errors == []
