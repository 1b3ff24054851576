"""信息跑路 in a real Chromium: a resident who holds an e-licence from an earlier case and has
consented applies again on a phone; the licence is already attached, so they upload only
what the platform does not hold and submit. Then they look at 我的证照和材料, withdraw the
consent (the submitted case keeps its licence), see the history and grant it again."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from sanyi.applicants.models import ReuseConsent
from sanyi.applicants.selectors import reuse_consent_of
from sanyi.applicants.services import reuse_consent_grant
from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Case
from sanyi.cases.tests import factories as f
from sanyi.cases.tests.test_reuse import follow_up_item
from sanyi.notify.channels import MemorySmsProvider
from tests.browser.steps import enter_sms_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SANYI_SMS_PROVIDER = "memory"
    MemorySmsProvider.reset()
    yield
    MemorySmsProvider.reset()


def _axe_problems(page) -> list[str]:
    return [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]


def _sign_in(page, base, person) -> None:
    page.get_by_label("证件号码").fill(person.id_number)
    page.get_by_label("手机号").fill(person.phone)
    page.get_by_role("button", name="获取短信验证码").click()
    enter_sms_code(page, person.phone)
    page.get_by_role("button", name="确认").click()


def test_second_application_reuses_the_e_licence_without_an_upload(live_server, phone_page):
    w = f.world()
    resident = f.applicant(name="周小梅", phone="13900005678")
    old = f.case(w, state="delivered", applicant_=resident)
    reuse_consent_grant(applicant=resident, actor=resident.audit_label)
    item = follow_up_item(w)
    base, page = live_server.url, phone_page

    page.goto(f"{base}{reverse('cases:apply', args=[item.implementation_code])}")
    page.wait_for_url("**/my/login/**")
    _sign_in(page, base, resident)
    page.wait_for_url(f"**{reverse('cases:apply', args=[item.implementation_code])}")
    page.get_by_role("button", name="开始填写申请").click()
    page.wait_for_url("**/edit/")
    case = Case.objects.exclude(pk=old.pk).get(applicant=resident)
    licence_row = case.materials.get(name="测试许可证（电子证照）")

    row = page.locator(f"#material-{licence_row.pk}")
    expect(row.get_by_text("已复用电子证照，不用上传")).to_be_visible()
    expect(page.get_by_text("已通过数据共享获取").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _axe_problems(page) == []

    # Only 户口簿 is not held by the platform: upload it, then submit.
    own = case.materials.get(name="户口簿")
    page.locator(f"#file-{own.pk}").set_input_files(
        files=[{"name": "户口簿.pdf", "mimeType": "application/pdf", "buffer": f.tiny_pdf()}]
    )
    page.locator(f"#material-{own.pk}").get_by_role("button", name="上传", exact=True).click()
    page.locator(f"#material-{own.pk}").get_by_text("已上传").wait_for()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r".*/cases/mine/[^/]+/$"))

    case.refresh_from_db()
    assert case.status == CaseStatus.PRECHECK
    licence_row.refresh_from_db()
    assert licence_row.licence == old.licence and not licence_row.file
    assert licence_row.origin == "licence"

    page.goto(f"{base}{reverse('wallet:home')}")
    expect(page.get_by_text(old.licence.number)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _axe_problems(page) == []
    page.get_by_role("button", name="撤回同意").click()
    expect(page.get_by_text("已撤回同意")).to_be_visible()
    assert reuse_consent_of(resident) is None
    # Withdrawing stops later attachment only: the submitted case keeps the licence.
    licence_row.refresh_from_db()
    assert licence_row.licence == old.licence
    history = page.get_by_role("table", name="同意记录")
    expect(history.get_by_text("本人网上办理").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _axe_problems(page) == []

    # Grant again, for e-licences only: a new row of the history.
    page.get_by_label("仅电子证照").check()
    page.get_by_role("button", name="同意自动复用").click()
    expect(page.get_by_text("已同意：")).to_be_visible()
    rows = list(ReuseConsent.objects.filter(applicant=resident).order_by("pk"))
    assert len(rows) == 2 and rows[0].withdrawn_at is not None
    assert rows[1].withdrawn_at is None and rows[1].scope == "licences"
    assert history.locator("tbody tr").count() == 2
