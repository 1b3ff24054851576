"""Reading and writing Excel workbooks safely; every import and export goes through here.

Reading (``open_workbook``, ``sheet_rows``):
- the zip archive is checked before anything is parsed: how many members, their total
  uncompressed size (``SANYI_IMPORT_MAX_UNCOMPRESSED_MB``, default 100) and each member's
  compression ratio. The sizes checked are the ones the archive declares; Python's zip
  reader stops decompressing a member at its declared size, so a file cannot lie its way
  past the check. A 1.7 MB file that would expand to 178 MB is refused in milliseconds.
- the workbook is opened read-only (rows stream from the archive) and with formulas, not
  cached values: a formula cell is an error naming sheet, row and column, never read as
  its cached value or as empty.
- a cell longer than ``CELL_MAX_CHARS`` (Excel's own limit) is refused; the message never
  quotes it.
- a sheet is read up to ``SHEET_MAX_ROWS`` rows and only as wide as its header, so a sheet
  that declares a million rows or 16,384 columns costs nothing.

Writing (``workbook_bytes``): text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written as a text cell with Excel's quote prefix, never as a formula,
so a unit address like ``=HYPERLINK("http://evil","点击")`` stays an address.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.conf import settings

from sanyi.core.imports import ImportRejected, RowError

MAX_MEMBERS = 1000
# Worksheet XML compresses about 10 to 30 times; a bomb compresses thousands of times.
MAX_RATIO = 200
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # small members may compress as well as they like
CELL_MAX_CHARS = 32_767  # Excel's own limit for one cell
SHEET_MAX_ROWS = 200_000
FORMULA_MESSAGE = "此单元格是公式，请粘贴为数值"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "SANYI_IMPORT_MAX_UNCOMPRESSED_MB", 100)) * 1024 * 1024


def check_archive(data: bytes, *, unreadable: str) -> None:
    """Refuse a file that is not a zip archive or would expand too far; parse nothing."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRejected([RowError(message=unreadable)]) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ImportRejected(
                [
                    RowError(
                        message=f"文件包含{len(members)}个部件，超过{MAX_MEMBERS}个，不是正常的Excel文件"
                    )
                ]
            )
        limit = max_uncompressed_bytes()
        total = 0
        for info in members:
            total += info.file_size
            if total > limit:
                raise ImportRejected(
                    [
                        RowError(
                            message=(
                                f"文件解压后超过{limit // (1024 * 1024)}MB，不能导入；"
                                "请删去不需要的工作表和行，或分成几个文件导入"
                            )
                        )
                    ]
                )
            if info.file_size > RATIO_CHECK_FROM_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise ImportRejected(
                    [
                        RowError(
                            message=(
                                f"文件中的“{info.filename[:60]}”压缩比异常"
                                f"（超过{MAX_RATIO}倍），不是正常的Excel文件"
                            )
                        )
                    ]
                )


def open_workbook(data: bytes, *, unreadable: str = "无法读取，请上传.xlsx格式的Excel文件") -> Any:
    """The workbook, read-only and with formulas kept, after ``check_archive``."""
    from openpyxl import load_workbook

    check_archive(data, unreadable=unreadable)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportRejected([RowError(message=unreadable)]) from None


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def sheet_rows(
    ws: Any,
    *,
    min_row: int,
    errors: list[RowError],
    max_row: int | None = None,
    width: int | None = None,
    column_name: Callable[[int], str] | Sequence[str] | None = None,
    sheet: str | None = None,
    skip_empty: bool = True,
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of each row from ``min_row``, ``width`` cells wide.

    A formula cell or an over-long cell adds a ``RowError`` (sheet, row and the column's
    header from ``column_name``) to ``errors``; its row is not yielded, so nothing is
    read from it and no second complaint ("不能为空") hides the first."""
    title = ws.title if sheet is None else sheet
    name = _column_namer(column_name)
    # One row past the limit is read only to tell that the sheet is too long.
    last = SHEET_MAX_ROWS if max_row is None else min(max_row, SHEET_MAX_ROWS)
    stop = last + 1 if max_row is None else last
    max_col = width if width else None
    for number, cells in enumerate(
        ws.iter_rows(min_row=min_row, max_row=stop, max_col=max_col), start=min_row
    ):
        if number > last:
            errors.append(
                RowError(
                    sheet=title,
                    row=number,
                    message=f"工作表超过{SHEET_MAX_ROWS}行，请分成几个文件导入",
                )
            )
            return
        values, problems = _row_values(cells, sheet=title, row=number, name=name)
        if problems:
            errors.extend(problems)
            continue
        if skip_empty and all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        yield number, tuple(values)


def _column_namer(
    column_name: Callable[[int], str] | Sequence[str] | None,
) -> Callable[[int], str]:
    """How an error names a column: the caller's header, else the letter ("C列")."""

    def name(index: int) -> str:
        if callable(column_name):
            return column_name(index) or _letter(index)
        if column_name is not None and index < len(column_name) and column_name[index]:
            return column_name[index]
        return f"{_letter(index)}列"

    return name


def _row_values(
    cells: Sequence[Any], *, sheet: str, row: int, name: Callable[[int], str]
) -> tuple[list[Any], list[RowError]]:
    """The row's values, and an error for each formula or over-long cell in it."""
    values: list[Any] = []
    problems: list[RowError] = []
    for index, cell in enumerate(cells):
        value = getattr(cell, "value", None)
        if getattr(cell, "data_type", None) == "f":
            problems.append(
                RowError(sheet=sheet, row=row, column=name(index), message=FORMULA_MESSAGE)
            )
        elif isinstance(value, str) and len(value) > CELL_MAX_CHARS:
            problems.append(
                RowError(
                    sheet=sheet,
                    row=row,
                    column=name(index),
                    message=f"内容有{len(value)}个字，超过单元格上限{CELL_MAX_CHARS}个字",
                )
            )
        values.append(value)
    return values, problems


def header_width(values: Sequence[Any]) -> int:
    """How many columns the header row spans (up to its last non-empty cell)."""
    width = 0
    for index, value in enumerate(values):
        if value is not None and str(value).strip():
            width = index + 1
    return width


# --- writing -------------------------------------------------------------------------------


def as_text(cell: Any) -> None:
    """Store ``cell``'s text as text even when it looks like a formula."""
    cell.data_type = "s"
    cell.quotePrefix = True


def neutralise_formulas(wb: Any) -> None:
    """Every text cell that Excel would take for a formula becomes plain text."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    as_text(cell)


def workbook_bytes(wb: Any) -> bytes:
    """The workbook as xlsx bytes, with no cell written as a formula. Every export saves
    through here."""
    neutralise_formulas(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


__all__ = [
    "CELL_MAX_CHARS",
    "FORMULA_MESSAGE",
    "check_archive",
    "header_width",
    "open_workbook",
    "sheet_rows",
    "workbook_bytes",
]
