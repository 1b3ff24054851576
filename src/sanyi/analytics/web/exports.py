"""The public statistics as an Excel workbook: the same two tables as the page."""

from __future__ import annotations

from openpyxl import Workbook

from sanyi.analytics.selectors_public import StatRow
from sanyi.core.xlsx import workbook_bytes

HEADER = ["办结件数", "按时办结率(%)", "最多跑一次率(%)", "零跑动率(%)", "评价数", "好评率(%)"]
NOT_ENOUGH = "样本不足"


def _figures(row: StatRow) -> list:
    data = row.as_dict()

    def rate(key: str):
        return NOT_ENOUGH if data[key] is None else data[key]

    return [
        data["concluded"],
        rate("on_time_rate"),
        rate("one_visit_rate"),
        rate("zero_visit_rate"),
        data["ratings"],
        rate("good_rating_rate"),
    ]


def statistics_workbook(data: dict, *, level_name: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "按单位"
    period = f"{data['start']:%Y-%m-%d}至{data['end']:%Y-%m-%d}"
    ws.append([f"办件统计（{period}，{level_name}）"])
    ws.append(["单位", "所属", *HEADER])
    for row in [*data["units"], data["total"]]:
        ws.append([row.name, row.parent, *_figures(row)])
    items = wb.create_sheet("按事项")
    items.append([f"办件最多的事项（{period}）" + (f"，查找“{data['q']}”" if data["q"] else "")])
    items.append(["事项", "实施单位", *HEADER])
    for row in data["items"]:
        items.append([row.name, row.parent, *_figures(row)])
    for sheet in (ws, items):
        sheet.column_dimensions["A"].width = 36
        sheet.column_dimensions["B"].width = 24
    return workbook_bytes(wb)
