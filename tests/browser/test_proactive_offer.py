"""主动服务 in a real Chromium on a phone: a resident who turned 80 finds the 免申即享
message in 我的消息, opens the offer (marked seen), and confirms the application that was
opened for them with one tap; it goes to pre-check like any other."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.calendar.tests.factories import official_calendar
from sanyi.cases.choices import CaseStatus
from sanyi.cases.tests import factories as case_f
from sanyi.notify.channels import MemorySmsProvider
from sanyi.proactive.models import ProactiveOffer
from sanyi.proactive.services import proactive_run
from sanyi.proactive.tests.factories import auto_item, born, rule
from tests.browser.steps import enter_sms_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.SANYI_SMS_PROVIDER = "memory"
    settings.MEDIA_ROOT = str(tmp_path)
    MemorySmsProvider.reset()
    official_calendar()
    calendar_cache_clear()
    yield
    calendar_cache_clear()
    MemorySmsProvider.reset()


def _axe_problems(page) -> list[str]:
    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _sign_in(page, person) -> None:
    page.get_by_label("证件号码").fill(person.id_number)
    page.get_by_label("手机号").fill(person.phone)
    page.get_by_role("button", name="获取短信验证码").click()
    enter_sms_code(page, person.phone)
    page.get_by_role("button", name="确认").click()


def test_resident_confirms_the_auto_case_from_the_message(live_server, phone_page):
    w = case_f.world()
    item = auto_item(w)
    today = timezone.localdate()
    rule(w, action="auto_case", item=item, reason="您今年满{age}周岁，可以申请{item}")
    resident = born(dt.date(today.year - 80, 1, 1), name="钱德寿", phone="13900008080")
    [plan] = proactive_run(on=today, actor="测试")
    offer = ProactiveOffer.objects.get(pk=plan.offer_id)
    base, page = live_server.url, phone_page

    page.goto(f"{base}{reverse('applicants:inbox')}")
    page.wait_for_url("**/my/login/**")
    _sign_in(page, resident)
    page.wait_for_url(f"**{reverse('applicants:inbox')}")
    page.get_by_role("link", name=re.compile("免申即享")).click()
    page.get_by_role("link", name="查看详情").click()
    page.wait_for_url(f"**{reverse('proactive_my:offer', args=[offer.pk])}")
    expect(page.get_by_text("满80周岁").first).to_be_visible()
    assert _fits(page)
    assert _axe_problems(page) == []
    offer.refresh_from_db()
    assert offer.opened_at is not None

    page.get_by_role("button", name="确认并提交申请").click()
    page.wait_for_url(re.compile(r".*/cases/mine/[^/]+/$"))
    offer.case.refresh_from_db()
    assert offer.case.status == CaseStatus.PRECHECK

    page.goto(f"{base}{reverse('proactive_my:offers')}")
    expect(page.get_by_text(offer.case.number)).to_be_visible()
    assert _fits(page)
    assert _axe_problems(page) == []
    page.get_by_role("button", name="不接收任何主动服务").click()
    expect(page.get_by_text("已关闭，以后不再向您推送任何主动服务")).to_be_visible()
