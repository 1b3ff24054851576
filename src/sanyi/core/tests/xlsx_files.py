"""Hostile workbooks for import tests, built in the test: decompression bombs, formula
cells, huge cells."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import lru_cache
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

CHUNK = 1024 * 1024
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_TAIL = "</sheetData></worksheet>"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def _row(number: int, values: Iterable[str]) -> str:
    cells = "".join(
        _cell(f"{get_column_letter(i + 1)}{number}", v) for i, v in enumerate(values) if v
    )
    return f'<row r="{number}">{cells}</row>'


def with_sheet(sheet: str, parts: Iterable[bytes], *, other_sheets: Iterable[str] = ()) -> bytes:
    """A real xlsx (made by openpyxl) whose first worksheet, titled ``sheet``, is the XML
    written from ``parts`` chunk by chunk, so a huge sheet is never in memory whole."""
    wb = Workbook()
    wb.active.title = sheet
    for name in other_sheets:
        wb.create_sheet(name)
    plain = io.BytesIO()
    wb.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info))
                continue
            with dst.open(info.filename, "w", force_zip64=True) as fh:
                for part in parts:
                    fh.write(part)
    return out.getvalue()


@lru_cache(maxsize=8)
def bomb(*, uncompressed_mb: int = 180, sheet: str = "Sheet") -> bytes:
    """A real xlsx whose first worksheet expands to ``uncompressed_mb`` MB (one cell of
    spaces) but compresses to a few hundred KB."""

    def parts():
        yield (_HEAD + _row(1, ["名称"]) + '<row r="2"><c r="A2" t="inlineStr"><is><t>').encode()
        filler = b" " * CHUNK
        for _ in range(uncompressed_mb):
            yield filler
        yield ("</t></is></c></row>" + _TAIL).encode()

    return with_sheet(sheet, parts())


def sheet_of_rows(sheet: str, rows: list[list[str]], *, other_sheets: Iterable[str] = ()) -> bytes:
    """A workbook whose first sheet holds ``rows`` as written (no 32,767-character cut, as
    a file made by another program may have)."""
    xml = _HEAD + "".join(_row(i, r) for i, r in enumerate(rows, start=1)) + _TAIL
    return with_sheet(sheet, [xml.encode()], other_sheets=other_sheets)


def workbook_bytes(build: Callable) -> bytes:
    """xlsx bytes of a workbook that ``build(wb)`` fills in (openpyxl, formulas kept)."""
    wb = Workbook()
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@contextmanager
def peak_memory():
    """Peak of Python allocations inside the block: ``with peak_memory() as peak: …``,
    then ``peak()`` in bytes."""
    tracemalloc.start()
    result = {"peak": 0}
    try:
        yield lambda: result["peak"]
    finally:
        result["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
