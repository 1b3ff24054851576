"""An officer replies 予以公开 with a PDF and a published document picked on the page; the
signed-in applicant sees the request concluded, downloads the file and follows the link.
An officer records a consultation with another agency and sees the due date move."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from sanyi.applicants.tests import factories as af
from sanyi.calendar.tests.factories import official_calendar
from sanyi.core.pdf import render_pdf
from sanyi.disclosure_requests.choices import Outcome, RequestStatus
from sanyi.disclosure_requests.tests import factories as f
from sanyi.openness.models import Publication

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"


def _fits_and_passes_axe(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == [], page.url


def _sign_in_officer(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _sign_in_applicant(page, live_server, person) -> None:
    page.goto(f"{live_server.url}/my/login/")
    page.get_by_label("证件号码").fill(person.id_number)
    page.get_by_label("手机号").fill(person.phone)
    page.get_by_role("button", name="获取短信验证码").click()
    page.wait_for_url(re.compile(r"/my/login/code/"))
    page.get_by_label("短信验证码").fill(page.locator(".demo-code .secret").inner_text().strip())
    page.get_by_role("button", name="确认").click()
    page.wait_for_url(re.compile(r"/my/$"))


def _due_text(page) -> str:
    return page.locator(".facts > div", has_text="答复期限").locator("dd").inner_text().strip()


def test_a_grant_carries_a_file_and_a_publication_to_the_applicant(
    live_server, phone_page, desktop_page, settings, tmp_path
):
    settings.SANYI_SMS_PROVIDER = "console"
    official_calendar()
    org_tree = f.setting()
    person = af.person(phone="10012348888")
    request = f.online(org_tree["agency"], id_number=person.id_number, phone=person.phone).request
    pub = Publication.objects.create(
        publisher=org_tree["agency"], title="示范区最低生活保障标准", status="published",
        publish_at=timezone.now() - dt.timedelta(days=1), index_number="TEST-2026-0001",
    )  # fmt: skip
    body = render_pdf("<html lang='zh'><body><p>最低生活保障资金发放名单</p></body></html>")
    attached = tmp_path / "发放名单.pdf"
    attached.write_bytes(body)

    officer = desktop_page
    _sign_in_officer(officer, live_server, org_tree["officer"])
    officer.goto(f"{live_server.url}/workbench/open/requests/{request.pk}/")
    officer.get_by_role("button", name="确认收到").click()
    officer.get_by_text("已确认收到").wait_for()
    officer.get_by_role("textbox", name="查找已公开信息").fill("最低生活保障")
    officer.get_by_role("button", name="查找").click()
    officer.locator("#found-count").wait_for()
    reply = officer.locator("#action-reply")
    reply.get_by_label("办理结果").select_option(Outcome.DISCLOSE)
    reply.get_by_label("答复内容").fill("您申请的信息见所附文件和已公开的标准。")
    reply.get_by_label("所附文件", exact=False).set_input_files(str(attached))
    reply.get_by_label("示范区最低生活保障标准", exact=False).check()
    _fits_and_passes_axe(officer)
    reply.get_by_role("button", name="作出答复并生成答复书").click()
    officer.get_by_text("已作出答复并生成答复书").wait_for()
    badge = officer.locator("#request-status").locator("xpath=..")
    assert "已办结" in badge.inner_text() and "暂定" not in badge.inner_text()
    request.refresh_from_db()
    assert request.status == RequestStatus.REPLIED

    applicant = phone_page
    _sign_in_applicant(applicant, live_server, person)
    applicant.goto(f"{live_server.url}/open/requests/mine/")
    applicant.get_by_role("link", name=request.number).click()
    applicant.locator("#reply-carriers").wait_for()
    assert applicant.locator("#request-status").inner_text().strip() == "已答复"
    expect(applicant.get_by_text("办结日期")).to_be_visible()
    assert "暂定" not in applicant.locator("main").inner_text()
    _fits_and_passes_axe(applicant)
    link = applicant.get_by_role("link", name="发放名单.pdf")
    with applicant.expect_download() as download_info:
        link.click()
    with open(download_info.value.path(), "rb") as got:
        assert got.read() == body
    # the same link, fetched with the applicant's session, says what it is
    served = applicant.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert served.ok and served.headers["content-type"] == "application/pdf"
    assert served.body() == body
    applicant.get_by_role("link", name="示范区最低生活保障标准").click()
    applicant.wait_for_url(re.compile(rf"/{pub.pk}/?"))
    expect(applicant.get_by_text("示范区最低生活保障标准").first).to_be_visible()


def test_an_agency_consultation_moves_the_due_date_on_the_page(live_server, desktop_page):
    official_calendar()
    org_tree = f.setting()
    today = timezone.localdate()
    request = f.registered(
        org_tree["agency"], actor=org_tree["officer"], received_on=today - dt.timedelta(days=14)
    )
    officer = desktop_page
    _sign_in_officer(officer, live_server, org_tree["officer"])
    officer.goto(f"{live_server.url}/workbench/open/requests/{request.pk}/")
    before = _due_text(officer)

    start = officer.locator("#action-agency-consultation-start")
    start.get_by_label("发出征求意见日期").fill(f"{today - dt.timedelta(days=10):%Y-%m-%d}")
    start.get_by_label("被征求意见的机关").fill("区自然资源局")
    start.get_by_label("征求意见事项").fill("该宗地的征收批复是否可以公开")
    start.get_by_role("button", name="开始征求意见").click()
    officer.get_by_text("已开始征求意见").wait_for()
    assert "区自然资源局" in officer.locator("main").inner_text()

    end = officer.locator("#action-agency-consultation-end")
    end.get_by_label("收到答复日期").fill(f"{today:%Y-%m-%d}")
    end.get_by_label("其他机关的意见").fill("同意公开")
    end.get_by_role("button", name="登记其他机关意见").click()
    officer.get_by_text("已登记其他机关意见").wait_for()
    after = _due_text(officer)
    _fits_and_passes_axe(officer)
    request.refresh_from_db()
    assert after != before
    assert after.startswith(f"{request.reply_due_on:%Y-%m-%d}")


def test_on_a_phone_a_grant_with_nothing_attached_is_explained_at_the_field(
    live_server, phone_page
):
    official_calendar()
    org_tree = f.setting()
    request = f.registered(
        org_tree["agency"], actor=org_tree["officer"], received_on=timezone.localdate()
    )
    Publication.objects.create(
        publisher=org_tree["agency"], title="示范区低保标准", status="published",
        publish_at=timezone.now() - dt.timedelta(days=1), index_number="TEST-2026-0002",
    )  # fmt: skip
    officer = phone_page
    _sign_in_officer(officer, live_server, org_tree["officer"])
    officer.goto(f"{live_server.url}/workbench/open/requests/{request.pk}/")
    # a publication ticked before another error stays ticked when the form comes back
    officer.get_by_role("textbox", name="查找已公开信息").fill("低保")
    officer.get_by_role("button", name="查找").click()
    reply = officer.locator("#action-reply")
    reply.get_by_label("办理结果").select_option(Outcome.DISCLOSE)
    reply.get_by_label("答复内容").fill("全文见附件。")
    reply.get_by_label("示范区低保标准", exact=False).check()
    reply.get_by_label("纸质信息送达日期").fill(f"{timezone.localdate():%Y-%m-%d}")
    reply.get_by_role("button", name="作出答复并生成答复书").click()
    officer.locator("#error-summary").wait_for()
    assert "请选择送达方式" in officer.locator("#error-summary").inner_text()
    assert officer.locator("#action-reply").get_by_label("示范区低保标准").is_checked()
    reply.get_by_label("示范区低保标准").uncheck()
    reply.get_by_label("纸质信息送达日期").fill("")
    reply.get_by_role("button", name="作出答复并生成答复书").click()
    summary = officer.locator("#error-summary")
    summary.wait_for()
    expect(summary).to_contain_text("所附文件")
    assert "请上传载有信息的文件" in summary.inner_text()
    files = officer.locator("#action-reply").get_by_label("所附文件", exact=False)
    assert files.get_attribute("aria-invalid") == "true"
    assert "请上传载有信息的文件" in officer.locator("#action-reply").inner_text()
    _fits_and_passes_axe(officer)
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
