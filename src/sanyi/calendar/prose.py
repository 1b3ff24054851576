"""Reading the State Council's holiday notice as published, in prose.

The notice (国务院办公厅关于20XX年部分节假日安排的通知) lists each holiday as a numbered item::

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

``notice_data_from_prose`` turns such text into the notice file's structure (see
``calendar.notice``), which is then checked by ``parse_notice`` like any file. Inside the
numbered items every sentence must be understood: one that is not is reported by item and
text, and nothing is read. The title, the preamble, the closing paragraph and the signature
are read only for the year, the document number and the date of publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from sanyi.calendar.notice import FORMAT, VERSION

SOURCE = "中国政府网（www.gov.cn）"
TITLE = "国务院办公厅关于{year}年部分节假日安排的通知"
_TITLE = re.compile(r"国务院办公厅关于\s*(\d{4})\s*年部分节假日安排的通知")
_NUMBER = re.compile(r"国办发(?:明电)?〔\d{4}〕\d+号")
_SIGNED = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
# A numbered item starts the text, a line or a sentence: "一、", "十二、".
_ITEM = re.compile(r"(?:^|(?<=[。\n]))[ \t\u3000]*([一二三四五六七八九十]{1,3})、")
_NOTE = r"(?:（[^）]*）)?"
_DAY_OFF = re.compile(
    rf"^(\d{{1,2}})月(\d{{1,2}})日{_NOTE}(?:至(?:(\d{{1,2}})月)?(\d{{1,2}})日{_NOTE})?放假"
)
_COUNT = re.compile(r"(?:共|放假)(\d{1,2})天")
_WORKDAY = re.compile(r"(\d{1,2})月(\d{1,2})日" + _NOTE)
_MAKEUP = re.compile(rf"^(?:(\d{{1,2}})月(\d{{1,2}})日{_NOTE}[、，和及]?)+(?:上班|调休上班)$")


@dataclass
class _Reading:
    year: int
    holidays: list[dict[str, str]] = field(default_factory=list)
    makeup: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def looks_like_prose(text: str) -> bool:
    """Whether pasted text is the notice's prose rather than a notice file (JSON)."""
    return not text.lstrip("\ufeff \t\r\n").startswith(("{", "["))


def notice_data_from_prose(
    text: str, *, year: int | None = None, number: str = "", published_on: date | None = None
) -> dict[str, Any]:
    """The notice file structure read from the notice's prose; ``year``, ``number`` and
    ``published_on`` stand in for what the pasted text leaves out. Raises ValidationError
    naming every sentence that was not understood and whatever is missing."""
    text = text.replace("\r\n", "\n").replace(":", "：")
    items, outside = _split_items(text)
    meta, errors = _metadata(outside, year=year, number=number, published_on=published_on)
    if not items:
        errors.append("没有找到“一、元旦：……”这样的分项，请粘贴通知正文中的各项安排")
    if meta["year"] is None:
        raise ValidationError(errors)
    reading = _Reading(year=meta["year"], errors=errors)
    for numeral, body in items:
        _read_item(reading, numeral, body)
    if reading.errors:
        raise ValidationError(reading.errors)
    return {
        "format": FORMAT,
        "version": VERSION,
        "year": reading.year,
        "notice": {
            "title": meta["title"],
            "number": meta["number"],
            "published_on": meta["published_on"].isoformat(),
            "source": SOURCE,
            "notes": "",
        },
        "holidays": reading.holidays,
        "makeup_workdays": reading.makeup,
    }


def _split_items(text: str) -> tuple[list[tuple[str, str]], str]:
    """The numbered items (numeral, text) and the text around them."""
    marks = list(_ITEM.finditer(text))
    items = []
    for k, mark in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        items.append((mark.group(1), text[mark.end() : end]))
    if not marks:
        return [], text
    # The last item runs to the end of its line; what follows is the closing paragraph.
    last_numeral, last = items[-1]
    line, _, rest = last.partition("\n")
    items[-1] = (last_numeral, line)
    return items, text[: marks[0].start()] + "\n" + rest


