"""The installable phone workbench in Chromium at a phone viewport: the manifest is linked
and the service worker takes control of /workbench/; a visit recorded without a network is
kept as a draft marked 待上传 (on the task and on 今日任务) and, once the network is back,
sent once: exactly one visit, and the case moves on."""

import re

import pytest
from playwright.sync_api import expect

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.cases.choices import TaskStatus
from sanyi.grid.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world(settings, tmp_path):
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.grid.tests.factories import grid_world

    settings.MEDIA_ROOT = str(tmp_path)
    official_calendar()
    calendar_cache_clear()
    return grid_world()


def _sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill("Test-Passw0rd!")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _worker_ready(page) -> str:
    return page.evaluate("() => navigator.serviceWorker.ready.then(r => r.scope)")


def test_the_worker_registers_for_the_workbench_and_the_manifest_is_linked(
    live_server, phone_page, settings, tmp_path
):
    w = _world(settings, tmp_path)
    page = phone_page
    page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])
    _sign_in(page, live_server, w["officer_a"])
    page.goto(f"{live_server.url}/workbench/grid/home/")
    # 关怀模式 (large text) at 360px: the cards fit, nothing scrolls sideways
    assert page.evaluate("() => document.documentElement.classList.contains('care')")
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1]
    assert page.locator('link[rel="manifest"]').get_attribute("href") == (
        "/workbench/manifest.webmanifest"
    )
    assert _worker_ready(page) == f"{live_server.url}/workbench/"
    cached = page.evaluate(
        """async () => { const names = await caches.keys();
        const shell = names.find(n => n.startsWith('sanyi-shell-'));
        return (await (await caches.open(shell)).keys()).map(r => new URL(r.url).pathname); }"""
    )
    assert "/workbench/offline/" in cached and "/static/sanyi/sanyi.css" in cached
    expect(page.get_by_role("heading", name=re.compile("网格 · 测试第一网格"))).to_be_visible()


def _draw_signature(page) -> None:
    box = page.locator("canvas.signature-canvas").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 30)
    page.mouse.down()
    for step in range(1, 8):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 30 + (step % 2) * 40)
    page.mouse.up()


def test_a_visit_made_offline_is_sent_once_when_the_network_returns(
    live_server, phone_page, settings, tmp_path
):
    from sanyi.grid.tests.factories import jpeg_with_gps, open_task, visit_case

    w = _world(settings, tmp_path)
    case = visit_case(w, "示范区文一路45号")
    task = open_task(case)
    page = phone_page
    _sign_in(page, live_server, w["officer_a"])
    page.goto(f"{live_server.url}/workbench/grid/home/")
    _worker_ready(page)
    page.goto(f"{live_server.url}/workbench/grid/")  # kept by the worker for offline use
    page.get_by_role("link", name=re.compile("入户调查")).click()
    page.wait_for_url(re.compile(rf"/workbench/grid/tasks/{task.pk}/$"))

    # given: no network
    page.context.set_offline(True)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.get_by_label("已核实，情况属实").check()
    page.get_by_label("情况记录").fill("家中三口人，情况与申请一致")
    page.get_by_label(re.compile("现场照片")).set_input_files(str(photo))
    page.get_by_label("手写签名").check()
    _draw_signature(page)
    page.get_by_role("button", name="完成走访").click()

    # then: a draft, marked 待上传 on the task and on 今日任务, nothing recorded yet
    mark = page.locator(f'[data-draft-task="{task.pk}"]')
    mark.filter(has_text="待上传").wait_for()
    page.goto(f"{live_server.url}/workbench/grid/")
    page.locator(f'[data-draft-task="{task.pk}"]').filter(has_text="待上传").wait_for()
    assert Visit.objects.count() == 0

    # when: the network returns
    page.context.set_offline(False)
    page.locator(f'[data-draft-task="{task.pk}"]').filter(has_text="已上传").wait_for()
    page.reload()  # a later page load finds no draft left to send
    page.wait_for_load_state("networkidle")
    assert (
        page.evaluate(
            """() => new Promise(ok => { const r = indexedDB.open('sanyi-drafts', 1);
        r.onsuccess = () => {
          const q = r.result.transaction('visits').objectStore('visits').count();
        q.onsuccess = () => ok(q.result); }; })"""
        )
        == 0
    )
    visit = Visit.objects.get()
    assert visit.task_id == task.pk and visit.confirmation == "signature"
    assert visit.photos.count() == 1 and visit.signature and visit.idempotency_key
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
