"""On a phone: a grid officer reports an event with a photo; the community's clerk routes
it on to the subdistrict, whose approver closes it; the officer sees it closed under
我的上报. The pages pass axe and do not scroll sideways."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.grid.models import EventReport, EventStatus

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


def _sign_in(page, base: str, user) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": base}])
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill("Test-Passw0rd!")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _report(page, base: str, photo) -> EventReport:
    page.goto(f"{base}/workbench/grid/events/")
    page.get_by_role("link", name="上报事件").click()
    page.wait_for_url(re.compile(r"/workbench/grid/events/new/$"))
    assert _serious(page) == []
    _no_sideways_scroll(page)
    page.get_by_label("设施损坏").check()
    page.get_by_label("标题").fill("路灯不亮")
    page.get_by_label("情况描述").fill("文一路45号门前路灯坏了三天")
    page.get_by_label("地点").fill("文一路45号门前")
    page.get_by_label(re.compile("现场照片")).set_input_files(str(photo))
    page.get_by_role("button", name="提交上报").click()
    page.wait_for_url(re.compile(r"/workbench/grid/events/\d+/$"))
    return EventReport.objects.get()


def test_event_reported_routed_and_closed(live_server, phone_page, settings, tmp_path):
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.grid.tests.factories import grid_world, jpeg_with_gps

    settings.MEDIA_ROOT = str(tmp_path)
    official_calendar()
    calendar_cache_clear()
    w = grid_world()
    page, base = phone_page, live_server.url
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps())
    _sign_in(page, base, w["officer_a"])
    event = _report(page, base, photo)
    assert event.photos.count() == 1 and event.unit == w["comm1"]
    expect(page.get_by_text("已上报")).to_be_visible()
    assert _serious(page) == []

    _sign_in(page, base, w["comm_clerk"])
    page.goto(f"{base}/workbench/grid/events/")
    page.get_by_role("link", name="路灯不亮").click()
    page.locator("summary", has_text="转派").click()
    page.get_by_label("转派至").select_option(str(w["sub1"].pk))
    page.get_by_label("转派说明").fill("需街道协调电力部门")
    page.get_by_role("button", name="转派", exact=True).click()
    page.wait_for_url(re.compile(rf"/workbench/grid/events/{event.pk}/$"))
    expect(page.get_by_text("事件已转派")).to_be_visible()
    _no_sideways_scroll(page)
    event.refresh_from_db()
    assert event.unit == w["sub1"] and event.status == EventStatus.ROUTED

    _sign_in(page, base, w["sub_approver"])
    page.goto(f"{base}/workbench/grid/events/{event.pk}/")
    assert _serious(page) == []
    page.get_by_label("办理结果").fill("已协调修复路灯")
    page.get_by_role("button", name="办结", exact=True).click()
    page.wait_for_url(re.compile(rf"/workbench/grid/events/{event.pk}/$"))
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED

    _sign_in(page, base, w["officer_a"])
    page.goto(f"{base}/workbench/grid/events/")
    assert page.locator(".event-status").first.inner_text() == "已办结"
    _no_sideways_scroll(page)
