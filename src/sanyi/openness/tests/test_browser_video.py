"""A resident opens a policy with a video interpretation on a phone: the video loads its
metadata through range requests, carries Chinese captions, and the transcript opens below;
the page passes axe and the CSP."""

import pytest

from sanyi.openness.tests import factories as f
from sanyi.openness.tests.test_interpretation_video import _published_with_video
from tests.browser.test_case_journey import _axe_problems, _watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_video_with_captions_and_transcript_on_a_phone(phone_page, live_server):
    pub, _item = _published_with_video(f.setting())
    page = phone_page
    blocked = _watch_csp(page)
    ranges: list[tuple[int, str]] = []
    page.on(
        "response",
        lambda r: (
            ranges.append((r.status, r.headers.get("content-range", "")))
            if r.url.endswith("/video")
            else None
        ),
    )
    page.goto(f"{live_server.url}/open/p/{pub.pk}/")
    video = page.locator("video")
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    assert video.evaluate("v => v.duration") > 0
    assert video.evaluate("v => v.textTracks[0].language") == "zh"
    assert video.evaluate("v => v.textTracks[0].kind") == "captions"
    assert any(status == 206 and value.startswith("bytes 0-") for status, value in ranges)
    page.get_by_text("视频文字稿").click()
    assert page.get_by_text("视频里说的话。").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert _axe_problems(page) == []
    assert blocked == []
