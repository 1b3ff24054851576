"""An applicant signs in on a phone with the demo code notice, reads a message and signs
out; the pages fit the screen and nothing is blocked by the CSP."""

import re

import pytest
from playwright.sync_api import expect

from sanyi.applicants.tests import factories as af
from sanyi.notify.services import notify_applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_signs_in_with_a_code_and_reads_a_message(live_server, phone_page, settings):
    settings.SANYI_SMS_PROVIDER = "console"
    person = af.person(phone="10012349999")
    notify_applicant(
        applicant=person, event="case.accepted", subject="您的申请已受理", body="请留意后续通知"
    )
    page = phone_page
    blocked: list[str] = []
    page.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="我的").click()
    page.wait_for_url(re.compile(r"/my/login/"))
    page.get_by_label("证件号码").fill(person.id_number)
    page.get_by_label("手机号").fill("10012349999")
    page.get_by_role("button", name="获取短信验证码").click()
    page.wait_for_url(re.compile(r"/my/login/code/"))
    expect(page.get_by_text("演示环境")).to_be_visible()
    code = page.locator(".demo-code .secret").inner_text().strip()
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="确认").click()
    page.wait_for_url(re.compile(r"/my/$"))
    expect(page.get_by_text(person.masked_id).first).to_be_visible()
    expect(page.get_by_text("1条未读")).to_be_visible()
    page.get_by_role("link", name="您的申请已受理").click()
    expect(page.get_by_text("请留意后续通知")).to_be_visible()
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    page.goto(f"{live_server.url}/my/")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(lambda url: "/my/" not in url)
    assert blocked == []
