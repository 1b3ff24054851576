"""Learning the work from the product itself, in a real Chromium on a desktop and on a phone:
a walk-in acceptance, an approval and a publication, each done by reading only the page's
help panel (本页说明). On every page the panel is there, says what the data file says, and
each control it names in quotes (“…”) is on the page at some point of the journey. Each
journey counts the actions it takes (fill, choose, tick, click), which the docs report.

The large-text mode (关怀模式) is on for the phone runs."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Case
from sanyi.cases.tests import factories as cf
from sanyi.openness.choices import PublicationStatus
from sanyi.openness.models import Publication
from sanyi.openness.tests import factories as of
from sanyi.workbench import help as page_help
from tests.browser.test_case_journey import _axe_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUOTED = re.compile(r"“([^”]+)”")
# The actions each journey takes, as the help leads through it (reported in docs/help.md).
EXPECTED_ACTIONS = {
    "walk_in": 10,
    "approval": 5,
    "approval_to_conclusion": 16,
    "publication": 13,
}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


@pytest.fixture(params=["desktop", "phone"])
def page(request, browser):
    from conftest import DESKTOP, PHONE

    context = browser.new_context(
        locale="zh-CN", **(PHONE if request.param == "phone" else DESKTOP)
    )
    context.device = request.param
    yield context.new_page()
    context.close()


class Journey:
    """Signs a user in, reads each page's help panel and counts the actions taken."""

    def __init__(self, page, base_url: str):
        self.page, self.base = page, base_url
        self.actions = 0
        self.named: dict[str, set[str]] = defaultdict(set)
        self.seen: dict[str, set[str]] = defaultdict(set)

    def sign_in(self, user) -> None:
        client = Client()
        client.force_login(user)
        cookies = [{"name": "sessionid", "value": client.cookies["sessionid"].value}]
        if self.page.context.device == "phone":
            cookies.append({"name": "sanyi_care", "value": "1"})
        self.page.context.clear_cookies()
        self.page.context.add_cookies([{**c, "url": self.base} for c in cookies])

    def read_help(self, view_name: str) -> list[str]:
        """Open the panel, check it against the data file, note the controls it names."""
        entry = page_help.page_help(view_name)
        assert entry is not None, view_name
        if self.page.context.device == "phone":
            assert "care" in (self.page.locator("html").get_attribute("class") or "")
        panel = self.page.locator("#page-help")
        assert panel.get_attribute("open") is None  # collapsed until asked
        panel.locator("summary").click()
        assert panel.locator(".help-purpose").inner_text() == entry.purpose
        steps = panel.locator(".help-steps li").all_inner_texts()
        assert steps == list(entry.steps), view_name
        for step in steps:
            self.named[view_name] |= set(QUOTED.findall(step))
        self.look(view_name)
        return steps

    def look(self, view_name: str) -> None:
        """Which of the controls the help names are on the page now (outside the panel)."""
        text = self.page.evaluate(
            """() => { const main = document.querySelector('main').cloneNode(true);
                 main.querySelector('#page-help')?.remove();
                 return main.innerText + ' ' + main.textContent; }"""
        )
        self.seen[view_name] |= {name for name in self.named[view_name] if name in text}

    def act(self, locator, how: str, *args, **kwargs) -> None:
        getattr(locator, how)(*args, **kwargs)
        self.actions += 1

    def submit(self, locator) -> None:
        """Click a button or link that loads the next page."""
        with self.page.expect_navigation():
            locator.click()
        self.actions += 1
        errors = self.page.locator(".form-errors, #error-summary")
        assert errors.count() == 0, errors.first.inner_text()

    def check_every_named_control_was_seen(self) -> None:
        missing = {
            v: self.named[v] - self.seen[v] for v in self.named if self.named[v] - self.seen[v]
        }
        assert missing == {}


def test_walk_in_acceptance_by_the_help_alone(live_server, page):
    w = cf.world()
    resident = cf.applicant_f.resident_id()
    j = Journey(page, live_server.url)
    j.sign_in(w["clerk"])

    page.goto(f"{live_server.url}{reverse('workbench:cases:counter_walk_in')}")
    j.read_help("workbench:cases:counter_walk_in")
    j.act(page.get_by_label("申请人证件号码"), "fill", resident)
    j.act(page.get_by_label("姓名或单位名称"), "fill", "周丽")
    j.act(page.get_by_label("联系电话"), "fill", "13900007777")
    j.act(page.get_by_label("搜索事项"), "fill", w["item"].base_item.name[:4])
    j.act(page.locator("#id_item"), "select_option", index=1)
    j.look("workbench:cases:counter_walk_in")
    j.submit(page.get_by_role("button", name="下一步：收材料（Enter）"))
    page.wait_for_url("**/counter/accept/*/")

    j.read_help("workbench:cases:counter_accept")
    notes = page.locator('[data-handbook="review"]')
    assert notes.count() == 2 and "审查要点" in notes.first.inner_text()
    for box in page.locator(".case-receive input[type=checkbox]").all():
        j.act(box, "check")
    j.act(page.get_by_label("受理", exact=True), "check")
    assert _axe_problems(page) == []
    j.submit(page.get_by_role("button", name="确认（Enter）"))
    page.wait_for_url("**/counter/cases/*/")

    j.read_help("workbench:cases:counter_receipt")
    j.check_every_named_control_was_seen()
    case = Case.objects.get(applicant__id_number=resident)
    assert case.status == CaseStatus.IN_PROGRESS
    assert j.actions == EXPECTED_ACTIONS["walk_in"]


