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

Every public name is importable from this package. The modules: ``layout`` (sheets,
columns, labels and the parsed rows), ``export`` (writing the workbook), ``cells``
(reading cells and parsing a unit row), ``tree`` (checking the tree and the importer's
scope), ``centers`` (parsing the centers sheet) and ``reading`` (``read_workbook`` and
placing a service's errors on cells).
"""

from sanyi.core.imports import ImportRejected, RowError
from sanyi.orgs.excel.export import export_units, export_workbook
from sanyi.orgs.excel.layout import (
    CENTER_COLUMNS,
    CENTER_HEADER,
    CENTER_SHEET,
    CENTER_STATUS,
    KIND_LABELS,
    RECORD_CENTER,
    RECORD_WINDOW,
    REQUIRED_CENTER_COLUMNS,
    REQUIRED_UNIT_COLUMNS,
    UNIT_COLUMNS,
    UNIT_HEADER,
    UNIT_SHEET,
    UNIT_STATUS,
    YES_NO,
    CenterRow,
    ParsedWorkbook,
    UnitRow,
    WindowRow,
    kind_label,
)
from sanyi.orgs.excel.reading import (
    CENTER_FIELD_COLUMNS,
    UNIT_FIELD_COLUMNS,
    errors_from_validation,
    read_workbook,
)

__all__ = [
    "CENTER_COLUMNS",
    "CENTER_FIELD_COLUMNS",
    "CENTER_HEADER",
    "CENTER_SHEET",
    "CENTER_STATUS",
    "KIND_LABELS",
    "RECORD_CENTER",
    "RECORD_WINDOW",
    "REQUIRED_CENTER_COLUMNS",
    "REQUIRED_UNIT_COLUMNS",
    "UNIT_COLUMNS",
    "UNIT_FIELD_COLUMNS",
    "UNIT_HEADER",
    "UNIT_SHEET",
    "UNIT_STATUS",
    "YES_NO",
    "CenterRow",
    "ImportRejected",
    "ParsedWorkbook",
    "RowError",
    "UnitRow",
    "WindowRow",
    "errors_from_validation",
    "export_units",
    "export_workbook",
    "kind_label",
    "read_workbook",
]
