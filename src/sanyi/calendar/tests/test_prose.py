"""Reading the State Council notice as published: the real 2025 and 2026 notices give
exactly the calendar data shipped for those years; what is not understood is named."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from sanyi.calendar.notice import DATA_DIR, notice_as_data, parse_notice
from sanyi.calendar.prose import looks_like_prose, notice_data_from_prose

NOTICES = Path(__file__).parent / "notices"


def _shipped(year: int) -> dict:
    return json.loads((DATA_DIR / f"{year}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_published_notice_gives_the_shipped_calendar(year):
    text = (NOTICES / f"{year}.txt").read_text(encoding="utf-8")
    assert looks_like_prose(text)

    read = notice_as_data(parse_notice(notice_data_from_prose(text)))

    shipped = _shipped(year)
    assert read["year"] == shipped["year"]
    assert read["holidays"] == shipped["holidays"]
    assert read["makeup_workdays"] == shipped["makeup_workdays"]
    for key in ("title", "number", "published_on", "source"):
        assert read["notice"][key] == shipped["notice"][key]
    assert parse_notice(notice_data_from_prose(text)) == parse_notice(
        shipped | {"notice": shipped["notice"] | {"notes": ""}}
    )


def test_the_items_alone_with_year_number_and_date_given():
    body = (NOTICES / "2026.txt").read_text(encoding="utf-8")
    items = "".join(line for line in body.splitlines() if line[:2] in {"一、", "二、", "三、"})

    data = notice_data_from_prose(
        items, year=2026, number="国办发明电〔2025〕7号", published_on=dt.date(2025, 11, 4)
    )

    assert [h["name"] for h in data["holidays"]] == ["元旦", "春节", "清明节"]
    assert data["holidays"][1] == {"name": "春节", "start": "2026-02-15", "end": "2026-02-23"}
    assert [d["date"] for d in data["makeup_workdays"]] == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
    ]
    assert data["notice"]["title"] == "国务院办公厅关于2026年部分节假日安排的通知"


def test_without_title_or_year_says_what_is_missing():
    with pytest.raises(ValidationError) as exc:
        notice_data_from_prose("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。")
    text = " ".join(exc.value.messages)
    assert "没有找到年份" in text and "发文字号" in text and "发布日期" in text


def test_a_sentence_not_understood_is_named_and_nothing_is_read():
    text = (
        (NOTICES / "2026.txt")
        .read_text(encoding="utf-8")
        .replace("5月9日（周六）上班。", "5月9日（周六）上班。另行通知的单位除外。")
    )
    with pytest.raises(ValidationError) as exc:
        notice_data_from_prose(text)
    assert exc.value.messages == [
        "第四项（劳动节）中的“另行通知的单位除外。”未能识别，请核对后重新粘贴"
    ]


def test_a_day_count_that_does_not_match_the_dates_is_refused():
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8").replace("共9天", "共8天")
    with pytest.raises(ValidationError) as exc:
        notice_data_from_prose(text)
    assert exc.value.messages == ["第二项（春节）：2月15日至2月23日是9天，通知写的是共8天，请核对"]


def test_a_synthetic_next_year_notice_with_a_month_crossing_holiday():
    text = (
        "国务院办公厅关于2031年部分节假日安排的通知\n国办发明电〔2030〕9号\n"
        "一、元旦：1月1日（周三）放假1天，不调休。\n"
        "二、春节：1月22日（农历除夕、周三）至1月28日（周二）放假调休，共7天。"
        "1月19日（周日）、2月8日（周六）上班。\n"
        "三、端午节：5月31日（周六）至6月2日（周一）放假，共3天。\n"
        "国务院办公厅\n2030年11月10日\n"
    )
    notice = parse_notice(notice_data_from_prose(text))
    assert notice.year == 2031 and notice.published_on == dt.date(2030, 11, 10)
    assert notice.holidays[dt.date(2031, 6, 2)] == "端午节"
    assert sorted(notice.makeup_workdays) == [dt.date(2031, 1, 19), dt.date(2031, 2, 8)]
    assert len(notice.holidays) == 1 + 7 + 3


def test_json_is_not_taken_for_prose():
    assert not looks_like_prose('\ufeff  {"format": "sanyi-calendar"}')
