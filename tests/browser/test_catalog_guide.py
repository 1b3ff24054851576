"""A resident on a phone: search "低保", open the guide, read the checklist, download the
PDF; the guide page passes axe-core with no serious or critical violation."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao
from sanyi.search.models import Synonym
from sanyi.search.services import synonym_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SERIOUS = {"serious", "critical"}


@pytest.fixture
def dibao():
    # The seeded synonym 低保 → 最低生活保障 may have been emptied by an earlier
    # transactional test's flush; this test depends on it, so it makes sure it is there.
    if not Synonym.objects.filter(term="低保").exists():
        synonym_create(actor="系统：测试", term="低保", expansions=["最低生活保障"])
    return published_dibao(org_with_centers())


def _watch_csp(page) -> list[str]:
    blocked: list[str] = []
    page.on(
        "console",
        lambda msg: (
            blocked.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    return blocked


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def test_resident_finds_reads_and_downloads_the_dibao_guide_on_a_phone(
    live_server, phone_page, dibao
):
    page = phone_page
    blocked = _watch_csp(page)

    # search with the everyday word
    page.goto(live_server.url + "/services/")
    page.get_by_label("搜办事事项或“一件事”").fill("低保")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_text("共找到 1 条结果")).to_be_visible()
    result = page.get_by_role("link", name="最低生活保障申请")
    expect(page.get_by_text("承诺10个工作日内办结").first).to_be_visible()

    # open the guide and read the checklist
    result.click()
    expect(page.get_by_role("heading", level=1, name="最低生活保障申请")).to_be_visible()
    checklist = page.get_by_role("list", name="需要带的材料")
    expect(checklist.get_by_text("最低生活保障申请书")).to_be_visible()
    expect(checklist.get_by_text("容缺：可先受理，后补交")).to_be_visible()
    not_needed = page.get_by_role("list", name="这些不用带（部门通过数据共享获取）")
    expect(not_needed.get_by_text("居民户口簿")).to_be_visible()
    expect(page.get_by_role("img", name="最低生活保障申请办理流程图")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # download the PDF and read it back
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载办事指南（PDF）").click()
    path = download_info.value.path()
    with open(path, "rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "最低生活保障申请" in text
    assert "最低生活保障申请书" in text

    assert blocked == []


def test_guide_page_has_no_serious_accessibility_violations(live_server, desktop_page, dibao):
    page = desktop_page
    blocked = _watch_csp(page)
    page.goto(f"{live_server.url}/services/{dibao.implementation_item.implementation_code}/")

    assert _serious_violations(page) == []

    # on paper: the flowchart stays, the buttons go
    page.emulate_media(media="print")
    expect(page.get_by_role("img", name="最低生活保障申请办理流程图")).to_be_visible()
    expect(page.get_by_role("link", name="下载办事指南（PDF）")).to_be_hidden()
    page.emulate_media(media="screen")

    # large-text mode still fits a phone-width column and passes too
    page.get_by_role("button", name="关怀模式").click()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert _serious_violations(page) == []
    assert blocked == []


def test_search_page_has_no_serious_accessibility_violations(live_server, phone_page, dibao):
    phone_page.goto(live_server.url + "/services/search/?q=低保")

    assert _serious_violations(phone_page) == []
