"""A resident on a phone finds a published document by a phrase from its body, opens it
and reads the official metadata table; the pages pass axe-core without serious issues."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.openness.importing import publications_import
from sanyi.openness.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CORPUS = Path(__file__).resolve().parents[2] / "src/sanyi/openness/demo/publications.jsonl"
TITLE = "平潭综合实验区行政审批局2022年工作总结及2023年工作计划"


@pytest.fixture
def published():
    org_tree = f.setting()
    lines = CORPUS.read_text(encoding="utf-8").splitlines()[:5]
    publications_import(lines=lines, publisher=org_tree["district"])
    return org_tree


def test_resident_finds_a_document_by_a_body_phrase_on_a_phone(live_server, phone_page, published):
    page = phone_page
    blocked: list[str] = []
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="政务公开", exact=True).click()
    page.get_by_label("搜索政府信息").fill("个体工商户自报智批")
    page.get_by_role("button", name="搜索").click()

    result = page.get_by_role("link", name=TITLE)
    expect(result).to_be_visible()
    result.click()

    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    table = page.get_by_role("table")
    for label in [
        "索引号",
        "发布机构",
        "主题分类",
        "成文日期",
        "发布日期",
        "发文字号",
        "有效性",
        "关键词",
    ]:
        expect(table.get_by_role("rowheader", name=label)).to_be_visible()
    expect(table.get_by_text(published["district"].uscc + "/2023-")).to_be_visible()
    expect(table.get_by_text("2023-12-14").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    serious = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []
    assert blocked == []
