"""A resident submits a request for information online on a phone, an officer confirms it
and replies on the workbench, and the resident tracks it with number and code, sees the
reply and downloads the reply letter."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.calendar.tests.factories import official_calendar
from sanyi.core.ids import make_resident_id
from sanyi.disclosure_requests.choices import Outcome, RequestStatus
from sanyi.disclosure_requests.models import InfoRequest
from sanyi.disclosure_requests.tests import factories as f
from tests.browser.steps import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    settings.SANYI_REQUEST_SUBMIT_LIMIT = 100
    settings.SANYI_REQUEST_TRACK_LIMIT = 100


def _watch_csp(page) -> list[str]:
    blocked: list[str] = []
    page.on(
        "console",
        lambda msg: (
            blocked.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    return blocked


def _fits_and_passes_axe(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == [], page.url


def test_resident_submits_online_and_later_sees_the_reply(live_server, phone_page, desktop_page):
    official_calendar()
    org_tree = f.setting()
    resident = phone_page
    # large-text mode (关怀模式), as many older residents use it
    resident.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])
    blocked = _watch_csp(resident)

    # the resident finds the form from the guide and fills it in on a phone
    resident.goto(f"{live_server.url}/open/requests/")
    _fits_and_passes_axe(resident)
    follow(resident.get_by_role("link", name="在线提出申请").first)
    _fits_and_passes_axe(resident)
    # the organisation category is asked only of organisations
    expect(resident.get_by_label("组织类别")).to_be_hidden()
    resident.get_by_label("法人或其他组织").check()
    expect(resident.get_by_label("组织类别")).to_be_visible()
    resident.get_by_label("自然人").check()
    resident.get_by_label("姓名或单位名称").fill("王小明")
    resident.get_by_label("证件号码").fill(make_resident_id("11010519900307123"))
    resident.get_by_label("联系电话").fill("10012345678")
    resident.get_by_label("向哪个机关申请").select_option(label=org_tree["agency"].name)
    resident.get_by_label("所需信息的内容描述").fill("2026年本区老旧小区改造项目名单")
    resident.get_by_label("电子文本（电子邮件或网上下载）").check()
    resident.get_by_label("我确认以上内容真实", exact=False).check()
    resident.get_by_role("button", name="提交申请").click()
    resident.get_by_text("申请已提交").first.wait_for()
    number = resident.locator("#request-number").inner_text().strip()
    code = resident.locator("#query-code").inner_text().strip()
    expect(resident.get_by_text("以机关确认的日期为准")).to_be_visible()
    _fits_and_passes_axe(resident)
    request = InfoRequest.objects.get(number=number)
    assert request.status == RequestStatus.AWAITING_CONFIRMATION

    # the officer confirms receipt and replies on the workbench
    officer = desktop_page
    officer.goto(f"{live_server.url}/login/")
    officer.get_by_label("用户名").fill(org_tree["officer"].username)
    officer.get_by_label("密码").fill(PASSWORD)
    officer.get_by_role("button", name="登录").click()
    officer.wait_for_url(lambda url: "/login/" not in url)
    officer.goto(f"{live_server.url}/workbench/open/requests/")
    follow(officer.get_by_role("link", name=number))
    _fits_and_passes_axe(officer)
    officer.get_by_role("button", name="确认收到").click()
    officer.get_by_text("已确认收到").wait_for()
    reply = officer.locator("#action-reply")
    reply.get_by_label("办理结果").select_option(Outcome.DISCLOSE)
    reply.get_by_label("答复内容").fill("您申请的项目名单已随本答复书提供。")
    # A grant must carry the information: here a printed copy handed over.
    reply.get_by_label("纸质信息送达方式").select_option(index=1)
    reply.get_by_label("纸质信息送达日期").fill(dt.date.today().isoformat())
    reply.get_by_role("button", name="作出答复并生成答复书").click()
    officer.get_by_text("已作出答复并生成答复书").wait_for()
    request.refresh_from_db()
    assert request.status == RequestStatus.REPLIED

    # later, the resident tracks the request with number and code
    resident.goto(f"{live_server.url}/open/requests/track/")
    resident.get_by_label("申请编号").fill(number)
    resident.get_by_label("查询码").fill(code)
    resident.get_by_role("button", name="查询").click()
    resident.locator("#reply-text").wait_for()
    assert "您申请的项目名单已随本答复书提供。" in resident.locator("#reply-text").inner_text()
    assert "予以公开" in resident.locator("#outcome").inner_text()
    _fits_and_passes_axe(resident)
    with resident.expect_download() as download_info:
        resident.get_by_role("link", name="下载答复书（PDF）").click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert blocked == []
