"""The Excel workbook: writing a document to .xlsx, the blank import template with its help
sheet, and reading an uploaded .xlsx back into a document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sanyi.catalog.exchange._common import FORMAT_NAME, FORMAT_VERSION, ImportFailed, ImportProblem
from sanyi.catalog.exchange.columns import (
    CHILD_SHEETS,
    EVENT_COLUMNS,
    ITEM_COLUMNS,
    OPTIONAL_CHILD_COLUMNS,
    RULES_KEY,
    Column,
    UnreadableCell,
    _cell_in,
    _cell_out,
    _get,
    _letter,
    _set,
)
from sanyi.core.imports import ImportRejected, RowError
from sanyi.core.xlsx import open_workbook, sheet_rows, workbook_bytes


def export_xlsx(document: dict) -> bytes:
    """The document as the Excel workbook (same fields, Chinese columns, labels for codes)."""
    wb = _new_workbook()
    items_ws = wb["事项"]
    for item in document["items"]:
        row = {**item, "_key": item["implementation_code"]}
        items_ws.append([_cell_out(c, _get(row, c.key)) for c in ITEM_COLUMNS])
        for key, (sheet, columns) in CHILD_SHEETS.items():
            for child in item.get(key, []):
                data = {**child, "_key": item["implementation_code"]}
                wb[sheet].append([_cell_out(c, data.get(c.key)) for c in columns])
    for event in document.get("life_events", []):
        wb["一件事"].append([_cell_out(c, event.get(c.key)) for c in EVENT_COLUMNS])
    return workbook_bytes(wb)


def _new_workbook(*, with_help: bool = False):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    if with_help:
        _help_sheet(wb.create_sheet("填写说明"))
    sheets = [("事项", ITEM_COLUMNS), *CHILD_SHEETS.values(), ("一件事", EVENT_COLUMNS)]
    for title, columns in sheets:
        ws = wb.create_sheet(title)
        ws.append([c.header for c in columns])
        for i, column in enumerate(columns):
            ws.cell(row=1, column=i + 1).font = Font(bold=True)
            ws.column_dimensions[_letter(i)].width = max(10, len(column.header) * 2 + 2)
            if column.kind == "choice":
                labels = ",".join(column.choices.labels)
                if len(labels) < 250:  # Excel's limit for an inline list
                    check = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
                    check.error = f"请从下拉列表中选择{column.header}"
                    ws.add_data_validation(check)
                    check.add(f"{_letter(i)}2:{_letter(i)}5000")
        ws.freeze_panes = "A2"
    return wb


def _help_sheet(ws) -> None:
    from openpyxl.styles import Font

    ws.append(["政务服务事项导入模板填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in (
        "1. 每个实施清单事项在“事项”工作表占一行；材料、收费、流程、依据、业务办理项在各自工作表，"
        "每行用“事项编号”对应到事项。",
        "2. 代码类字段可填写名称（如“行政许可”）或代码（如“01”）；多选字段用“、”分隔。",
        "   受理条件规则：判断规则写 JSON Logic，测试用例每行一个（如 age=59 → 不符合）；"
        "不带“受理条件规则”工作表的文件不改动事项已有的规则。",
        "3. 时限单位为“无时限”时，时限天数留空。是否类字段填“是”或“否”。日期写成2026-01-31。",
        "4. 导入前会逐行检查，所有问题一次列出（工作表、行、列）；有任何问题时不导入任何数据。",
        "5. 命令：sanyi catalog import 文件.xlsx --dry-run 先试导入，确认无误后去掉 --dry-run。",
    ):
        ws.append([line])
    ws.append([])
    ws.append(["工作表", "列", "说明", "可选值"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    sheets = [("事项", ITEM_COLUMNS), *CHILD_SHEETS.values(), ("一件事", EVENT_COLUMNS)]
    for title, columns in sheets:
        for column in columns:
            allowed = "、".join(column.choices.labels) if column.choices else ""
            ws.append([title, column.header, column.help, allowed])
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["D"].width = 60


def template_xlsx() -> bytes:
    """An empty workbook with every sheet, the column headers and a 填写说明 sheet."""
    wb = _new_workbook(with_help=True)
    return workbook_bytes(wb)


def _rows(ws, columns: list[Column], sheet: str, problems: list[ImportProblem]):
    """(row number, {key: value}) of each non-empty row, after checking the headers.
    A formula or over-long cell is a problem at its cell, and its row is not read."""
    cell_errors: list[RowError] = []
    first = next(
        (v for _n, v in sheet_rows(ws, min_row=1, max_row=1, errors=cell_errors, sheet=sheet)),
        (),
    )
    header = [str(v).strip() if v is not None else "" for v in first]
    problems += [_cell_problem(e) for e in cell_errors]
    cell_errors.clear()
    positions = {}
    for column in columns:
        if column.header not in header:
            if column.optional:
                continue
            problems.append(ImportProblem(f"{sheet} 第1行", f"缺少“{column.header}”列"))
            continue
        positions[column.key] = header.index(column.header)
    known = {c.header for c in columns}
    for i, name in enumerate(header):
        if name and name not in known:
            problems.append(
                ImportProblem(
                    f"{sheet} 第1行 {_letter(i)}列", f"未知的列“{name}”（请使用模板的列名）"
                )
            )
    names = [
        f"{_letter(i)}列（{name}）" if name else f"{_letter(i)}列" for i, name in enumerate(header)
    ]
    rows = sheet_rows(
        ws, min_row=2, width=len(header) or 1, column_name=names, errors=cell_errors, sheet=sheet
    )
    for number, cells in rows:
        problems += [_cell_problem(e) for e in cell_errors]
        cell_errors.clear()
        data = {}
        for column in columns:
            if column.key in positions:
                pos = positions[column.key]
                value = _cell_in(column, cells[pos] if pos < len(cells) else None)
                if isinstance(value, UnreadableCell):
                    where = f"{sheet} 第{number}行 {_letter(pos)}列（{column.header}）"
                    problems.append(ImportProblem(where, str(value)))
                _set(data, column.key, value)
        yield number, data
    problems += [_cell_problem(e) for e in cell_errors]


def _cell_problem(error: RowError) -> ImportProblem:
    where = f"{error.sheet} 第{error.row}行" + (f" {error.column}" if error.column else "")
    return ImportProblem(where, error.message)


@dataclass
class WorkbookLocator:
    item_rows: dict[int, int] = field(default_factory=dict)  # item index → 事项 row
    child_rows: dict[tuple[int, str, int], int] = field(default_factory=dict)

    def __call__(self, index: int | None, path: str) -> str:
        if index is None:
            return path
        sheet, columns, row = "事项", ITEM_COLUMNS, self.item_rows.get(index)
        key = path
        head = path.split(".")[0].split("[")[0]
        if head in CHILD_SHEETS and "[" in path:
            position = int(path.split("[")[1].split("]")[0])
            sheet, columns = CHILD_SHEETS[head]
            row = self.child_rows.get((index, head, position))
            key = path.split("].", 1)[1] if "]." in path else ""
        elif head in CHILD_SHEETS:
            key = ""
        where = f"{sheet} 第{row}行"
        keys = [c.key for c in columns]
        lookup = key if key in keys else key.split("[")[0]
        if lookup in keys:
            i = keys.index(lookup)
            where += f" {_letter(i)}列（{columns[i].header}）"
        return where


UNREADABLE = "无法读取Excel文件：请上传.xlsx格式的文件（可先下载导入模板）"


def read_xlsx(data: bytes) -> tuple[dict, WorkbookLocator]:
    """The workbook as a JSON-format document, and a locator from item paths to cells.
    Raises ImportFailed for problems of the workbook's shape (sheets, columns, keys)."""
    try:
        wb = open_workbook(
            data, unreadable="无法读取Excel文件：请上传.xlsx格式的文件（可先下载导入模板）"
        )
    except ImportRejected as exc:
        raise ImportFailed([ImportProblem("", e.message) for e in exc.errors]) from None
    problems: list[ImportProblem] = []
    missing = [s for s in ("事项", "材料", "收费", "流程", "依据") if s not in wb.sheetnames]
    if missing:
        raise ImportFailed([ImportProblem("", f"缺少工作表：{'、'.join(missing)}")])
    locator = WorkbookLocator()
    items, by_key = _read_items(wb, locator, problems)
    _read_children(wb, items, by_key, locator, problems)
    events = []
    if "一件事" in wb.sheetnames:
        for _, row in _rows(wb["一件事"], EVENT_COLUMNS, "一件事", problems):
            events.append(row)
    if problems:
        raise ImportFailed(problems)
    return (
        {"format": FORMAT_NAME, "version": FORMAT_VERSION, "items": items, "life_events": events},
        locator,
    )


