"""The server-side cleaning of rich text: what a paste from Word, the editor or an API
client sends keeps its structure and loses its styling, unsafe links and foreign images."""

import base64
from pathlib import Path

import pytest

from sanyi.openness.services import sanitize_html

WORD = (Path(__file__).parent / "fixtures" / "word_paste.html").read_text("utf-8")
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_word_paste_keeps_headings_lists_tables_and_links():
    clean = sanitize_html(WORD)
    assert "<h2>示范区关于做好2027年春节期间便民服务的通知</h2>" in clean  # h1 becomes h2
    assert "<h2>一、服务时间</h2>" in clean
    assert "<ul><li>区政务服务中心正月初四起正常上班</li>" in clean
    assert "<li>各街道便民服务中心安排值班</li></ul>" in clean
    assert "<ol><li>网上预约</li>" in clean and "<li>按时到窗口办理</li></ol>" in clean
    assert clean.count("<tr>") == 2 and clean.count("<td>") == 4
    assert "<p><b>地点</b></p>" in clean
    assert '<a href="https://www.example.gov.cn/zwgk/tz/2027.htm"' in clean
    assert "请注意" in clean


@pytest.mark.parametrize(
    "junk",
    ["style=", "class=", "mso-", "<span", "<font", "<o:p", "<!--", "<![", "Mso", "file:",
     "<style", "font-family", "宋体", "·", "<img", "lang=", "v:shapes", "<meta"],
)  # fmt: skip
def test_word_paste_loses_styling_and_local_files(junk):
    assert junk not in sanitize_html(WORD)


def test_links_pass_only_safe_schemes():
    clean = sanitize_html(
        '<a href="javascript:alert(1)">a</a><a href="data:text/html,x">b</a>'
        '<a href="//evil.example/x">c</a><a href="/open/p/1/">d</a><a href="https://e.cn/">e</a>'
    )
    assert "javascript" not in clean and "data:" not in clean and "evil" not in clean
    assert 'href="/open/p/1/"' in clean and 'href="https://e.cn/"' in clean


def test_images_only_our_files_or_checked_data():
    png = base64.b64encode(PNG_1PX).decode()
    fake = base64.b64encode(b"<svg onload=alert(1)>").decode()
    clean = sanitize_html(
        '<img src="/open/p/3/files/4/" alt="示意图">'
        '<img src="/open/p/3/interpretations/5/picture">'
        '<img src="https://tracker.example/pixel.png" alt="x">'
        f'<img src="data:image/png;base64,{png}" onerror="alert(1)">'
        f'<img src="data:image/png;base64,{fake}">'
        f'<img src="data:image/svg+xml;base64,{fake}">'
    )
    assert '<img src="/open/p/3/files/4/" alt="示意图">' in clean
    assert '<img alt="" src="/open/p/3/interpretations/5/picture">' in clean
    assert f'src="data:image/png;base64,{png}"' in clean
    assert "tracker" not in clean and "svg" not in clean and "onerror" not in clean
    assert clean.count("<img") == 3


def test_oversized_data_image_is_dropped():
    big = base64.b64encode(PNG_1PX + b"\0" * (1024 * 1024)).decode()
    assert "<img" not in sanitize_html(f'<p><img src="data:image/png;base64,{big}"></p>')
