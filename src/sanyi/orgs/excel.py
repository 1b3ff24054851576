"""The org tree as an Excel workbook: the layout, reading it back, checking every row.

Layout (one header row per sheet, then one row per record):

Sheet "组织机构", one row per org unit, parents before children:
  单位编号        the unit's stable key (``OrgUnit.code``); rows whose key exists are
                  updated, others are created with that key
  上级单位编号    the parent's 单位编号 (in this file or already in the system); empty only
                  for the district at the top
  类别            区 / 街道 / 乡镇 / 社区 / 村 / 网格 / 部门 / 站所
  名称, 简称, 统计用区划代码 (12 digits), 统一社会信用代码 (18 chars), 电话, 电子邮箱,
  地址, 办公时间, 排序 (whole number), 状态 (有效 / 已撤销), 设立日期, 撤销日期
  (dates as Excel dates or YYYY-MM-DD), 备注
  名称路径        for people reading the sheet only ("示范区/城关街道/翠苑社区"); ignored
                  on import

Sheet "服务中心和窗口", a 服务中心 row followed by its 窗口 rows:
  记录类型 (服务中心 / 窗口), 所属单位编号, 服务中心名称, 地址, 咨询电话, 办公时间,
  交通指引, 窗口号, 窗口名称, 综合窗口 (是 / 否), 状态 (在用 / 停用)
  A center is identified by its unit and name, a window by its center and number.

Units, centers and windows missing from the file are left as they are: the import never
deletes. ``read_workbook`` checks everything it can without writing and returns every
problem with its sheet, row and column; ``orgs.services.org_tree_import`` writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sanyi.core.ids import validate_uscc
from sanyi.core.imports import ImportRejected, RowError
from sanyi.core.xlsx import header_width, open_workbook, sheet_rows, workbook_bytes
from sanyi.orgs.models import (
    ALLOWED_CHILDREN,
    DIVISION_CODE_KINDS,
    USCC_KINDS,
    OrgKind,
    OrgUnit,
    ServiceCenter,
)

UNIT_SHEET = "组织机构"
CENTER_SHEET = "服务中心和窗口"

UNIT_COLUMNS = [
    ("code", "单位编号"),
    ("parent_code", "上级单位编号"),
    ("kind_label", "类别"),
    ("name", "名称"),
    ("short_name", "简称"),
    ("division_code", "统计用区划代码"),
    ("uscc", "统一社会信用代码"),
    ("phone", "电话"),
    ("email", "电子邮箱"),
    ("address", "地址"),
    ("opening_hours", "办公时间"),
    ("sort_order", "排序"),
    ("status", "状态"),
    ("established_on", "设立日期"),
    ("abolished_on", "撤销日期"),
    ("notes", "备注"),
    ("name_path", "名称路径"),
]
CENTER_COLUMNS = [
    ("record", "记录类型"),
    ("unit_code", "所属单位编号"),
    ("center_name", "服务中心名称"),
    ("address", "地址"),
    ("phone", "咨询电话"),
    ("opening_hours", "办公时间"),
    ("transport", "交通指引"),
    ("number", "窗口号"),
    ("window_name", "窗口名称"),
    ("is_comprehensive", "综合窗口"),
    ("status", "状态"),
]
UNIT_HEADER = dict(UNIT_COLUMNS)
CENTER_HEADER = dict(CENTER_COLUMNS)
# Columns a file must have; the rest may be left out (then those fields are not touched
# for existing units and left empty for new ones).
REQUIRED_UNIT_COLUMNS = ["code", "parent_code", "kind_label", "name"]
REQUIRED_CENTER_COLUMNS = ["record", "unit_code", "center_name"]

KIND_LABELS = {
    "区": (OrgKind.DISTRICT, False),
    "街道": (OrgKind.SUBDISTRICT, False),
    "乡镇": (OrgKind.SUBDISTRICT, True),
    "社区": (OrgKind.COMMUNITY, False),
    "村": (OrgKind.COMMUNITY, True),
    "网格": (OrgKind.GRID, False),
    "部门": (OrgKind.DEPARTMENT, False),
    "站所": (OrgKind.STATION, False),
}
UNIT_STATUS = {"有效": True, "已撤销": False}
CENTER_STATUS = {"在用": True, "停用": False}
YES_NO = {"是": True, "否": False}
RECORD_CENTER, RECORD_WINDOW = "服务中心", "窗口"
# Text columns and their length limits (the model's max_length).
_UNIT_TEXT_LIMITS = {
    "name": 100,
    "short_name": 40,
    "phone": 40,
    "email": 254,
    "address": 200,
    "opening_hours": 200,
}


def kind_label(unit: OrgUnit) -> str:
    return unit.display_kind


@dataclass
class UnitRow:
    row: int
    code: str
    parent_code: str
    kind: str
    is_rural: bool
    values: dict[str, Any]  # model field → cleaned value, only for columns in the file
    is_active: bool | None
    abolished_on: dt.date | None
    depth: int = 0


@dataclass
class CenterRow:
    row: int
    unit_code: str
    name: str
    values: dict[str, Any]
    is_active: bool | None
    windows: list[WindowRow] = field(default_factory=list)


@dataclass
class WindowRow:
    row: int
    number: str
    values: dict[str, Any]


@dataclass
class ParsedWorkbook:
    units: list[UnitRow]  # ordered parents first
    centers: list[CenterRow]


# --- export ------------------------------------------------------------------------------


def _autosize(ws: Any, widths: dict[int, int]) -> None:
    for idx, width in widths.items():
        ws.column_dimensions[get_column_letter(idx)].width = min(max(width + 2, 8), 60)


def _write_sheet(ws: Any, headers: list[str], rows: list[list[Any]]) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    widths = {i + 1: len(h) * 2 for i, h in enumerate(headers)}
    for values in rows:
        ws.append(values)
        for i, v in enumerate(values):
            if isinstance(v, str):
                widths[i + 1] = max(widths[i + 1], len(v) * 2)
    # Keep codes as text so Excel does not turn 990101000000 into 9.9E+11.
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.number_format = "@"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    _autosize(ws, widths)


def export_workbook(units: list[OrgUnit], centers: list[ServiceCenter]) -> bytes:
    """Write ``units`` (in tree order) and ``centers`` (windows prefetched) as xlsx bytes."""
    by_pk = {u.pk: u for u in units}
    names: dict[int, str] = {}
    unit_rows = []
    for u in units:
        parent = by_pk.get(u.parent_id)
        names[u.pk] = f"{names[parent.pk]}/{u.name}" if parent else u.name
        unit_rows.append(
            [
                u.code,
                parent.code if parent else (u.parent.code if u.parent_id else ""),
                kind_label(u),
                u.name,
                u.short_name,
                u.division_code,
                u.uscc,
                u.phone,
                u.email,
                u.address,
                u.opening_hours,
                u.sort_order,
                "有效" if u.is_active else "已撤销",
                u.established_on,
                u.abolished_on,
                u.notes,
                names[u.pk],
            ]
        )
    center_rows = []
    for c in centers:
        center_rows.append(
            [
                RECORD_CENTER,
                c.org_unit.code,
                c.name,
                c.address,
                c.phone,
                c.opening_hours,
                c.transport,
                "",
                "",
                "",
                "在用" if c.is_active else "停用",
            ]
        )
        for w in c.windows.all():
            center_rows.append(
                [
                    RECORD_WINDOW,
                    c.org_unit.code,
                    c.name,
                    "",
                    "",
                    "",
                    "",
                    w.number,
                    w.name,
                    "是" if w.is_comprehensive else "否",
                    "在用" if w.is_active else "停用",
                ]
            )
    wb = Workbook()
    ws = wb.active
    ws.title = UNIT_SHEET
    _write_sheet(ws, [h for _, h in UNIT_COLUMNS], unit_rows)
    _write_sheet(wb.create_sheet(CENTER_SHEET), [h for _, h in CENTER_COLUMNS], center_rows)
    return workbook_bytes(wb)


def export_units(units: QuerySet[OrgUnit]) -> bytes:
    """Export a queryset of units (for example one subtree) with their centers and windows."""
    unit_list = list(units.select_related("parent").order_by("path"))
    centers = list(
        ServiceCenter.objects.filter(org_unit__in=units.values("pk"))
        .select_related("org_unit")
        .prefetch_related("windows")
        .order_by("org_unit__path", "name")
    )
    return export_workbook(unit_list, centers)


# --- reading -----------------------------------------------------------------------------


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


def _parse_unit_row(number: int, raw: dict[str, Any], err: Callable[..., None]) -> UnitRow | None:
    col = UNIT_HEADER
    ok = True
    code, parent_code = _text(raw.get("code")), _text(raw.get("parent_code"))
    if not code:
        err(number, col["code"], "单位编号不能为空")
        ok = False
    elif len(code) > 32 or any(c.isspace() or c == "/" for c in code):
        err(number, col["code"], "单位编号最长32个字符，不能含空格或“/”")
        ok = False
    label = _text(raw.get("kind_label"))
    if label not in KIND_LABELS:
        err(number, col["kind_label"], f"类别“{label}”无效，应为：{'、'.join(KIND_LABELS)}")
        ok = False
        kind, is_rural = "", False
    else:
        kind, is_rural = KIND_LABELS[label]
    values: dict[str, Any] = {"is_rural": is_rural}
    for key, limit in _UNIT_TEXT_LIMITS.items():
        if key in raw:
            text = _text(raw[key])
            if len(text) > limit:
                err(number, col[key], f"不能超过{limit}个字")
                ok = False
            values[key] = text
    if "name" in values and not values["name"]:
        err(number, col["name"], "名称不能为空")
        ok = False
    if "notes" in raw:
        values["notes"] = _text(raw["notes"])
    if "sort_order" in raw:
        text = _text(raw["sort_order"])
        if text and not text.isdigit():
            err(number, col["sort_order"], "排序应为不小于0的整数")
            ok = False
        else:
            values["sort_order"] = int(text) if text else 0
    if "division_code" in raw:
        dcode = _text(raw["division_code"])
        if dcode and (len(dcode) != 12 or not dcode.isdigit()):
            err(number, col["division_code"], f"统计用区划代码“{dcode}”应为12位数字")
            ok = False
        elif dcode and kind and kind not in DIVISION_CODE_KINDS:
            err(number, col["division_code"], f"{label}不填写统计用区划代码")
            ok = False
        values["division_code"] = dcode
    if "uscc" in raw:
        uscc = _text(raw["uscc"]).upper()
        if uscc:
            if kind and kind not in USCC_KINDS:
                err(number, col["uscc"], f"{label}不填写统一社会信用代码")
                ok = False
            else:
                try:
                    uscc = validate_uscc(uscc)
                except ValidationError as exc:
                    err(number, col["uscc"], "；".join(exc.messages))
                    ok = False
        values["uscc"] = uscc
    if "email" in values and values["email"] and "@" not in values["email"]:
        err(number, col["email"], "电子邮箱格式不正确")
        ok = False
    dates = {}
    for key in ("established_on", "abolished_on"):
        if key in raw:
            try:
                dates[key] = _date(raw[key])
            except ValueError:
                err(number, col[key], f"日期“{_text(raw[key])}”无效，应写成2026-01-31")
                ok = False
    if "established_on" in dates:
        values["established_on"] = dates["established_on"]
    is_active = None
    if "status" in raw:
        status = _text(raw["status"]) or "有效"
        if status not in UNIT_STATUS:
            err(number, col["status"], "状态应为“有效”或“已撤销”")
            ok = False
        else:
            is_active = UNIT_STATUS[status]
    abolished_on = dates.get("abolished_on")
    if is_active is False and abolished_on is None and "abolished_on" not in dates:
        err(number, col["status"], "已撤销的单位须有“撤销日期”列")
        ok = False
    elif is_active is False and abolished_on is None:
        err(number, col["abolished_on"], "已撤销的单位须填写撤销日期")
        ok = False
    elif is_active is not False and abolished_on is not None:
        err(number, col["abolished_on"], "有效的单位不应填写撤销日期")
        ok = False
    est = dates.get("established_on")
    if est and abolished_on and abolished_on < est:
        err(number, col["abolished_on"], "撤销日期早于设立日期")
        ok = False
    if not ok:
        return None
    return UnitRow(number, code, parent_code, kind, is_rural, values, is_active, abolished_on)


def _check_tree(
    units: list[UnitRow], existing: dict[str, OrgUnit], err: Callable[..., None]
) -> list[UnitRow]:
    """Check parents, kinds, codes and uniqueness against the tree the import would leave;
    return the rows ordered parents first."""
    col = UNIT_HEADER
    by_code: dict[str, UnitRow] = {}
    for r in units:
        if r.code in by_code:
            err(r.row, col["code"], f"单位编号{r.code}与第{by_code[r.code].row}行重复")
        else:
            by_code[r.code] = r
    # The final parent and kind of every unit the file names or the system holds.
    final_kind = {code: (u.kind, u.is_rural) for code, u in existing.items()}
    final_kind.update({code: (r.kind, r.is_rural) for code, r in by_code.items()})
    parent_of = {code: (u.parent.code if u.parent_id else "") for code, u in existing.items()}
    parent_of.update({code: r.parent_code for code, r in by_code.items()})

    def division_code_of(code: str) -> str:
        r = by_code.get(code)
        if r is not None and "division_code" in r.values:
            return r.values["division_code"]
        u = existing.get(code)
        return u.division_code if u else ""

    def is_active_of(code: str) -> bool:
        r = by_code.get(code)
        if r is not None and r.is_active is not None:
            return r.is_active
        u = existing.get(code)
        return u.is_active if u else True

    good: dict[str, UnitRow] = {}
    for code, r in by_code.items():
        ok = True
        if r.parent_code:
            if r.parent_code not in final_kind:
                err(r.row, col["parent_code"], f"上级单位编号{r.parent_code}在文件和系统中都不存在")
                continue
            parent_kind, _ = final_kind[r.parent_code]
        else:
            parent_kind = None
        if r.kind not in ALLOWED_CHILDREN.get(parent_kind, set()):
            label = next(k for k, v in KIND_LABELS.items() if v == (r.kind, r.is_rural))
            if parent_kind is None:
                err(r.row, col["parent_code"], f"{label}必须填写上级单位编号")
            else:
                plabel = next(k for k, v in KIND_LABELS.items() if v == final_kind[r.parent_code])
                err(r.row, col["kind_label"], f"{plabel}（{r.parent_code}）下不能设立{label}")
            ok = False
        existing_unit = existing.get(code)
        if existing_unit is not None and existing_unit.kind != r.kind:
            err(
                r.row,
                col["kind_label"],
                f"单位编号{code}在系统中是{existing_unit.display_kind}，导入不能改变类别",
            )
            ok = False
        dcode = division_code_of(code)
        pcode = division_code_of(r.parent_code) if r.parent_code else ""
        prefix_len = {OrgKind.SUBDISTRICT: 6, OrgKind.COMMUNITY: 9}.get(r.kind)
        if dcode and pcode and prefix_len and dcode[:prefix_len] != pcode[:prefix_len]:
            err(
                r.row,
                col["division_code"],
                f"区划代码{dcode}与上级单位的区划代码{pcode}不相符（前{prefix_len}位应相同）",
            )
            ok = False
        if r.parent_code and is_active_of(code) and not is_active_of(r.parent_code):
            err(r.row, col["status"], f"上级单位{r.parent_code}已撤销，下级不能为有效")
            ok = False
        if ok:
            good[code] = r
    # Cycles: walk up from every row; a walk that comes back to where it started loops.
    for code, r in list(good.items()):
        seen, cur = {code}, parent_of.get(code, "")
        while cur:
            if cur in seen:
                err(r.row, col["parent_code"], "上级单位关系形成了循环")
                good.pop(code, None)
                break
            seen.add(cur)
            cur = parent_of.get(cur, "")
        else:
            r.depth = len(seen) - 1
    # Uniqueness of official codes in the tree the import would leave behind.
    for key, column, label in (
        ("division_code", col["division_code"], "统计用区划代码"),
        ("uscc", col["uscc"], "统一社会信用代码"),
    ):
        holders: dict[str, str] = {}
        for code, u in existing.items():
            r = by_code.get(code)
            value = r.values[key] if r is not None and key in r.values else getattr(u, key)
            if value:
                holders.setdefault(value, code)
        for code, r in by_code.items():
            value = r.values.get(key, "")
            if value and holders.get(value, code) != code:
                other = holders[value]
                where = f"第{by_code[other].row}行" if other in by_code else "系统中"
                err(r.row, column, f"{label}{value}与{where}的单位（{other}）重复")
                good.pop(code, None)
            elif value:
                holders[value] = code
    return sorted(good.values(), key=lambda r: (r.depth, r.row))


def _parse_centers(
    ws: Any,
    existing: dict[str, OrgUnit],
    unit_rows: dict[str, UnitRow],
    err: Callable[..., None],
) -> list[Any]:
    col = CENTER_HEADER
    columns = _header_map(ws, CENTER_HEADER, REQUIRED_CENTER_COLUMNS, err.sheet_errors)
    if len(err.sheet_errors) > err.before:
        return []
    centers: dict[tuple[str, str], CenterRow] = {}
    windows_seen: dict[tuple[str, str, str], int] = {}
    for number, raw in _rows(ws, columns, CENTER_HEADER, err.sheet_errors):
        record = _text(raw.get("record"))
        unit_code, name = _text(raw.get("unit_code")), _text(raw.get("center_name"))
        if record not in (RECORD_CENTER, RECORD_WINDOW):
            err(number, col["record"], "记录类型应为“服务中心”或“窗口”")
            continue
        if not unit_code or (unit_code not in existing and unit_code not in unit_rows):
            err(number, col["unit_code"], f"所属单位编号“{unit_code}”在文件和系统中都不存在")
            continue
        kind = unit_rows[unit_code].kind if unit_code in unit_rows else existing[unit_code].kind
        if not name:
            err(number, col["center_name"], "服务中心名称不能为空")
            continue
        status = _text(raw.get("status")) or "在用"
        if status not in CENTER_STATUS:
            err(number, col["status"], "状态应为“在用”或“停用”")
            continue
        key = (unit_code, name)
        if record == RECORD_CENTER:
            if kind not in (OrgKind.DISTRICT, OrgKind.SUBDISTRICT, OrgKind.COMMUNITY):
                err(number, col["unit_code"], "服务中心只能设在区、街道/乡镇或社区/村")
                continue
            if key in centers:
                err(number, col["center_name"], f"与第{centers[key].row}行的服务中心重复")
                continue
            values = {"name": name}
            for k in ("address", "phone", "opening_hours", "transport"):
                if k in raw:
                    values[k] = _text(raw[k])
            for k in ("address", "opening_hours"):
                if k in values and not values[k]:
                    err(number, col[k], f"{col[k]}不能为空")
            centers[key] = CenterRow(number, unit_code, name, values, CENTER_STATUS[status])
        else:
            wnumber = _text(raw.get("number"))
            wname = _text(raw.get("window_name"))
            if not wnumber:
                err(number, col["number"], "窗口号不能为空")
                continue
            if len(wnumber) > 10:
                err(number, col["number"], "窗口号不能超过10个字")
                continue
            if not wname:
                err(number, col["window_name"], "窗口名称不能为空")
                continue
            comprehensive = _text(raw.get("is_comprehensive")) or "是"
            if comprehensive not in YES_NO:
                err(number, col["is_comprehensive"], "综合窗口应填“是”或“否”")
                continue
            wkey = (unit_code, name, wnumber)
            if wkey in windows_seen:
                err(number, col["number"], f"与第{windows_seen[wkey]}行的窗口号重复")
                continue
            windows_seen[wkey] = number
            center = centers.get(key)
            if center is None:
                exists = ServiceCenter.objects.filter(org_unit__code=unit_code, name=name).first()
                if exists is None:
                    err(
                        number,
                        col["center_name"],
                        f"服务中心“{name}”在文件和系统中都不存在（窗口行应排在其服务中心行之后）",
                    )
                    continue
                center = centers[key] = CenterRow(0, unit_code, name, {}, None)
            center.windows.append(
                WindowRow(
                    number,
                    wnumber,
                    {
                        "name": wname,
                        "is_comprehensive": YES_NO[comprehensive],
                        "is_active": CENTER_STATUS[status],
                    },
                )
            )
    return list(centers.values())


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


def _outside(path: str, allowed_paths: list[str]) -> bool:
    return not any(path.startswith(p) for p in allowed_paths)


def _check_scope(
    units: list[UnitRow],
    existing: dict[str, OrgUnit],
    allowed_paths: list[str],
    err: Callable[..., None],
) -> None:
    """Rows may only touch units under ``allowed_paths`` (an admin's scope)."""
    message = "不在您的管理范围内"
    for r in units:
        # A row without a parent creates or changes a top unit: only a whole-tree scope may.
        parent_path = existing[r.parent_code].path if r.parent_code in existing else None
        if not r.parent_code:
            parent_path = ""
        if r.code in existing and _outside(existing[r.code].path, allowed_paths):
            err(r.row, UNIT_HEADER["code"], message)
        elif parent_path is not None and _outside(parent_path, allowed_paths):
            err(r.row, UNIT_HEADER["parent_code"], message)


def read_workbook(file: BinaryIO | bytes, allowed_paths: list[str] | None = None) -> ParsedWorkbook:
    """Read and check a workbook against the current tree. Raises ``ImportRejected`` with
    every problem found; writes nothing.

    ``allowed_paths`` (an admin's ``permissions.scope_paths``) limits the rows to units
    in those subtrees; None allows the whole tree (the command line)."""
    data = file if isinstance(file, bytes) else file.read()
    wb = open_workbook(data, unreadable="无法读取，请上传.xlsx格式的Excel文件")
    err = _Errors()
    if UNIT_SHEET not in wb.sheetnames:
        raise ImportRejected([RowError(sheet=UNIT_SHEET, message="文件中没有这个工作表")])
    existing = {u.code: u for u in OrgUnit.objects.select_related("parent")}
    ws = wb[UNIT_SHEET]
    err.on(UNIT_SHEET)
    columns = _header_map(ws, UNIT_HEADER, REQUIRED_UNIT_COLUMNS, err.sheet_errors)
    if err.sheet_errors:
        raise ImportRejected(err.sheet_errors)
    parsed = [
        r
        for number, raw in _rows(ws, columns, UNIT_HEADER, err.sheet_errors)
        if (r := _parse_unit_row(number, raw, err)) is not None
    ]
    if allowed_paths is not None:
        _check_scope(parsed, existing, allowed_paths, err)
    units = _check_tree(parsed, existing, err)
    centers: list[CenterRow] = []
    if CENTER_SHEET in wb.sheetnames:
        err.on(CENTER_SHEET)
        centers = _parse_centers(wb[CENTER_SHEET], existing, {r.code: r for r in parsed}, err)
        for c in centers if allowed_paths is not None else []:
            unit = existing.get(c.unit_code)
            if unit is not None and _outside(unit.path, allowed_paths):
                row = c.row or (c.windows[0].row if c.windows else 0)
                err(row, CENTER_HEADER["unit_code"], "不在您的管理范围内")
    wb.close()
    if err.sheet_errors:
        raise ImportRejected(sorted(err.sheet_errors, key=lambda e: (e.sheet != UNIT_SHEET, e.row)))
    return ParsedWorkbook(units=units, centers=centers)


# Model field → column header, to place a service's ValidationError on the right cell.
UNIT_FIELD_COLUMNS = {
    "parent": UNIT_HEADER["parent_code"],
    "kind": UNIT_HEADER["kind_label"],
    "is_rural": UNIT_HEADER["kind_label"],
    "is_active": UNIT_HEADER["status"],
    "on": UNIT_HEADER["abolished_on"],
    "reason": UNIT_HEADER["status"],
    **UNIT_HEADER,
}
CENTER_FIELD_COLUMNS = {
    "name": CENTER_HEADER["center_name"],
    "org_unit": CENTER_HEADER["unit_code"],
    "number": CENTER_HEADER["number"],
    "is_active": CENTER_HEADER["status"],
    **CENTER_HEADER,
}


def errors_from_validation(
    exc: ValidationError, *, sheet: str, row: int, columns: dict[str, str]
) -> list[RowError]:
    """Turn a service's ValidationError into row errors on the right columns."""
    if hasattr(exc, "error_dict"):
        return [
            RowError(sheet=sheet, row=row, column=columns.get(name, ""), message=message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [RowError(sheet=sheet, row=row, message=message) for message in exc.messages]


__all__ = [
    "CENTER_SHEET",
    "UNIT_SHEET",
    "ImportRejected",
    "ParsedWorkbook",
    "RowError",
    "errors_from_validation",
    "export_units",
    "export_workbook",
    "read_workbook",
]
