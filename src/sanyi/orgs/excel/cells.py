"""Reading cells: text and dates, the header row, the data rows, and parsing one unit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError

from sanyi.core.ids import validate_uscc
from sanyi.core.imports import RowError
from sanyi.core.xlsx import header_width, sheet_rows
from sanyi.orgs.excel.layout import (
    _UNIT_TEXT_LIMITS,
    KIND_LABELS,
    UNIT_HEADER,
    UNIT_STATUS,
    UnitRow,
)
from sanyi.orgs.models import (
    DIVISION_CODE_KINDS,
    USCC_KINDS,
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _header_map(
    ws: Any, header: dict[str, str], required: list[str], errors: list[RowError]
) -> dict[str, int]:
    by_label = {label: key for key, label in header.items()}
    columns: dict[str, int] = {}
    first = next((values for _n, values in sheet_rows(ws, min_row=1, max_row=1, errors=errors)), ())
    for idx, value in enumerate(first):
        label = _text(value)
        if not label:
            continue
        if label not in by_label:
            errors.append(RowError(sheet=ws.title, row=1, column=label, message="无法识别的列名"))
        elif by_label[label] in columns:
            errors.append(RowError(sheet=ws.title, row=1, column=label, message="列名重复"))
        else:
            columns[by_label[label]] = idx
    for key in required:
        if key not in columns:
            errors.append(RowError(sheet=ws.title, row=1, column=header[key], message="缺少此列"))
    return columns


def _rows(
    ws: Any, columns: dict[str, int], header: dict[str, str], errors: list[RowError]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows as {key: value}; formula and over-long cells go to ``errors`` instead."""
    names = [""] * (max(columns.values(), default=-1) + 1)
    for key, idx in columns.items():
        names[idx] = header[key]
    for number, values in sheet_rows(
        ws, min_row=2, width=header_width(names) or 1, column_name=names, errors=errors
    ):
        if all(_text(v) == "" for v in values):
            continue
        yield (
            number,
            {key: values[idx] if idx < len(values) else None for key, idx in columns.items()},
        )


class _RowReport:
    """Reports one row's problems through ``err`` and counts them, so a row with any
    problem is left out."""

    def __init__(self, err: Callable[..., None], number: int) -> None:
        self.err, self.number, self.count = err, number, 0

    def __call__(self, column: str, message: str) -> None:
        self.count += 1
        self.err(self.number, column, message)


def _parse_unit_row(number: int, raw: dict[str, Any], err: Callable[..., None]) -> UnitRow | None:
    """Parse one row of the units sheet; None (with every problem reported) if it is bad."""
    report = _RowReport(err, number)
    col = UNIT_HEADER
    code, parent_code = _text(raw.get("code")), _text(raw.get("parent_code"))
    if not code:
        report(col["code"], "单位编号不能为空")
    elif len(code) > 32 or any(c.isspace() or c == "/" for c in code):
        report(col["code"], "单位编号最长32个字符，不能含空格或“/”")
    label = _text(raw.get("kind_label"))
    if label not in KIND_LABELS:
        report(col["kind_label"], f"类别“{label}”无效，应为：{'、'.join(KIND_LABELS)}")
        kind, is_rural = "", False
    else:
        kind, is_rural = KIND_LABELS[label]
    values = _unit_values(raw, kind=kind, is_rural=is_rural, label=label, report=report)
    is_active, abolished_on = _unit_status(raw, values, report)
    if report.count:
        return None
    return UnitRow(number, code, parent_code, kind, is_rural, values, is_active, abolished_on)


def _unit_values(
    raw: dict[str, Any], *, kind: str, is_rural: bool, label: str, report: _RowReport
) -> dict[str, Any]:
    """The unit's field values from the row: texts, sort order and official codes."""
    col = UNIT_HEADER
    values: dict[str, Any] = {"is_rural": is_rural}
    for key, limit in _UNIT_TEXT_LIMITS.items():
        if key in raw:
            text = _text(raw[key])
            if len(text) > limit:
                report(col[key], f"不能超过{limit}个字")
            values[key] = text
    if "name" in values and not values["name"]:
        report(col["name"], "名称不能为空")
    if "notes" in raw:
        values["notes"] = _text(raw["notes"])
    if "sort_order" in raw:
        text = _text(raw["sort_order"])
        if text and not text.isdigit():
            report(col["sort_order"], "排序应为不小于0的整数")
        else:
            values["sort_order"] = int(text) if text else 0
    if "division_code" in raw:
        dcode = _text(raw["division_code"])
        if dcode and (len(dcode) != 12 or not dcode.isdigit()):
            report(col["division_code"], f"统计用区划代码“{dcode}”应为12位数字")
        elif dcode and kind and kind not in DIVISION_CODE_KINDS:
            report(col["division_code"], f"{label}不填写统计用区划代码")
        values["division_code"] = dcode
    if "uscc" in raw:
        uscc = _text(raw["uscc"]).upper()
        if uscc:
            if kind and kind not in USCC_KINDS:
                report(col["uscc"], f"{label}不填写统一社会信用代码")
            else:
                try:
                    uscc = validate_uscc(uscc)
                except ValidationError as exc:
                    report(col["uscc"], "；".join(exc.messages))
        values["uscc"] = uscc
    if "email" in values and values["email"] and "@" not in values["email"]:
        report(col["email"], "电子邮箱格式不正确")
    return values


def _unit_status(
    raw: dict[str, Any], values: dict[str, Any], report: _RowReport
) -> tuple[bool | None, dt.date | None]:
    """The row's dates and status: sets ``established_on`` in ``values``; returns whether
    the unit is active (None when the file does not say) and its abolition date."""
    col = UNIT_HEADER
    dates = {}
    for key in ("established_on", "abolished_on"):
        if key in raw:
            try:
                dates[key] = _date(raw[key])
            except ValueError:
                report(col[key], f"日期“{_text(raw[key])}”无效，应写成2026-01-31")
    if "established_on" in dates:
        values["established_on"] = dates["established_on"]
    is_active = None
    if "status" in raw:
        status = _text(raw["status"]) or "有效"
        if status not in UNIT_STATUS:
            report(col["status"], "状态应为“有效”或“已撤销”")
        else:
            is_active = UNIT_STATUS[status]
    abolished_on = dates.get("abolished_on")
    if is_active is False and abolished_on is None and "abolished_on" not in dates:
        report(col["status"], "已撤销的单位须有“撤销日期”列")
    elif is_active is False and abolished_on is None:
        report(col["abolished_on"], "已撤销的单位须填写撤销日期")
    elif is_active is not False and abolished_on is not None:
        report(col["abolished_on"], "有效的单位不应填写撤销日期")
    est = dates.get("established_on")
    if est and abolished_on and abolished_on < est:
        report(col["abolished_on"], "撤销日期早于设立日期")
    return is_active, abolished_on


class _Errors:
    """Collects row errors for one sheet at a time."""

    def __init__(self) -> None:
        self.sheet_errors: list[RowError] = []
        self.sheet = ""
        self.before = 0

    def __call__(self, row: int, column: str, message: str) -> None:
        self.sheet_errors.append(
            RowError(sheet=self.sheet, row=row, column=column, message=message)
        )

    def on(self, sheet: str) -> _Errors:
        self.sheet = sheet
        self.before = len(self.sheet_errors)
        return self
