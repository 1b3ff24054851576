"""The community notice board on a phone: a grid officer posts a notice with a picture from
the camera, a second officer of the community reviews and publishes it, it is on the
community's board in large-text mode, and the resident who subscribed there has a message."""

import io
from importlib import import_module

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone
from PIL import Image

from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.tests import factories as af
from sanyi.notify.models import Message
from sanyi.openness.models import Publication
from sanyi.openness.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f
from tests.browser.steps import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"


def _fits_and_passes_axe(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == [], page.url


def _sign_in(page, base: str, user) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def _resident_session(page, base: str, applicant) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = applicant.pk
    store.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": base}]
    )


def _photo() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (30, 120, 200)).save(out, format="JPEG")
    return {"name": "camera.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def test_grid_officer_posts_second_officer_publishes_resident_is_told(
    live_server, phone_page, browser
):
    tree = f.setting()
    grid_officer = org_f.staff(tree["grid1"], Role.GRID_OFFICER)
    reviewer = org_f.staff(tree["comm1"], Role.DISCLOSURE_OFFICER)
    resident_person = af.person()
    base = live_server.url

    # the resident subscribes on the community's board, in large-text mode
    resident = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    rpage = resident.new_page()
    rpage.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": base}])
    _resident_session(rpage, base, resident_person)
    rpage.goto(f"{base}/open/board/{tree['comm1'].pk}/")
    _fits_and_passes_axe(rpage)
    follow(rpage.get_by_role("button", name="订阅，有新信息时通知我"))
    assert "取消订阅" in rpage.content()

    # the grid officer posts from the phone, with a picture from the camera
    page = phone_page
    _sign_in(page, base, grid_officer)
    page.goto(f"{base}/workbench/open/board/")
    _fits_and_passes_axe(page)
    page.get_by_label("标题").fill("本周六社区义诊")
    page.get_by_label("内容").fill("周六上午9点在社区广场义诊，请带医保卡。")
    page.get_by_label("有效期至").fill(
        (timezone.localdate() + timezone.timedelta(days=7)).isoformat()
    )
    page.get_by_label("图片（可拍照）").set_input_files(_photo())
    follow(page.get_by_role("button", name="提交保密审查"))
    assert "已提交保密审查" in page.content()
    pub = Publication.objects.get(title="本周六社区义诊")
    assert pub.status == "in_review" and pub.board_notice.thumbnail

    # a second officer of the community reviews and publishes it
    page.context.clear_cookies()
    _sign_in(page, base, reviewer)
    page.goto(f"{base}/workbench/open/board/")
    page.get_by_role("link", name="本周六社区义诊").click()
    page.get_by_role("link", name="做保密审查").click()
    page.get_by_label("通过：不涉密，可以按公开属性办理").check()
    follow(page.get_by_role("button", name="提交审查结论"))
    page.goto(f"{base}/workbench/open/publications/{pub.pk}/")
    follow(page.get_by_role("button", name="发布"))
    pub.refresh_from_db()
    assert pub.status == "published"

    # it is on the board, with its picture and expiry; the resident has one message
    rpage.goto(f"{base}/open/board/{tree['comm1'].pk}/")
    card = rpage.locator(".board-card", has_text="本周六社区义诊")
    # The picture loads lazily: bring it into view and wait until it has decoded.
    picture = card.locator("img")
    picture.scroll_into_view_if_needed()
    rpage.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle(), timeout=15000
    )
    assert "有效期至" in card.inner_text()
    _fits_and_passes_axe(rpage)
    rpage.goto(f"{base}/my/messages/")
    assert "本周六社区义诊" in rpage.content()
    assert Message.objects.filter(applicant=resident_person).count() == 1
    resident.close()
