"""Reading a workbook back (``read_workbook``) with every problem on its cell, and placing
a service's ``ValidationError`` on the right column.
"""

from __future__ import annotations

from typing import BinaryIO

from django.core.exceptions import ValidationError

from sanyi.core.imports import ImportRejected, RowError
from sanyi.core.xlsx import open_workbook
from sanyi.orgs.excel.cells import _Errors, _header_map, _parse_unit_row, _rows
from sanyi.orgs.excel.centers import _parse_centers
from sanyi.orgs.excel.layout import (
    CENTER_HEADER,
    CENTER_SHEET,
    REQUIRED_UNIT_COLUMNS,
    UNIT_HEADER,
    UNIT_SHEET,
    CenterRow,
    ParsedWorkbook,
)
from sanyi.orgs.excel.tree import _check_scope, _check_tree, _outside
from sanyi.orgs.models import (
    OrgUnit,
)


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
        for c in centers:
            unit = existing.get(c.unit_code)
            if (
                allowed_paths is not None
                and unit is not None
                and _outside(unit.path, allowed_paths)
            ):
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
