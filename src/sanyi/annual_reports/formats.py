"""The report as a file: JSON (machine-readable, with the cell keys), HTML (the printable
page in the official layout), Excel (the official tables with merged header cells) and PDF
(the HTML through WeasyPrint, with the Noto CJK fonts embedded)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from sanyi.annual_reports.layout import Table
from sanyi.annual_reports.selectors import ReportDocument
from sanyi.core.pdf import render_pdf
from sanyi.core.xlsx import workbook_bytes


def to_json(doc: ReportDocument) -> bytes:
    return json.dumps(doc.as_dict(), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode()


def to_html(doc: ReportDocument) -> bytes:
    """A self-contained page (styles inline, no scripts) to open, print or archive."""
    return render_to_string("annual_reports/document.html", {"doc": doc}).encode()


def to_pdf(doc: ReportDocument) -> bytes:
    return render_pdf(to_html(doc).decode())


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="E6EEF8")
_ERROR_FILL = PatternFill("solid", fgColor="FDD8D8")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _cell_value(text: str):
    """Numbers as numbers, so the sheet adds them up; everything else as text."""
    if text.isdigit():
        return int(text)
    whole, dot, frac = text.partition(".")
    if dot and whole.isdigit() and frac.isdigit():
        return float(text)
    return text


def write_table(ws, table: Table, top: int) -> int:
    """Draw ``table`` from row ``top`` (1-based); cells with a span are merged, exactly as
    the HTML table spans them. Returns the next free row."""
    ws.cell(row=top, column=1, value=table.caption).font = _BOLD
    top += 1
    taken: set[tuple[int, int]] = set()
    rows = [(r, True) for r in table.head] + [(r, False) for r in table.body]
    for offset, (cells, in_head) in enumerate(rows):
        r = top + offset
        c = 1
        for cell in cells:
            while (r, c) in taken:
                c += 1
            target = ws.cell(row=r, column=c, value=_cell_value(cell.text))
            if cell.note:
                target.value = f"{cell.text}（{cell.note}）"
            target.border = _BORDER
            target.alignment = _CENTER if (in_head or not cell.header) else _WRAP
            if cell.header and in_head:
                target.font = _BOLD
                target.fill = _HEAD_FILL
            if cell.error:
                target.fill = _ERROR_FILL
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
                    if dr or dc:
                        ws.cell(row=r + dr, column=c + dc).border = _BORDER
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=r,
                    start_column=c,
                    end_row=r + cell.rowspan - 1,
                    end_column=c + cell.colspan - 1,
                )
            c += cell.colspan
    return top + len(rows) + 1


def to_xlsx(doc: ReportDocument) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "报告正文"
    ws.column_dimensions["A"].width = 100
    lines = [
        (doc.title, True),
        (doc.period_note, False),
        ("一、总体情况", True),
        (doc.overview or "（尚未填写）", False),
        ("五、存在的主要问题及改进情况", True),
        (doc.problems or "（尚未填写）", False),
        ("六、其他需要报告的事项", True),
        (doc.other_matters or "无。", False),
    ]
    for i, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = _BOLD
    sheets = [
        ("二、主动公开", doc.tables[0], [28, 18, 18, 18]),
        ("三、依申请公开", doc.tables[1], [22, 22, 30] + [12] * 7),
        ("四、复议诉讼", doc.tables[2], [10] * 15),
    ]
    for title, table, widths in sheets:
        sheet = wb.create_sheet(title)
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        next_row = write_table(sheet, table, 1)
        if title.startswith("二") and doc.figure_notes:
            for note in doc.figure_notes:
                sheet.cell(
                    row=next_row,
                    column=1,
                    value=f"说明：{note['label']}数字为手工填写（{note['note']}）",
                )
                next_row += 1
    checks = wb.create_sheet("数据检查")
    checks.column_dimensions["A"].width = 100
    checks.cell(row=1, column=1, value="数据检查").font = _BOLD
    if doc.failures:
        for i, failure in enumerate(doc.failures, start=2):
            checks.cell(row=i, column=1, value=failure.message).fill = _ERROR_FILL
    else:
        checks.cell(row=2, column=1, value="全部检查通过")
    return workbook_bytes(wb)


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    extension: str
    content_type: str
    render: Callable[[ReportDocument], bytes]


FORMATS: dict[str, Format] = {
    f.code: f
    for f in [
        Format("json", "JSON数据", "json", "application/json; charset=utf-8", to_json),
        Format("html", "网页（可打印）", "html", "text/html; charset=utf-8", to_html),
        Format(
            "xlsx",
            "Excel表格",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            to_xlsx,
        ),
        Format("pdf", "PDF", "pdf", "application/pdf", to_pdf),
    ]
}


def filename(doc: ReportDocument, fmt: Format) -> str:
    rev = f"-第{doc.revision}版" if doc.revision > 1 else ""
    return f"{doc.unit_name}{doc.year}年政府信息公开工作年度报告{rev}.{fmt.extension}"
