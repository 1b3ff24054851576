"""The official table layout of the report, built once and drawn by every format.

A ``Table`` is rows of ``Cell``s with colspans and rowspans exactly as in the 2021 format;
the HTML (screen, print, PDF) and the Excel workbook both draw these rows, so the layouts
cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sanyi.annual_reports.choices import Figure
from sanyi.annual_reports.compute import (
    APPEAL_KINDS,
    APPEAL_MEASURES,
    APPLICANT_COLUMNS,
    DOC_KINDS,
    DOC_MEASURES,
    FIGURE_ITEMS,
    OUTCOME_GROUPS,
    S3_COLUMNS,
    CheckFailure,
    ReportData,
)


@dataclass
class Cell:
    text: str = ""
    key: str = ""  # the data cell shown here ("" for header cells)
    header: bool = False
    colspan: int = 1
    rowspan: int = 1
    scope: str = ""  # col / colgroup / row / rowgroup for header cells
    error: bool = False
    note: str = ""  # e.g. "手工填写"

    @property
    def is_data(self) -> bool:
        return bool(self.key)


@dataclass
class Table:
    key: str
    caption: str
    head: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)

    @property
    def width(self) -> int:
        return sum(c.colspan for c in self.head[0]) if self.head else 0


def _h(text: str, colspan: int = 1, rowspan: int = 1, scope: str = "col") -> Cell:
    return Cell(text=text, header=True, colspan=colspan, rowspan=rowspan, scope=scope)


def _display(value: Any) -> str:
    if value is None:
        return "—"
    return str(value)


class _Builder:
    def __init__(self, data: ReportData, failures: list[CheckFailure]):
        self.cells = data.get("cells", {})
        self.figures = data.get("figures", {})
        self.bad = {key for f in failures for key in f.cells}

    def d(self, key: str, colspan: int = 1) -> Cell:
        note = ""
        figure = key.removeprefix("s2.")
        if figure in self.figures and self.figures[figure].get("source") == "manual":
            note = "手工填写"
        return Cell(
            text=_display(self.cells.get(key)),
            key=key,
            colspan=colspan,
            error=key in self.bad,
            note=note,
        )


def section2_table(b: _Builder) -> Table:
    t = Table("s2", "主动公开政府信息情况")
    t.body.append([_h("第二十条第（一）项", colspan=4, scope="colgroup")])
    t.body.append([_h("信息内容"), *(_h(label) for _, label in DOC_MEASURES)])
    for kind, label in DOC_KINDS:
        t.body.append([_h(label, scope="row"), *(b.d(f"s2.{kind}.{m}") for m, _ in DOC_MEASURES)])
    groups = [
        ("第二十条第（五）项", [Figure.LICENSING.value]),
        ("第二十条第（六）项", [Figure.PENALTY.value, Figure.COMPULSORY.value]),
        ("第二十条第（八）项", [Figure.FEES.value]),
    ]
    for item, keys in groups:
        t.body.append([_h(item, colspan=4, scope="colgroup")])
        t.body.append([_h("信息内容"), _h(FIGURE_ITEMS[keys[0]][2], colspan=3)])
        for key in keys:
            t.body.append([_h(FIGURE_ITEMS[key][1], scope="row"), b.d(f"s2.{key}", colspan=3)])
    return t


def section3_table(b: _Builder) -> Table:
    t = Table("s3", "收到和处理政府信息公开申请情况")
    t.head = [
        [
            _h(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                colspan=3,
                rowspan=3,
            ),
            _h("申请人情况", colspan=7, scope="colgroup"),
        ],
        [
            _h(APPLICANT_COLUMNS[0][1], rowspan=2),
            _h("法人或其他组织", colspan=5, scope="colgroup"),
            _h("总计", rowspan=2),
        ],
        [_h(label) for _, label in APPLICANT_COLUMNS[1:]],
    ]

    def data(row: str) -> list[Cell]:
        return [b.d(f"s3.{row}.{col}") for col, _ in S3_COLUMNS]

    t.body.append([_h("一、本年新收政府信息公开申请数量", colspan=3, scope="row"), *data("new")])
    t.body.append(
        [_h("二、上年结转政府信息公开申请数量", colspan=3, scope="row"), *data("carried_in")]
    )
    result_rows = sum(len(rows) for _, rows in OUTCOME_GROUPS) + 1
    first = True
    for group, rows in OUTCOME_GROUPS:
        for i, (code, label) in enumerate(rows):
            row: list[Cell] = []
            if first:
                row.append(_h("三、本年度办理结果", rowspan=result_rows, scope="rowgroup"))
                first = False
            if not label:
                row.append(_h(group, colspan=2, scope="row"))
            else:
                if i == 0:
                    row.append(_h(group, rowspan=len(rows), scope="rowgroup"))
                row.append(_h(label, scope="row"))
            t.body.append([*row, *data(code)])
    t.body.append([_h("（七）总计", colspan=2, scope="row"), *data("concluded_total")])
    t.body.append([_h("四、结转下年度继续办理", colspan=3, scope="row"), *data("carried_over")])
    return t


def section4_table(b: _Builder) -> Table:
    t = Table("s4", "政府信息公开行政复议、行政诉讼情况")
    measures = [label for _, label in APPEAL_MEASURES]
    t.head = [
        [_h("行政复议", colspan=5, scope="colgroup"), _h("行政诉讼", colspan=10, scope="colgroup")],
        [
            *(_h(label, rowspan=2) for label in measures),
            _h("未经复议直接起诉", colspan=5, scope="colgroup"),
            _h("复议后起诉", colspan=5, scope="colgroup"),
        ],
        [_h(label) for label in measures * 2],
    ]
    t.body.append([b.d(f"s4.{kind}.{m}") for kind, _ in APPEAL_KINDS for m, _ in APPEAL_MEASURES])
    return t


def report_tables(data: ReportData, failures: list[CheckFailure]) -> list[Table]:
    b = _Builder(data, failures)
    return [section2_table(b), section3_table(b), section4_table(b)]
