"""The readability of a publication on its staff page, in a real Chromium on a phone: the
score, the threshold and the causes as a warning; the page passes the axe check."""

import pytest
from django.urls import reverse

from sanyi.openness.tests import factories as f
from sanyi.openness.tests.test_readability import JARGON
from tests.browser.test_case_journey import _axe_problems, _staff_log_in, _watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def test_the_record_page_shows_the_score_and_its_causes(live_server, phone_page):
    tree = f.setting()
    pub = f.draft(
        tree["district"],
        actor=tree["writer"],
        body=JARGON,
    )
    page = phone_page
    blocked = _watch_csp(page)
    _staff_log_in(page, live_server.url, tree["writer"].username)
    page.goto(f"{live_server.url}{reverse('workbench:openness:publication', args=[pub.pk])}")
    section = page.locator("section", has=page.get_by_role("heading", name="通俗易懂程度"))
    text = section.inner_text()
    assert "70分达标" in text and "“不予受理”可写作“不能办理”" in text
    assert "不影响提交和发布" in text
    assert page.get_by_role("button", name="提交保密审查").is_enabled()
    assert _axe_problems(page) == []
    assert blocked == []
