"""The holiday-notice file format (docs/calendar.md): reading and checking one year's notice.

``parse_notice`` checks everything before anything is written and reports every problem at
once, each message naming the entry it is about, so whoever types in a new notice can fix
the whole file in one pass.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from sanyi.calendar.workdays import WorkCalendar

FORMAT = "sanyi-calendar"
VERSION = 1
MIN_YEAR, MAX_YEAR = 1950, 2200
# No holiday in a State Council notice has been longer than 9 days; a longer range is a typo.
MAX_HOLIDAY_DAYS = 31

TOP_KEYS = {"format", "version", "year", "notice", "holidays", "makeup_workdays"}
NOTICE_KEYS = {"title", "number", "published_on", "source", "notes"}
HOLIDAY_KEYS = {"name", "start", "end"}
MAKEUP_KEYS = {"date", "name"}
WEEKDAY_NAMES = "一二三四五六日"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Notice:
    """One year's notice, checked: every day off and every make-up working day by date."""

    year: int
    title: str
    number: str
    published_on: date
    source: str
    notes: str
    holidays: dict[date, str]
    makeup_workdays: dict[date, str]


def weekday_label(d: date) -> str:
    return f"星期{WEEKDAY_NAMES[d.weekday()]}"


def _date(value: Any, where: str, errors: list[str]) -> date | None:
    if not isinstance(value, str):
        errors.append(f"{where}应为“YYYY-MM-DD”格式的日期文字")
        return None
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"{where}“{value}”不是有效日期（格式为YYYY-MM-DD，例如2026-10-01）")
        return None


def _text(
    obj: dict, key: str, where: str, errors: list[str], *, max_length: int, required: bool = True
) -> str:
    value = obj.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(f"{where}应为文字")
        return ""
    value = value.strip()
    if required and not value:
        errors.append(f"{where}不能为空")
    elif len(value) > max_length:
        errors.append(f"{where}不能超过{max_length}个字（现有{len(value)}个）")
    return value


def _unknown_keys(obj: dict, allowed: set[str], where: str, errors: list[str]) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        errors.append(
            f"{where}有未知字段：{'、'.join(unknown)}（可用字段：{'、'.join(sorted(allowed))}）"
        )


def parse_notice(data: Any) -> Notice:
    """Check a parsed notice document; raise ValidationError listing every problem."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ValidationError("节假日安排文件应为一个JSON对象（以 { 开头）")
    _unknown_keys(data, TOP_KEYS, "文件", errors)
    if data.get("format") != FORMAT:
        errors.append(f"format应为“{FORMAT}”")
    if data.get("version") != VERSION:
        errors.append(f"version应为{VERSION}")
    year = _year(data.get("year"), errors)
    meta = _notice_meta(data.get("notice"), errors)
    holidays = _holidays(data.get("holidays"), year, errors)
    makeup = _makeup_workdays(data.get("makeup_workdays", []), year, holidays, errors)
    if errors:
        raise ValidationError(errors)
    assert year is not None and meta["published_on"] is not None
    return Notice(year=year, **meta, holidays=holidays, makeup_workdays=makeup)


def _year(year: Any, errors: list[str]) -> int | None:
    """The notice's year, or None (with the reason in ``errors``)."""
    if isinstance(year, bool) or not isinstance(year, int):
        errors.append("year应为四位数字的年份，例如2027")
        return None
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors.append(f"year {year}不在{MIN_YEAR}至{MAX_YEAR}年之间")
        return None
    return year


def _notice_meta(notice: Any, errors: list[str]) -> dict[str, Any]:
    """Title, number, publication date, source and notes of the notice itself."""
    meta: dict[str, Any] = dict.fromkeys(("title", "number", "source", "notes"), "")
    meta["published_on"] = None
    if not isinstance(notice, dict):
        errors.append("notice应为一个对象，填写通知标题、发文字号和发布日期")
        return meta
    _unknown_keys(notice, NOTICE_KEYS, "notice", errors)
    meta["title"] = _text(notice, "title", "通知标题（notice.title）", errors, max_length=200)
    meta["number"] = _text(notice, "number", "发文字号（notice.number）", errors, max_length=60)
    meta["published_on"] = _date(
        notice.get("published_on"), "发布日期（notice.published_on）", errors
    )
    meta["source"] = _text(
        notice, "source", "来源（notice.source）", errors, max_length=300, required=False
    )
    meta["notes"] = _text(
        notice, "notes", "备注（notice.notes）", errors, max_length=2000, required=False
    )
    return meta


def _holidays(entries: Any, year: int | None, errors: list[str]) -> dict[date, str]:
    """Every day off by date, with its holiday's name; ranges may not overlap."""
    holidays: dict[date, str] = {}
    holiday_entry: dict[date, str] = {}
    if not isinstance(entries, list) or not entries:
        errors.append("holidays应为非空列表，每项写明节日名称和放假起止日期")
        entries = []
    for k, entry in enumerate(entries, start=1):
        where = f"第{k}个节假日"
        if not isinstance(entry, dict):
            errors.append(f'{where}应为对象：{{"name": …, "start": …, "end": …}}')
            continue
        name = entry.get("name")
        if isinstance(name, str) and name.strip():
            where = f"{where}（{name.strip()}）"
        _unknown_keys(entry, HOLIDAY_KEYS, where, errors)
        name = _text(entry, "name", f"{where}的名称", errors, max_length=40)
        days = _holiday_days(entry, where, year, errors)
        for d in days:
            if d in holidays:
                errors.append(f"{where}：{d}已在{holiday_entry[d]}中，节假日不能重叠")
                break
            holidays[d] = name
            holiday_entry[d] = where
    return holidays


