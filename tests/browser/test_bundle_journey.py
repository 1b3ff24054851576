"""一件事一次办 in a real Chromium: a resident applies on a phone for a whole life event once
(one form, one receipt, one tracking page); the clerk accepts the bundle on a desktop in one
go; each member case runs in its own unit; when the first concludes, the waiting member
starts with the result document attached by itself."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sanyi.cases.choices import CaseStatus, MaterialOrigin
from sanyi.cases.models import Bundle
from sanyi.cases.tests import bundle_factories as bf
from sanyi.cases.tests import factories as f
from tests.browser.steps import enter_sms_code, follow
from tests.browser.test_case_journey import _axe_problems, _staff_log_in, _watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings):
    from sanyi.notify.channels import MemorySmsProvider

    settings.SANYI_REQUIRE_ADMIN_OTP = False
    settings.SANYI_SMS_PROVIDER = "memory"
    MemorySmsProvider.reset()
    yield
    MemorySmsProvider.reset()


def _pdf(name: str) -> dict:
    return {"name": f"{name}.pdf", "mimeType": "application/pdf", "buffer": f.tiny_pdf()}


def test_resident_applies_once_and_waiting_member_starts_with_the_result(
    live_server, phone_page, desktop_page
):
    w = f.world()
    event = bf.life_event(w)
    resident = f.applicant(name="陈开店", phone="13900005678")
    base, phone = live_server.url, phone_page
    blocked = _watch_csp(phone) + _watch_csp(desktop_page)

    # --- the resident opens the life event and applies for all of it at once
    phone.goto(f"{base}{reverse('catalog:life_event', args=[event.pk])}")
    phone.get_by_role("link", name="一次申请全部事项").click()
    phone.wait_for_url("**/my/login/**")
    phone.get_by_label("证件号码").fill(resident.id_number)
    phone.get_by_label("手机号").fill(resident.phone)
    phone.get_by_role("button", name="获取短信验证码").click()
    enter_sms_code(phone, resident.phone)
    phone.get_by_role("button", name="确认").click()
    phone.wait_for_url("**/cases/bundles/apply/**")
    assert _axe_problems(phone) == []
    phone.get_by_label("是").check()
    follow(phone.get_by_role("button", name="下一步"))
    assert _axe_problems(phone) == []  # the one form
    phone.get_by_label("申请书").set_input_files(files=[_pdf("申请书")])
    phone.get_by_label("申请表").set_input_files(files=[_pdf("申请表")])
    phone.get_by_role("button", name="一次提交全部事项").click()
    phone.wait_for_url("**/receipt/")
    bundle = Bundle.objects.get(applicant=resident)
    expect(phone.get_by_text(bundle.number).first).to_be_visible()
    assert _axe_problems(phone) == []
    phone.get_by_role("link", name="查看办理进度").click()
    expect(phone.get_by_text("等待前序事项办结")).to_be_visible()

    # --- each member is its own case in its own unit; the clerk accepts the bundle at once
    members = {m.case.implementation_item_id: m for m in bundle.members.select_related("case")}
    assert members[w["community_item"].pk].case.unit == w["comm1"]
    for m in members.values():
        if m.case.status == CaseStatus.PRECHECK:
            bf.precheck(w, m.case)
    _staff_log_in(desktop_page, base, w["clerk"].username)
    desktop_page.goto(f"{base}{reverse('workbench:cases:counter_bundle', args=[bundle.number])}")
    assert _axe_problems(desktop_page) == []
    # The clerk checks each material against the original before accepting.
    for radio in desktop_page.get_by_role("radio", name="核对无误").all():
        radio.check()
    desktop_page.get_by_role("button", name="一并受理").click()
    desktop_page.get_by_text("已一并受理1个事项").wait_for()

    # --- the first member concludes (on commit, as in real use): the second starts
    first, second = members[w["item"].pk], members[w["second_item"].pk]
    bf.conclude(w, first.case)
    licence = second.case.materials.get(name="营业执照")
    assert licence.origin == MaterialOrigin.RESULT
    assert licence.result_document.case_id == first.case_id
    phone.reload()
    row = phone.get_by_role("row", name=second.case.implementation_item.base_item.name)
    assert "待预审" in row.inner_text()
    assert blocked == []
