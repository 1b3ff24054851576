""" "看看我能不能办" in a real browser: a resident answers the questions on the guide page
of 高龄津贴 and is stopped at once with the plain reason (phone, with JavaScript), or by
the server after posting the form (desktop, without JavaScript)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.catalog.demo.eligibility import RULES_BY_ITEM
from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_f
from tests.browser.steps import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = "高龄津贴发给年满80周岁的老年人，您还不到80周岁。"
SERIOUS = {"serious", "critical"}


@pytest.fixture
def guide_url(live_server):
    units = org_with_centers()
    org_f.unit(units["street"], OrgKind.COMMUNITY, name="幸福社区")
    version = published_dibao(
        units, name="高龄津贴申请", eligibility_rules=RULES_BY_ITEM["高龄津贴申请"]
    )
    return f"{live_server.url}/services/{version.implementation_item.implementation_code}/"


def _watch_csp(page) -> list[str]:
    blocked: list[str] = []
    page.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return blocked


def _answer(page, age: str) -> None:
    page.get_by_label("个人").check()
    page.get_by_label("您今年多少周岁？").fill(age)
    page.get_by_label("您住在哪个街道、社区？").select_option(label="城关街道 幸福社区")


def test_a_69_year_old_is_stopped_at_once_on_a_phone(phone_page, guide_url):
    page = phone_page
    blocked = _watch_csp(page)
    page.goto(guide_url)
    panel = page.get_by_role("region", name="看看我能不能办")
    expect(panel.get_by_text("回答下面的问题")).to_be_visible()

    _answer(page, "69")

    # answered in the browser, before any form is sent
    expect(panel.get_by_text(REASON)).to_be_visible()
    assert page.url == guide_url
    page.get_by_label("您今年多少周岁？").fill("85")
    expect(panel.get_by_text("您符合这个事项的受理条件，可以申请。")).to_be_visible()
    expect(panel.get_by_text(REASON)).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert blocked == []
    violations = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    assert violations == []


def test_without_javascript_the_server_answers_the_form_on_a_desktop(browser, guide_url):
    context = browser.new_context(
        locale="zh-CN", java_script_enabled=False, viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(guide_url)
        _answer(page, "69")
        follow(page.get_by_role("button", name="看看我能不能办"))

        assert page.get_by_role("heading", level=1).inner_text().startswith("看看我能不能办")
        expect(page.get_by_text(REASON)).to_be_visible()
        assert page.get_by_label("您今年多少周岁？").input_value() == "69"
    finally:
        context.close()


def test_the_browser_evaluator_agrees_with_every_demo_rule_test_case(desktop_page, guide_url):
    """json-logic-js in the page gives each demo rule test case its expected answer, as
    the server's evaluator does (lint L019)."""
    cases = [
        {"logic": rule["logic"], "facts": case["facts"], "expected": case["expected"]}
        for rules in RULES_BY_ITEM.values()
        for rule in rules
        for case in rule["tests"]
    ]
    desktop_page.goto(guide_url)
    desktop_page.wait_for_function("() => window.jsonLogic !== undefined")

    answers = desktop_page.evaluate(
        "cases => cases.map(c => jsonLogic.truthy(jsonLogic.apply(c.logic, c.facts)))", cases
    )

    assert answers == [case["expected"] for case in cases]
    assert len(cases) >= 10


def test_a_condition_checked_only_when_applying_is_named_in_the_browser(desktop_page, live_server):
    units = org_with_centers()
    version = published_dibao(
        units, name="失业保险金申领", eligibility_rules=RULES_BY_ITEM["失业保险金申领"]
    )
    page = desktop_page
    page.goto(f"{live_server.url}/services/{version.implementation_item.implementation_code}/")
    panel = page.get_by_role("region", name="看看我能不能办")

    page.get_by_label("个人").check()

    expect(panel.get_by_text("您填写的情况符合已核对的条件。")).to_be_visible()
    expect(panel.get_by_text("以下条件在您申请时核对：没有在办的同一事项。")).to_be_visible()
    page.get_by_label("企业或其他组织").check()
    business = "这个事项由个人（本人或家属代办）申请，企业或单位不能申请。"
    expect(panel.get_by_text(business)).to_be_visible()
