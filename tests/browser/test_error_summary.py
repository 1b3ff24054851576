"""After a failed submit on a staff page the error summary is in view and has the focus,
on a desk screen and on a phone: the case page's step form and the request reply form.
Its links take the keyboard to the field to correct."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.calendar.tests.factories import official_calendar
from sanyi.cases import services as case_services
from sanyi.cases.choices import CaseStatus, TaskStatus
from sanyi.cases.tests import factories as case_f
from sanyi.disclosure_requests.choices import Outcome, RequestStatus
from sanyi.disclosure_requests.tests import factories as request_f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    context = browser.new_context(locale="zh-CN", **VIEWPORTS[request.param])
    blocked: list[str] = []
    tab = context.new_page()
    tab.on(
        "console",
        lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield tab
    context.close()
    assert blocked == []


def _log_in(page, base_url, user) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _summary_is_focused_and_in_view(page) -> None:
    assert page.url.endswith("#error-summary")
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    page.wait_for_function("document.activeElement?.id === 'error-summary'")
    box = page.evaluate(
        "(() => { const r = document.getElementById('error-summary').getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, height: window.innerHeight}; })()"
    )
    assert 0 <= box["top"] < box["height"], box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []


def _link_moves_focus_to(page, link_text: str, field_id: str) -> None:
    page.locator("#error-summary").get_by_role("link", name=link_text).click()
    page.wait_for_function(f"document.activeElement?.id === '{field_id}'")


def test_failed_step_form_on_the_case_page(live_server, page):
    official_calendar()
    calendar_cache_clear()
    w = case_f.world()
    case = case_f.case(w)
    task = case.tasks.get(status=TaskStatus.OPEN)
    case_services.task_claim(task=task, actor=w["approver"])
    _log_in(page, live_server.url, w["approver"])
    page.goto(live_server.url + reverse("workbench:cases:work_case", args=[case.pk]))

    form = page.locator("#form-task")
    form.get_by_label("处理").select_option("disagree")
    with page.expect_navigation():
        form.get_by_role("button", name="提交").click()

    _summary_is_focused_and_in_view(page)
    # The summary sits in the step form that failed, not at the top of a long page.
    assert page.locator("#form-task #error-summary").count() == 1
    _link_moves_focus_to(page, "办理意见：不同意时请写明理由", "id_task-opinion")
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_failed_reply_on_the_request_page(live_server, page):
    official_calendar()
    org_tree = request_f.setting()
    request = request_f.registered(
        org_tree["agency"], actor=org_tree["officer"], received_on=dt.date.today()
    )
    _log_in(page, live_server.url, org_tree["officer"])
    page.goto(live_server.url + reverse("workbench:disclosure_requests:detail", args=[request.pk]))

    reply = page.locator("#action-reply")
    reply.get_by_label("办理结果").select_option(Outcome.DISCLOSE)
    with page.expect_navigation():
        reply.get_by_role("button", name="作出答复并生成答复书").click()

    _summary_is_focused_and_in_view(page)
    assert page.locator("#action-reply #error-summary").count() == 1
    link = page.locator("#error-summary a", has_text="答复内容")
    field_id = link.get_attribute("href").lstrip("#")
    _link_moves_focus_to(page, link.inner_text(), field_id)
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS
