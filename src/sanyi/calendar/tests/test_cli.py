"""``sanyi calendar``: exact output, Chinese errors, no tracebacks."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanyi.calendar.models import CalendarChange, CalendarYear
from sanyi.calendar.tests.factories import notice_2027

pytestmark = pytest.mark.usefixtures("official")


def run(*args) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_add_workdays_prints_the_date_alone():
    assert run("add-workdays", "2026-09-21", "20") == "2026-10-26\n"


def test_add_workdays_with_a_stop():
    assert run("add-workdays", "2026-09-21", "20", "--stop", "2026-09-22:2026-09-30") == (
        "2026-11-02\n"
    )


def test_add_workdays_with_several_stops():
    out = run(
        "add-workdays",
        "2026-03-02",
        "2",
        "--stop",
        "2026-03-04:2026-03-10",
        "--stop",
        "2026-03-03:2026-03-05",
    )
    assert out == "2026-03-11\n"


def test_add_workdays_roll_moves_a_holiday_start():
    assert run("add-workdays", "2026-10-01", "1") == "2026-10-08\n"
    assert run("add-workdays", "2026-10-01", "1", "--roll") == "2026-10-09\n"


def test_a_provisional_result_says_so_on_a_second_line():
    assert run("add-workdays", "2026-12-21", "20") == (
        "2027-01-18\n（暂定：2027年节假日安排未载入，按周一至周五计算）\n"
    )


@pytest.mark.parametrize(
    ("day", "answer"),
    [
        ("2026-02-17", "否（节假日：春节）\n"),
        ("2026-02-14", "是（调休上班：春节）\n"),
        ("2026-03-07", "否（周末，星期六）\n"),
        ("2026-03-03", "是（工作日，星期二）\n"),
        (
            "2027-01-01",
            "是（工作日，星期五）\n（暂定：2027年节假日安排未载入，按周一至周五计算）\n",
        ),
    ],
)
def test_is_workday_gives_the_reason(day, answer):
    assert run("is-workday", day) == answer


def test_between_counts_and_goes_negative_backwards():
    assert run("between", "2026-09-21", "2026-10-26") == "20\n"
    assert run("between", "2026-10-26", "2026-09-21") == "-20\n"
    assert run("between", "2026-03-02", "2026-03-09", "--stop", "2026-03-03:2026-03-05") == "3\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add-workdays", "2026-02-30", "3"], "起算日期“2026-02-30”不是有效日期"),
        (["add-workdays", "2026-09-21", "二十"], "工作日数“二十”应为不小于0的整数"),
        (
            ["add-workdays", "2026-09-21", "3", "--stop", "2026-09-22"],
            "计时暂停“2026-09-22”格式不对",
        ),
        (
            ["add-workdays", "2026-09-21", "3", "--stop", "2026-09-30:2026-09-22"],
            "恢复日期早于暂停日期",
        ),
        (["is-workday", "明天"], "日期“明天”不是有效日期"),
        (["between", "2026-09-21", "26/10/2026"], "结束日期“26/10/2026”不是有效日期"),
        (["show", "26"], "年份“26”应为四位数字"),
        (["show", "2027"], "2027年的节假日安排尚未载入"),
    ],
)
def test_bad_input_gives_a_chinese_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_load_a_new_year(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(notice_2027(), ensure_ascii=False), encoding="utf-8")
    out = run("load", str(path))
    assert out == "已载入2027年节假日安排（国办发明电〔2026〕99号）：节假日11天，调休上班1天\n"
    assert CalendarChange.objects.order_by("-id").first().actor_label.startswith("命令行：")
    assert run("add-workdays", "2027-02-04", "1") == "2027-02-15\n"


def test_a_bad_file_is_not_loaded_and_every_problem_is_listed(tmp_path):
    bad = notice_2027(
        holidays=[{"name": "春节", "start": "2027-02-12", "end": "2027-02-05"}],
        makeup_workdays=[{"date": "2027-02-17", "name": "春节"}],
    )
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        run("load", str(path))
    assert str(info.value) == (
        "未载入，文件有以下问题：\n"
        "  - 第1个节假日（春节）：结束日期2027-02-05早于开始日期2027-02-12\n"
        "  - 第1个调休上班日（2027-02-17）：是星期三，调休上班日应为周六或周日"
    )
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_load_in_the_name_of_an_unknown_account_is_refused(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(notice_2027(), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="找不到有效的工作人员账号“nobody”"):
        run("load", str(path), "--actor", "nobody")


def test_show_lists_the_year():
    out = run("show", "2026")
    assert (
        "依据：国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，2025-11-04发布）"
        in out
    )
    assert "  春节：2026-02-15至2026-02-23，共9天\n" in out
    assert "  2026-09-20（星期日）上班，国庆节调休\n" in out


def test_show_json_is_the_file_format():
    from sanyi.calendar.tests.factories import notice_data

    assert json.loads(run("show", "2026", "--json")) == notice_data(2026)


def test_the_console_command_exits_non_zero_without_a_traceback(tmp_path):
    env = {**os.environ, "SANYI_DATA_DIR": str(tmp_path), "SANYI_ENV": "test"}
    result = subprocess.run(
        [sys.executable, "-m", "sanyi", "calendar", "add-workdays", "2026-13-01", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "起算日期“2026-13-01”不是有效日期" in result.stderr
    assert "Traceback" not in result.stderr
