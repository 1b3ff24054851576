"""The catalogue admin pages in a real Chromium: live lint while editing a draft, submit,
and the four-eyes review and publication by a second admin."""

import pytest
from playwright.sync_api import expect

from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.tests import factories as catalog_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


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


def test_admin_edits_with_live_lint_and_a_second_admin_publishes(
    live_server, browser, desktop_page
):
    world = catalog_factories.org()
    draft = catalog_factories.item(unit=world["dept"], author=world["author"], name="食品经营许可")
    page = desktop_page
    blocked = _watch_csp(page)

    # the author opens the draft: no problems yet
    _log_in(page, live_server.url, world["author"].username)
    page.goto(f"{live_server.url}/workbench/catalog/versions/{draft.pk}/edit/")
    panel = page.locator("#lint-panel")
    submit = page.locator("#submit-for-review")
    expect(panel.get_by_text("没有发现问题")).to_be_visible()
    assert submit.is_enabled()

    # the complaint phone is made the same as the consultation phone: the error shows up
    # without saving, and submitting is blocked
    page.get_by_label("监督投诉电话", exact=True).fill("0591-12345601")
    error = panel.locator('li[data-code="L012"]')
    error.wait_for(state="visible")
    assert "不能与咨询电话相同" in error.inner_text()
    assert submit.is_disabled()
    assert ItemVersion.objects.get(pk=draft.pk).complaint_phone == "0591-12345602"  # unsaved

    # fixed: the error goes away and the draft is saved and submitted
    page.get_by_label("监督投诉电话", exact=True).fill("0591-12345699")
    panel.get_by_text("没有发现问题").wait_for(state="visible")
    submit.click()
    page.wait_for_url(f"**/workbench/catalog/versions/{draft.pk}/")
    expect(page.get_by_text("已提交审核").first).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_REVIEW
    assert draft.complaint_phone == "0591-12345699"

    # a second catalogue admin approves and publishes
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    try:
        reviewer = context.new_page()
        _log_in(reviewer, live_server.url, world["reviewer"].username)
        reviewer.goto(f"{live_server.url}/workbench/catalog/reviews/")
        reviewer.get_by_role("link", name="食品经营许可").click()
        expect(reviewer.get_by_text("0591-12345699").first).to_be_visible()
        reviewer.get_by_label("通过", exact=True).check()
        reviewer.get_by_label("审核意见").fill("内容准确，同意发布")
        reviewer.get_by_role("button", name="提交审核意见").click()
        reviewer.get_by_role("button", name="发布").click()
        reviewer.get_by_text("已发布，公开的办事指南已更新").wait_for(state="visible")
    finally:
        context.close()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.reviewed_by == world["reviewer"]
    assert blocked == []


def test_admin_writes_an_eligibility_rule_on_a_phone(live_server, phone_page):
    from axe_playwright_python.sync_playwright import Axe

    from sanyi.catalog.eligibility import rules_of

    world = catalog_factories.org()
    draft = catalog_factories.item(unit=world["dept"], author=world["author"], name="老年人优待证")
    page = phone_page
    blocked = _watch_csp(page)
    _log_in(page, live_server.url, world["author"].username)
    page.goto(f"{live_server.url}/workbench/catalog/versions/{draft.pk}/edit/")
    page.get_by_role("link", name="编写受理条件规则").click()

    page.get_by_label("规则名称").fill("年满60周岁")
    page.get_by_label("字段", exact=True).select_option("age")
    page.get_by_label("比较").select_option(">=")
    page.get_by_label("值", exact=True).fill("60")
    page.get_by_label("不符合时的说明").fill("老年人优待证发给年满60周岁的老年人。")
    page.get_by_label("第1个测试用例的情况").fill("age=60")
    page.get_by_label("第1个测试用例的预期结果").select_option(label="符合")
    page.get_by_label("第2个测试用例的情况").fill("age=59")
    page.get_by_label("第2个测试用例的预期结果").select_option(label="符合")  # wrong on purpose
    page.get_by_role("button", name="保存规则").click()

    expect(page.get_by_text("第2个测试用例预期“符合”，实际“不符合”").first).to_be_visible()
    assert rules_of(draft) == []
    page.get_by_label("第2个测试用例的预期结果").select_option(label="不符合")
    page.get_by_role("button", name="保存规则").click()
    page.get_by_text("已保存受理条件规则“年满60周岁”").wait_for(state="visible")
    assert [r["name"] for r in rules_of(draft)] == ["年满60周岁"]

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert blocked == []
    serious = {"serious", "critical"}
    violations = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in serious]
    assert violations == []
