"""The workbook's layout: sheet names, columns and their headers, the labels of kinds and
statuses, and the rows a parsed workbook holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sanyi.orgs.models import (
    OrgKind,
    OrgUnit,
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