def _read_items(
    wb, locator: WorkbookLocator, problems: list[ImportProblem]
) -> tuple[list[dict], dict[str, int]]:
    """The rows of the 事项 sheet as items (children still empty), and each item's index by
    its 事项编号. Rows without a key or repeating one are listed in ``problems``."""
    items: list[dict] = []
    by_key: dict[str, int] = {}
    for number, row in _rows(wb["事项"], ITEM_COLUMNS, "事项", problems):
        key = row.pop("_key", "")
        if not key:
            problems.append(ImportProblem(f"事项 第{number}行 A列（事项编号）", "事项编号不能为空"))
            continue
        if key in by_key:
            problems.append(
                ImportProblem(f"事项 第{number}行 A列（事项编号）", f"事项编号“{key}”重复")
            )
            continue
        for optional in (
            "base_code",
            "implementation_code",
            "main_item",
            "delegated_from",
            "effective_on",
        ):
            if row.get(optional) in ("", None):
                row.pop(optional, None)
        if row.get("status") == "":
            row.pop("status")
        for key_name, (sheet, _columns) in CHILD_SHEETS.items():
            if sheet in wb.sheetnames or key_name != RULES_KEY:
                row[key_name] = []
        by_key[key] = len(items)
        locator.item_rows[len(items)] = number
        items.append(row)
    return items, by_key


def _read_children(
    wb,
    items: list[dict],
    by_key: dict[str, int],
    locator: WorkbookLocator,
    problems: list[ImportProblem],
) -> None:
    """Add the rows of each child sheet (材料, 收费, …) to the item their 事项编号 names."""
    for child_key, (sheet, columns) in CHILD_SHEETS.items():
        if sheet not in wb.sheetnames:
            # 业务办理项 may be left out of hand-made workbooks (the item then has none);
            # without 受理条件规则 the items keep their rules (exchange.writing).
            continue
        for number, row in _rows(wb[sheet], columns, sheet, problems):
            key = row.pop("_key", "")
            if key not in by_key:
                problems.append(
                    ImportProblem(
                        f"{sheet} 第{number}行 A列（事项编号）",
                        f"事项编号“{key}”在“事项”工作表中找不到",
                    )
                )
                continue
            index = by_key[key]
            for optional in OPTIONAL_CHILD_COLUMNS[child_key]:
                if row.get(optional) in ("", None):
                    row.pop(optional, None)
            locator.child_rows[(index, child_key, len(items[index][child_key]))] = number
            items[index][child_key].append(row)