def _holiday_days(entry: dict, where: str, year: int | None, errors: list[str]) -> list[date]:
    """The days from one holiday's start to its end, or [] when the range is wrong."""
    start = _date(entry.get("start"), f"{where}的开始日期", errors)
    end = _date(entry.get("end"), f"{where}的结束日期", errors)
    if start is None or end is None:
        return []
    if end < start:
        errors.append(f"{where}：结束日期{end}早于开始日期{start}")
        return []
    if year is not None and (start.year != year or end.year != year):
        errors.append(f"{where}：{start}至{end}不在{year}年内")
        return []
    length = (end - start).days + 1
    if length > MAX_HOLIDAY_DAYS:
        errors.append(f"{where}：放假{length}天，超过{MAX_HOLIDAY_DAYS}天，请核对日期")
        return []
    return [start + timedelta(days=i) for i in range(length)]


def _makeup_workdays(
    entries: Any, year: int | None, holidays: dict[date, str], errors: list[str]
) -> dict[date, str]:
    """Every make-up working day by date, with the holiday it belongs to."""
    makeup: dict[date, str] = {}
    if not isinstance(entries, list):
        errors.append("makeup_workdays应为列表（没有调休上班日时写 []）")
        entries = []
    for k, entry in enumerate(entries, start=1):
        where = f"第{k}个调休上班日"
        if not isinstance(entry, dict):
            errors.append(f'{where}应为对象：{{"date": …, "name": …}}')
            continue
        if isinstance(entry.get("date"), str):
            where = f"{where}（{entry['date']}）"
        _unknown_keys(entry, MAKEUP_KEYS, where, errors)
        name = _text(entry, "name", f"{where}所属节日的名称", errors, max_length=40)
        d = _date(entry.get("date"), f"{where}的日期", errors)
        if d is None:
            continue
        if year is not None and d.year != year:
            errors.append(f"{where}：不在{year}年内")
        elif d.weekday() < 5:
            errors.append(f"{where}：是{weekday_label(d)}，调休上班日应为周六或周日")
        elif d in holidays:
            errors.append(f"{where}：已列为节假日（{holidays[d]}），不能同时是调休上班日")
        elif d in makeup:
            errors.append(f"{where}：重复列出")
        else:
            makeup[d] = name
    return makeup


def read_notice_file(path: str | Path) -> Notice:
    """Read and check a notice file; unreadable or malformed files raise ValidationError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(f"找不到文件：{path}") from None
    except UnicodeDecodeError:
        raise ValidationError(f"文件{path.name}不是UTF-8编码的文字文件") from None
    except OSError as exc:
        raise ValidationError(f"无法读取文件{path.name}：{exc.strerror}") from None
    return parse_notice(load_json(text, path.name))


def load_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"文件{name}不是有效的JSON：第{exc.lineno}行第{exc.colno}列附近有误（{exc.msg}）"
        ) from None


def notice_as_data(notice: Notice) -> dict[str, Any]:
    """The file form of a notice, consecutive days off folded back into ranges."""
    holidays: list[dict[str, str]] = []
    for d in sorted(notice.holidays):
        name = notice.holidays[d]
        last = holidays[-1] if holidays else None
        if last and last["name"] == name and date.fromisoformat(last["end"]) == d - timedelta(1):
            last["end"] = d.isoformat()
        else:
            holidays.append({"name": name, "start": d.isoformat(), "end": d.isoformat()})
    return {
        "format": FORMAT,
        "version": VERSION,
        "year": notice.year,
        "notice": {
            "title": notice.title,
            "number": notice.number,
            "published_on": notice.published_on.isoformat(),
            "source": notice.source,
            "notes": notice.notes,
        },
        "holidays": holidays,
        "makeup_workdays": [
            {"date": d.isoformat(), "name": notice.makeup_workdays[d]}
            for d in sorted(notice.makeup_workdays)
        ],
    }


DATA_DIR = Path(__file__).resolve().parent / "data"
# The notices shipped with the code; migration 0002 loads the same files.
OFFICIAL_NOTICE_FILES = (DATA_DIR / "2025.json", DATA_DIR / "2026.json")


def work_calendar_from_notices(notices: list[Notice]) -> WorkCalendar:
    """A calendar straight from notices, without the database (benchmarks, tests, tools)."""
    holidays: dict[date, str] = {}
    makeup: dict[date, str] = {}
    for notice in notices:
        holidays |= notice.holidays
        makeup |= notice.makeup_workdays
    return WorkCalendar(holidays, makeup, [n.year for n in notices])
