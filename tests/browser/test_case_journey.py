"""The whole journey of one case in a real Chromium: a resident applies online on a phone for
a community item, gets a one-time correction notice and fixes it; the clerk accepts at the
community window with the keyboard; the case goes to the subdistrict and the department;
the approver concludes; the resident sees "待领取" and rates the service."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from sanyi.cases.choices import CaseStatus, Decision, TaskStatus
from sanyi.cases.models import Case
from sanyi.cases.tests import factories as f
from sanyi.notify.channels import MemorySmsProvider
from tests.browser.steps import enter_sms_code, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"
SERIOUS = {"serious", "critical"}


def _axe_problems(page) -> list[str]:
    """Serious accessibility problems of the page as it stands (axe-core)."""
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False
    settings.SANYI_SMS_PROVIDER = "memory"
    MemorySmsProvider.reset()
    yield
    MemorySmsProvider.reset()


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


def _staff_log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _precheck(page, base_url, case, problems: dict[str, str]):
    """The clerk pre-checks: every material ok unless ``problems`` names it."""
    page.goto(f"{base_url}{reverse('workbench:cases:counter_precheck_queue')}")
    page.get_by_role("row", name=re.compile(case.number)).get_by_role("link", name="预审").click()
    for cm in case.materials.exclude(status="shared"):
        if cm.name in problems:
            page.locator(f"#id_status_{cm.pk}_1").check()
            page.locator(f"#id_problem_{cm.pk}").fill(problems[cm.pk if False else cm.name])
        else:
            page.locator(f"#id_status_{cm.pk}_0").check()
    if problems:
        page.get_by_role("button", name="预览告知内容").click()
        preview = page.get_by_role("status").filter(has_text="一次性告知书预览")
        for problem in problems.values():
            assert problem in preview.inner_text()
        assert _axe_problems(page) == []  # the pre-check page with its preview
    page.get_by_role("button", name="发送预审结果").click()
    page.wait_for_url(f"**{reverse('workbench:cases:counter_precheck_queue')}")


def _approve_in_back_office(browser, base_url, user, case, *, conclude=False):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        _staff_log_in(page, base_url, user.username)
        page.goto(f"{base_url}{reverse('workbench:cases:work_case', args=[case.pk])}")
        claim = page.get_by_role("button", name=re.compile("^认领"))
        if claim.count():
            with page.expect_navigation():
                claim.first.click()
        form = page.locator("#form-task")
        form.get_by_label("处理").select_option("approve")
        form.get_by_label("办理意见").fill("材料齐全，同意。")
        with page.expect_navigation():
            form.get_by_role("button", name="提交").click()
        if conclude:
            form = page.locator("#form-conclude")
            form.get_by_label("准予", exact=True).check()
            form.get_by_label("理由").fill("符合条件，准予办理。")
            form.get_by_label("法律依据").fill("《社会救助暂行办法》第十一条")
            with page.expect_navigation():
                form.get_by_role("button", name="办结并生成结果文书").click()
    finally:
        context.close()


def test_resident_applies_fixes_and_collects_while_staff_accept_route_and_conclude(
    live_server, browser, phone_page, desktop_page
):
    w = f.world()
    resident = f.applicant(name="林晓梅", phone="13900001234")
    item = w["community_item"]
    base = live_server.url
    phone = phone_page
    blocked_phone, blocked_desk = _watch_csp(phone), _watch_csp(desktop_page)

    # --- the resident finds the guide on the phone and starts an online application
    phone.goto(f"{base}{reverse('catalog:guide', args=[item.implementation_code])}")
    phone.get_by_role("link", name="在线申请").click()
    phone.wait_for_url("**/my/login/**")
    phone.get_by_label("证件号码").fill(resident.id_number)
    phone.get_by_label("手机号").fill(resident.phone)
    phone.get_by_role("button", name="获取短信验证码").click()
    enter_sms_code(phone, resident.phone)
    phone.get_by_role("button", name="确认").click()
    phone.wait_for_url(f"**{reverse('cases:apply', args=[item.implementation_code])}")
    phone.get_by_role("button", name="开始填写申请").click()
    phone.wait_for_url("**/edit/")
    case = Case.objects.get(applicant=resident)
    assert case.status == CaseStatus.DRAFT

    assert _axe_problems(phone) == []  # the application form
    phone.get_by_label("申请说明").fill("为家里老人申请")
    phone.get_by_role("button", name="保存草稿").click()
    phone.get_by_text("草稿已保存").wait_for()
    material = case.materials.exclude(status="shared").get()
    phone.locator(f"#file-{material.pk}").set_input_files(
        files=[{"name": "申请表.pdf", "mimeType": "application/pdf", "buffer": f.tiny_pdf()}]
    )
    row = phone.locator(f"#material-{material.pk}")
    row.get_by_role("button", name="上传", exact=True).click()
    row.get_by_text("已上传").wait_for()  # swapped in place by htmx
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_url(f"**{reverse('cases:case', args=[case.number])}")
    expect(phone.get_by_text("待预审").first).to_be_visible()

    # --- the community clerk pre-checks and sends one notice listing the problem
    desk = desktop_page
    _staff_log_in(desk, base, w["comm_clerk"].username)
    case.refresh_from_db()
    _precheck(desk, base, case, {material.name: "缺少申请人签名，请签字后重新上传"})
    case.refresh_from_db()
    assert case.status == CaseStatus.PRECHECK_RETURNED

    # --- the resident reads the notice and fixes it on the phone
    phone.reload()
    expect(phone.get_by_text("缺少申请人签名，请签字后重新上传").first).to_be_visible()
    assert _axe_problems(phone) == []  # the notice and the fix
    phone.locator(f"#file-{material.pk}").set_input_files(
        files=[
            {"name": "申请表-已签字.pdf", "mimeType": "application/pdf", "buffer": f.tiny_pdf(2)}
        ]
    )
    row = phone.locator(f"#material-{material.pk}")
    row.get_by_role("button", name="上传", exact=True).click()
    row.get_by_text("需要补正").wait_for(state="detached")  # the new file replaced the old
    phone.get_by_role("button", name="补正完成，重新提交").click()
    phone.get_by_text("补正材料已提交").wait_for()
    case.refresh_from_db()
    assert case.status == CaseStatus.PRECHECK

    # --- pre-check passes; the clerk accepts at the community window, keyboard only
    _precheck(desk, base, case, {})
    desk.goto(f"{base}{reverse('workbench:cases:counter')}")
    desk.get_by_label("网上预审件办件编号").fill(case.number)
    desk.keyboard.press("Enter")
    desk.wait_for_url(f"**{reverse('workbench:cases:counter_accept', args=[case.number])}")
    assert _axe_problems(desk) == []  # the acceptance screen
    problem_box = desk.locator(f"#id_problem_{material.pk}")
    problem_box.focus()
    desk.keyboard.press("Enter")  # Enter submits the decision (受理, the default)
    desk.wait_for_url(f"**{reverse('workbench:cases:counter_receipt', args=[case.number])}")
    expect(desk.get_by_role("link", name="打开受理回执（PDF）")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.window == w["comm_window"]

    # --- routed: the subdistrict reviews, the department approves and concludes, each in
    # the back office (their own browser)
    assert case.tasks.get(status=TaskStatus.OPEN).unit == w["sub1"]
    _approve_in_back_office(browser, base, w["sub_approver"], case)
    assert case.tasks.get(status=TaskStatus.OPEN).unit == w["dept"]
    _approve_in_back_office(browser, base, w["approver"], case, conclude=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED
    assert case.decision == Decision.APPROVE

    # --- the resident sees the result waiting at the window, and rates the service
    phone.goto(f"{base}{reverse('cases:mine')}")
    expect(phone.get_by_text("待领取").first).to_be_visible()
    follow(phone.get_by_role("link", name=item.base_item.name))
    expect(phone.get_by_text("结果已办好")).to_be_visible()
    # large-text mode on the phone: bigger type, still no sideways scrolling
    phone.get_by_role("button", name=re.compile("关怀模式")).click()
    assert "care" in (phone.locator("html").get_attribute("class") or "")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert _axe_problems(phone) == []
    phone.get_by_role("link", name="评价这次办事").click()
    phone.get_by_label("非常满意（5分）", exact=True).check()
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_url(f"**{reverse('ratings:rate', args=[case.number])}")
    from sanyi.ratings.models import Rating

    assert Rating.objects.get(case=case).level == 5

    # anyone with the short number and the last 4 of the phone sees the progress
    phone.goto(f"{base}{reverse('cases:track')}")
    phone.get_by_label("办件编号或短号").fill(case.short_number)
    phone.get_by_label("查询码，或证件号码、手机号的后4位").fill(resident.phone[-4:])
    phone.get_by_role("button", name="查询").click()
    phone.get_by_text("待领取").first.wait_for()
    assert _axe_problems(phone) == []
    assert blocked_phone == [] and blocked_desk == []  # no inline script anywhere