def _metadata(
    outside: str, *, year: int | None, number: str, published_on: date | None
) -> tuple[dict[str, Any], list[str]]:
    """Year, title, number and publication date from the text around the items (the
    title, the signature) or, failing that, from the values given."""
    errors: list[str] = []
    title = _TITLE.search(outside)
    found_year = int(title.group(1)) if title else None
    if found_year and year and found_year != year:
        errors.append(f"通知标题写的是{found_year}年，与填写的年份{year}不一致")
    year = found_year or year
    if year is None:
        errors.append(
            "没有找到年份：请粘贴通知标题（国务院办公厅关于20XX年部分节假日安排的通知），或填写年份"
        )
    doc_number = _NUMBER.search(outside)
    number = doc_number.group(0) if doc_number else number.strip()
    if not number:
        errors.append("没有找到发文字号（例如“国办发明电〔2025〕7号”）：请一并粘贴，或填写发文字号")
    signed = [m for m in _SIGNED.finditer(outside) if year is None or int(m.group(1)) < year]
    if signed:
        y, m, d = (int(g) for g in signed[-1].groups())
        try:
            published_on = date(y, m, d)
        except ValueError:
            errors.append(f"落款日期“{signed[-1].group(0)}”不是有效日期")
    if published_on is None:
        errors.append("没有找到发布日期（通知末尾的落款日期）：请一并粘贴，或填写发布日期")
    meta = {
        "year": year,
        "title": TITLE.format(year=year),
        "number": number,
        "published_on": published_on,
    }
    return meta, errors


def _read_item(reading: _Reading, numeral: str, body: str) -> None:
    """One numbered item: its holiday name, days off and make-up working days."""
    name, colon, rest = body.partition("：")
    name = re.sub(r"\s+", "", name)
    where = f"第{numeral}项（{name}）" if colon else f"第{numeral}项"
    if not colon or not name or len(name) > 20:
        reading.errors.append(f"{where}：没有找到“节日名称：”，例如“一、元旦：”")
        return
    days_off = 0
    for sentence in (s.strip() for s in re.split(r"[。；;]", re.sub(r"\s+", "", rest))):
        if not sentence:
            continue
        if _DAY_OFF.match(sentence):
            days_off += 1
            _read_days_off(reading, where, name, sentence)
        elif _MAKEUP.match(sentence):
            for m in _WORKDAY.finditer(sentence):
                day = _day(reading, where, int(m.group(1)), int(m.group(2)))
                if day:
                    reading.makeup.append({"date": day.isoformat(), "name": name})
        else:
            reading.errors.append(f"{where}中的“{sentence}。”未能识别，请核对后重新粘贴")
    if not days_off:
        reading.errors.append(f"{where}：没有找到放假日期（例如“1月1日（周四）至3日（周六）放假”）")


def _read_days_off(reading: _Reading, where: str, name: str, sentence: str) -> None:
    """ "1月1日（周四）至3日（周六）放假调休，共3天": a range of days off, its length
    checked against the count the notice gives."""
    m = _DAY_OFF.match(sentence)
    assert m is not None
    start_month, start_day, end_month, end_day = m.groups()
    start = _day(reading, where, int(start_month), int(start_day))
    end = _day(
        reading,
        where,
        int(end_month or start_month),
        int(end_day or start_day),
    )
    if start is None or end is None:
        return
    count = _COUNT.search(sentence)
    length = (end - start).days + 1
    if count and int(count.group(1)) != length:
        reading.errors.append(
            f"{where}：{start.month}月{start.day}日至{end.month}月{end.day}日是{length}天，"
            f"通知写的是共{count.group(1)}天，请核对"
        )
        return
    reading.holidays.append({"name": name, "start": start.isoformat(), "end": end.isoformat()})


def _day(reading: _Reading, where: str, month: int, day: int) -> date | None:
    try:
        return date(reading.year, month, day)
    except ValueError:
        reading.errors.append(f"{where}：{reading.year}年没有{month}月{day}日")
        return None
