"""Checking a notice file before anything is written: every problem, named by its entry."""

import json

import pytest
from django.core.exceptions import ValidationError

from sanyi.calendar.notice import notice_as_data, parse_notice, read_notice_file
from sanyi.calendar.tests.factories import notice_2027, notice_data


def problems(data) -> list[str]:
    with pytest.raises(ValidationError) as info:
        parse_notice(data)
    return info.value.messages


def test_the_shipped_files_parse_and_round_trip():
    data = notice_data(2026)
    assert notice_as_data(parse_notice(data)) == data


def test_a_holiday_outside_the_year_is_named():
    data = notice_2027(holidays=[{"name": "元旦", "start": "2026-12-31", "end": "2027-01-02"}])
    assert problems(data) == ["第1个节假日（元旦）：2026-12-31至2027-01-02不在2027年内"]


def test_an_end_before_the_start_is_named():
    data = notice_2027(holidays=[{"name": "春节", "start": "2027-02-12", "end": "2027-02-05"}])
    assert problems(data) == ["第1个节假日（春节）：结束日期2027-02-05早于开始日期2027-02-12"]


def test_a_bad_date_is_named():
    data = notice_2027(holidays=[{"name": "春节", "start": "2027-02-30", "end": "2027-03-01"}])
    assert problems(data) == [
        "第1个节假日（春节）的开始日期“2027-02-30”不是有效日期（格式为YYYY-MM-DD，例如2026-10-01）"
    ]


def test_overlapping_holidays_are_refused():
    data = notice_2027(
        holidays=[
            {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
            {"name": "腊八", "start": "2027-01-03", "end": "2027-01-03"},
        ]
    )
    assert problems(data) == [
        "第2个节假日（腊八）：2027-01-03已在第1个节假日（元旦）中，节假日不能重叠"
    ]


def test_a_makeup_day_on_a_weekday_is_refused():
    data = notice_2027(makeup_workdays=[{"date": "2027-02-17", "name": "春节"}])
    assert problems(data) == ["第1个调休上班日（2027-02-17）：是星期三，调休上班日应为周六或周日"]


def test_a_day_both_holiday_and_makeup_is_refused():
    data = notice_2027(makeup_workdays=[{"date": "2027-01-02", "name": "元旦"}])
    assert problems(data) == [
        "第1个调休上班日（2027-01-02）：已列为节假日（元旦），不能同时是调休上班日"
    ]


def test_a_makeup_day_outside_the_year_is_refused():
    data = notice_2027(makeup_workdays=[{"date": "2026-12-26", "name": "元旦"}])
    assert problems(data) == ["第1个调休上班日（2026-12-26）：不在2027年内"]


def test_a_weekend_only_holiday_entry_is_fine():
    data = notice_2027(holidays=[{"name": "元旦", "start": "2027-01-02", "end": "2027-01-03"}])
    assert len(parse_notice(data).holidays) == 2


def test_every_problem_is_reported_at_once():
    data = notice_2027(
        year=2027,
        notice={"title": "", "number": "国办发明电〔2026〕99号", "published_on": "2026/11/10"},
        holidays=[{"name": "", "start": "2027-01-01", "end": "2027-01-01", "days": 1}],
        makeup_workdays=[{"date": "2027-02-17", "name": "春节"}],
        makeups=[],
    )
    assert problems(data) == [
        "文件有未知字段：makeups（可用字段：format、holidays、makeup_workdays、notice、version、year）",
        "通知标题（notice.title）不能为空",
        "发布日期（notice.published_on）“2026/11/10”不是有效日期（格式为YYYY-MM-DD，例如2026-10-01）",
        "第1个节假日有未知字段：days（可用字段：end、name、start）",
        "第1个节假日的名称不能为空",
        "第1个调休上班日（2027-02-17）：是星期三，调休上班日应为周六或周日",
    ]


def test_a_wrong_year_and_an_empty_holiday_list():
    assert problems(notice_2027(year="2027", holidays=[])) == [
        "year应为四位数字的年份，例如2027",
        "holidays应为非空列表，每项写明节日名称和放假起止日期",
    ]


def test_a_file_that_is_not_json_names_the_line(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text('{"year": 2027,\n "holidays": [}', encoding="utf-8")
    with pytest.raises(ValidationError, match="第2行第15列"):
        read_notice_file(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(ValidationError, match="找不到文件"):
        read_notice_file(tmp_path / "2027.json")


def test_a_file_with_a_bom_is_read(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(notice_2027(), ensure_ascii=False), encoding="utf-8-sig")
    assert read_notice_file(path).year == 2027
