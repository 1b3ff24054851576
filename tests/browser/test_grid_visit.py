"""A grid officer on a phone completes a 入户调查: opens 今日任务, takes a photo, sends the
resident the SMS code (shown on a demo site), records the visit; the case moves on. The
pages pass axe and do not scroll sideways."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.cases.choices import TaskStatus
from sanyi.grid.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}


def _serious(page) -> list[str]:
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in SERIOUS
    ]


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]


def test_officer_completes_a_household_visit(live_server, phone_page, settings, tmp_path):
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.grid.tests.factories import grid_world, jpeg_with_gps, open_task, visit_case

    settings.SANYI_SMS_PROVIDER = "console"
    settings.MEDIA_ROOT = str(tmp_path)
    official_calendar()
    calendar_cache_clear()
    w = grid_world()
    case = visit_case(w, "示范区文一路45号")
    task = open_task(case)
    page = phone_page
    page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(w["officer_a"].username)
    page.get_by_label("密码").fill("Test-Passw0rd!")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{live_server.url}/workbench/grid/")
    assert _serious(page) == []
    _no_sideways_scroll(page)
    page.get_by_role("link", name=re.compile("入户调查")).click()
    page.wait_for_url(re.compile(rf"/workbench/grid/tasks/{task.pk}/$"))
    assert case.applicant.id_number not in page.content()
    page.get_by_role("button", name="发送验证码到居民手机").click()
    code = page.locator(".demo-code .secret").inner_text().strip()
    assert _serious(page) == []
    _no_sideways_scroll(page)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.get_by_label("已核实，情况属实").check()
    page.get_by_label("情况记录").fill("家中三口人，情况与申请一致")
    page.get_by_label(re.compile("现场照片")).set_input_files(str(photo))
    page.get_by_label("居民收到的验证码").fill(code)
    page.get_by_role("button", name="完成走访").click()
    page.wait_for_url(re.compile(r"/workbench/grid/$"))
    expect(page.get_by_text(f"办件{case.number}进入下一环节")).to_be_visible()
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    visit = Visit.objects.get(task=task)
    assert visit.photos.count() == 1 and visit.confirmation == "sms"