def _approve_one_step(j: Journey, page, view: str) -> None:
    j.submit(page.get_by_role("button", name=re.compile("^认领")).first)
    _approve_claimed_step(j, page, view)


def _approve_claimed_step(j: Journey, page, view: str) -> None:
    j.act(page.locator("details[data-handbook=step] summary").first, "click")
    form = page.locator("#form-task")
    assert "办理要点" in form.inner_text()
    j.act(form.get_by_label("处理"), "select_option", "approve")
    j.act(form.get_by_label("办理意见"), "fill", "材料齐全，符合条件，同意。")
    j.look(view)
    j.submit(form.get_by_role("button", name="提交"))


def test_approval_by_the_help_alone(live_server, page):
    w = cf.world()
    case = cf.case(w)
    j = Journey(page, live_server.url)
    j.sign_in(w["approver"])
    view = "workbench:cases:work_case"

    page.goto(f"{live_server.url}{reverse('workbench:cases:work_case', args=[case.pk])}")
    j.read_help(view)
    assert _axe_problems(page) == []
    _approve_one_step(j, page, view)
    assert j.actions == EXPECTED_ACTIONS["approval"]

    # the remaining steps, then 办结 as the help's last step says
    while page.get_by_role("button", name=re.compile("^认领")).count():
        j.submit(page.get_by_role("button", name=re.compile("^认领")).first)
        if not page.locator("#form-task").count():
            break  # the 办结 step: its form is the 办结 section
        _approve_claimed_step(j, page, view)
    form = page.locator("#form-conclude")
    j.look(view)
    j.act(form.get_by_label("准予", exact=True), "check")
    j.act(form.get_by_label("理由"), "fill", "符合条件，准予办理。")
    j.act(form.get_by_label("法律依据"), "fill", "《行政许可法》第三十八条")
    j.act(form.get_by_label("有效期起"), "fill", "2026-12-07")
    j.submit(form.get_by_role("button", name="办结并生成结果文书"))
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED
    assert j.actions == EXPECTED_ACTIONS["approval_to_conclusion"]
    j.check_every_named_control_was_seen()


def test_publication_by_the_help_alone(live_server, page, browser):
    tree = of.setting()
    j = Journey(page, live_server.url)
    j.sign_in(tree["writer"])

    page.goto(f"{live_server.url}{reverse('workbench:openness:publications')}")
    j.read_help("workbench:openness:publications")
    j.submit(page.get_by_role("link", name="起草政府信息"))
    page.wait_for_url("**/publications/new/")
    j.read_help("workbench:openness:publication_create")
    j.act(page.get_by_label("发布单位"), "select_option", str(tree["district"].pk))
    j.act(page.get_by_label("标题"), "fill", "关于调整城乡低保标准的通知")
    # 正文 is the rich-text editor (the plain box behind it without JavaScript).
    j.act(page.locator(".jodit-wysiwyg"), "fill", "从2027年1月起，城市低保标准每人每月提高50元。")
    j.act(page.get_by_label("成文日期"), "fill", "2026-12-01")
    j.act(page.get_by_label("公开属性"), "select_option", index=0)
    j.submit(page.get_by_role("button", name="保存草稿"))
    page.wait_for_url(re.compile(r".*/publications/\d+/$"))
    j.read_help("workbench:openness:publication")
    j.submit(page.get_by_role("button", name="提交保密审查"))
    pub = Publication.objects.get(title="关于调整城乡低保标准的通知")
    assert pub.status == PublicationStatus.IN_REVIEW

    # a second officer reviews, as the help says (four eyes), then publishes
    j.sign_in(tree["reviewer"])
    page.goto(f"{live_server.url}{reverse('workbench:openness:reviews')}")
    j.read_help("workbench:openness:reviews")
    j.submit(page.get_by_role("link", name="关于调整城乡低保标准的通知"))
    page.wait_for_url("**/review/")
    j.read_help("workbench:openness:publication_review")
    j.act(page.get_by_label(re.compile("通过：")), "check")
    j.act(page.get_by_label("审查意见"), "fill", "不涉密，同意公开。")
    assert _axe_problems(page) == []
    j.submit(page.get_by_role("button", name="提交审查结论"))
    page.wait_for_url(re.compile(r".*/publications/\d+/$"))
    j.look("workbench:openness:publication")
    j.submit(page.get_by_role("button", name="发布", exact=True))
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PUBLISHED
    j.look("workbench:openness:publication")
    missing = j.named["workbench:openness:publication"] - j.seen["workbench:openness:publication"]
    assert missing == set()
    assert j.actions == EXPECTED_ACTIONS["publication"]


def test_a_new_account_follows_the_walkthrough_and_closes_it(live_server, page):
    from sanyi.orgs.models import Role
    from sanyi.orgs.tests import factories as org_f

    tree = org_f.tree()
    newcomer = org_f.staff(tree["sub1"], Role.APPROVER)
    j = Journey(page, live_server.url)
    j.sign_in(newcomer)
    page.goto(f"{live_server.url}{reverse('workbench:home')}")

    tour = page.locator("#walkthrough")
    steps = tour.locator("ol li a")
    assert steps.count() == 4
    for i in range(steps.count()):
        target = steps.nth(i).get_attribute("href")
        steps.nth(i).click()
        assert page.evaluate("location.hash") == target
        expect(page.locator(target)).to_be_visible()
    assert _axe_problems(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="知道了，不再显示").click()

    assert page.locator("#walkthrough").count() == 0
    newcomer.refresh_from_db()
    assert newcomer.walkthrough_done_at is not None
    page.reload()
    assert page.locator("#walkthrough").count() == 0
