"""`sanyi openness import-publications` on the real corpus and on broken files."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sanyi.openness.choices import PublicationStatus, Topic
from sanyi.openness.indexing import KIND
from sanyi.openness.models import Publication
from sanyi.search.models import SearchDocument
from sanyi.search.selectors import search_query

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parent.parent / "demo" / "publications.jsonl"


def _line(**overrides) -> str:
    record = {
        "title": "关于公布低保对象的公示",
        "published_at": "2024-03-05T09:30",
        "document_number": "",
        "publisher": "某区民政局",
        "channel": "公示公告",
        "source_url": "https://example.gov.cn/a.htm",
        "body": "经审核，现予公示。",
        "truncated": False,
        "provenance": {"repo": "x/y"},
    }
    record.update(overrides)
    return json.dumps(record, ensure_ascii=False)


def test_the_whole_corpus_imports_as_published_records(
    org_tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "openness", "import-publications", str(CORPUS), "--publisher", org_tree["district"].name
        )

    pubs = Publication.objects.filter(publisher=org_tree["district"])
    assert pubs.count() == 120
    assert set(pubs.values_list("status", flat=True)) == {PublicationStatus.PUBLISHED}
    assert pubs.exclude(index_number__startswith=org_tree["district"].uscc + "/").count() == 0
    assert pubs.values("index_number").distinct().count() == 120
    normative = pubs.get(document_number="岚综管规〔2024〕4号")
    assert normative.topic == Topic.NORMATIVE
    assert normative.publisher_label == "区财政金融局"
    assert normative.source_url.startswith("https://www.pingtan.gov.cn/")
    assert normative.provenance["repo"] == "changwu/pingtan-gov-zwgk-archive"
    assert SearchDocument.objects.filter(kind=KIND, is_public=True).count() == 120


def test_imported_text_is_found_by_a_body_phrase(org_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("openness", "import-publications", str(CORPUS))

    results = search_query(text="个体工商户自报智批", kinds=[KIND], viewer=None, log=False)

    titles = [h.title for h in results.hits]
    assert "平潭综合实验区行政审批局2022年工作总结及2023年工作计划" in titles


def test_dry_run_writes_nothing(org_tree, tmp_path, capsys):
    path = tmp_path / "a.jsonl"
    path.write_text(_line() + "\n", encoding="utf-8")

    call_command("openness", "import-publications", str(path), "--dry-run")

    assert Publication.objects.count() == 0
    assert "检查通过：1条" in capsys.readouterr().out


def test_bad_lines_are_named_and_nothing_is_imported(org_tree, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        "\n".join(
            [
                _line(source_url="https://example.gov.cn/1.htm"),
                _line(published_at="2024年3月5日", source_url="https://example.gov.cn/2.htm"),
                "{not json",
                _line(title="", source_url="https://example.gov.cn/4.htm"),
            ]
        ),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as exc:
        call_command("openness", "import-publications", str(path))

    message = str(exc.value)
    assert "第2行：发布时间" in message
    assert "第3行：不是有效的JSON" in message
    assert "第4行：标题" in message
    assert Publication.objects.count() == 0


def test_importing_the_same_page_twice_is_refused(
    org_tree, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "a.jsonl"
    path.write_text(_line() + "\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("openness", "import-publications", str(path))

    with pytest.raises(CommandError, match="第1行：原文链接已导入过"):
        call_command("openness", "import-publications", str(path))
    assert Publication.objects.count() == 1


def test_unknown_publisher_is_refused(org_tree, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_line() + "\n", encoding="utf-8")

    with pytest.raises(CommandError, match="找不到发布单位“不存在的局”"):
        call_command("openness", "import-publications", str(path), "--publisher", "不存在的局")


def test_records_of_the_normative_documents_channel_count_as_normative(org_tree, tmp_path):
    source = tmp_path / "two.jsonl"
    source.write_text(
        _line(title="规范性文件甲", channel="行政规范性文件", source_url="https://example.gov.cn/1")
        + "\n"
        + _line(title="公告乙", source_url="https://example.gov.cn/2")
        + "\n",
        encoding="utf-8",
    )

    call_command(
        "openness", "import-publications", str(source), "--publisher", org_tree["district"].name
    )

    kinds = dict(Publication.objects.values_list("title", "document_kind"))
    assert kinds == {"规范性文件甲": "normative", "公告乙": "other"}
