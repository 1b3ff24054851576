"""A grid officer on a phone applies for a resident of their grid (帮办代办): chooses the
resident and the item, the resident consents by SMS code (shown on a demo site), the
officer photographs the materials and submits; the case says 网格员代办. The pages pass
axe and do not scroll sideways."""

import re

import pytest

from sanyi.applicants.models import Applicant
from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.cases.choices import CaseStatus
from sanyi.grid.models import Assist
from tests.browser.test_grid_visit import _no_sideways_scroll, _serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_applies_for_a_resident(live_server, phone_page, settings, tmp_path):
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.cases.tests import factories as case_f
    from sanyi.grid.tests.factories import grid_world, jpeg_with_gps

    settings.SANYI_SMS_PROVIDER = "console"
    settings.MEDIA_ROOT = str(tmp_path)
    official_calendar()
    calendar_cache_clear()
    w = grid_world()
    person = case_f.applicant(name="王老伯", address="示范区文一路45号")
    Applicant.objects.filter(pk=person.pk).update(grid=w["grid_a"])
    page = phone_page
    page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(w["officer_a"].username)
    page.get_by_label("密码").fill("Test-Passw0rd!")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{live_server.url}/workbench/grid/assist/")
    assert person.id_number not in page.content()
    assert _serious(page) == []
    _no_sideways_scroll(page)
    resident = page.locator("#id_applicant label", has_text=person.masked_id)
    assert "王**" in resident.inner_text()
    resident.locator("input").check()
    page.get_by_label("办理事项").select_option(str(w["item"].pk))
    page.get_by_role("button", name="下一步：请居民同意").click()
    page.wait_for_url(re.compile(r"/workbench/grid/assist/\d+/consent/$"))
    page.get_by_role("button", name="发送验证码到居民手机").click()
    code = page.locator(".demo-code .secret").inner_text().strip()
    assert _serious(page) == []
    _no_sideways_scroll(page)
    page.get_by_label("短信验证码").check()
    page.get_by_label("居民收到的验证码").fill(code)
    page.get_by_role("button", name="居民已同意，下一步").click()
    page.wait_for_url(re.compile(r"/workbench/grid/assist/\d+/materials/$"))
    assert _serious(page) == []
    _no_sideways_scroll(page)
    photo = tmp_path / "material.jpg"
    photo.write_bytes(jpeg_with_gps())
    inputs = page.locator("#materials-form input[type=file]")
    assert inputs.count() >= 1
    for n in range(inputs.count()):
        assert inputs.nth(n).get_attribute("capture") == "environment"
        inputs.nth(n).set_input_files(str(photo))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/workbench/grid/assist/\d+/materials/$"))
    assert page.locator("#assisted").inner_text() == f"网格员代办（{w['officer_a']}）"
    _no_sideways_scroll(page)
    case = Assist.objects.get().case
    assert case.status == CaseStatus.PRECHECK
    assert case.visits == 0 and case.assisted_by == w["officer_a"]
