"""Forwarding a step: the target units are grouped by level and a filter box narrows them
(on a phone and a desktop); without JavaScript the grouped dropdown still works."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from sanyi.cases import services
from sanyi.cases.choices import TaskStatus
from sanyi.cases.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"
SERIOUS = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def _claimed_case():
    w = f.world()
    case = f.case(w)
    task = case.tasks.get(status=TaskStatus.OPEN)
    services.task_claim(task=task, actor=w["approver"])
    return w, case


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_the_filter_box_narrows_the_grouped_units(live_server, request, page_fixture):
    page = request.getfixturevalue(page_fixture)
    w, case = _claimed_case()
    _log_in(page, live_server.url, w["approver"].username)
    page.goto(live_server.url + reverse("workbench:cases:work_case", args=[case.pk]))
    select = page.locator("select[name$='to_unit']")
    select.wait_for(state="attached")
    assert select.locator("optgroup").count() == 3

    box = page.get_by_label("筛选转交单位")
    box.fill(w["comm1"].name)

    visible = select.locator("option:not([hidden])").all_inner_texts()
    assert [t for t in visible if t != "—"] == [f"{w['comm1'].name}（{w['sub1'].name}）"]
    assert select.locator("optgroup:not([hidden])").count() == 1
    select.select_option(str(w["comm1"].pk))
    box.fill("")
    assert select.locator("option[hidden]").count() == 0
    problems = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    assert problems == []


def test_without_javascript_the_dropdown_is_grouped(live_server, browser):
    w, case = _claimed_case()
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        _log_in(page, live_server.url, w["approver"].username)
        page.goto(live_server.url + reverse("workbench:cases:work_case", args=[case.pk]))
        select = page.locator("select[name$='to_unit']")
        assert select.locator("optgroup").count() == 3
        assert page.locator(".select-filter").count() == 0
    finally:
        context.close()
