"""Measuring search quality from a file of queries, and ``sanyi search evaluate``."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from sanyi.search.evaluation import evaluate, load_cases
from sanyi.search.models import SearchQueryLog
from sanyi.search.registry import register_evaluation_set
from sanyi.search.tests.factories import ITEM, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases_file(tmp_path):
    path = tmp_path / "queries.tsv"
    path.write_text(
        "# comment\n\n低保\t最低生活保障申请\n户口\t户口迁移\n火星\t户口迁移\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def catalogue():
    item("最低生活保障申请")
    item("户口登记")
    item("户口迁移")


def test_the_report_counts_first_and_top_three_hits(cases_file, catalogue):
    report = evaluate(load_cases(cases_file), kinds=[ITEM])

    assert [(r.case.query, r.rank) for r in report.rows] == [
        ("低保", 1),
        ("户口", 2),
        ("火星", None),
    ]
    assert (report.top1, report.top3) == (1 / 3, 2 / 3)
    assert [r.case.query for r in report.misses] == ["火星"]
    assert not SearchQueryLog.objects.exists()  # measuring is not a resident's search


def test_a_malformed_line_names_its_number(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("低保\t最低生活保障申请\n只有搜索词\n", encoding="utf-8")

    with pytest.raises(ValidationError, match="第2行"):
        load_cases(path)


def test_the_command_prints_the_score_and_fails_below_the_minimum(cases_file, catalogue, capsys):
    register_evaluation_set("test", path=str(cases_file), kinds=[ITEM])

    call_command("search", "evaluate", "--set", "test", "--verbose")
    out = capsys.readouterr().out
    assert "3个查询：第一条命中 33.3%，前三条命中 66.7%" in out
    assert "未命中\t火星 → 户口迁移" in out

    with pytest.raises(CommandError, match="低于 95%"):
        call_command("search", "evaluate", "--set", "test", "--min-top3", "0.95")
    with pytest.raises(CommandError, match="没有名为"):
        call_command("search", "evaluate", "--set", "nope")
