"""The dashboard as an Excel workbook, in the page's layout: the cards, the daily series,
the channels, the per-unit table and the item table (no cell is a formula)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from sanyi.analytics.dashboard import Dashboard, Figures, Filters, dashboard, kpis, may_view
from sanyi.audit.services import audit_record
from sanyi.core.xlsx import workbook_bytes
from sanyi.orgs.models import User

TABLE_COLUMNS = (
    "收件",
    "受理",
    "办结",
    "承诺时限内办结率（%）",
    "平均办理工作日",
    "最多跑一次率（%）",
    "好评率（%）",
)


def table_values(f: Figures) -> list[Any]:
    """One row of the per-unit and item tables (the page shows the same columns)."""
    return [
        f.received,
        f.accepted,
        f.concluded,
        f.on_time_promised,
        f.avg_workdays,
        f.one_visit_rate,
        f.good_rate,
    ]


def _blank(value: Any) -> Any:
    return "—" if value is None else value


def _overview(ws: Any, board: Dashboard, scope_label: str) -> None:
    f = board.filters
    ws.title = "概况"
    ws.append([f"数据驾驶舱：{scope_label}"])
    ws.append([f"统计期间：{f.start:%Y-%m-%d} 至 {f.end:%Y-%m-%d}"])
    ws.append(["指标", "数值", "单位", "说明"])
    for k in kpis(board):
        ws.append([k.label, _blank(k.value), k.suffix, k.detail])


def _series(wb: Any, board: Dashboard) -> None:
    daily = board.grain == "day"
    ws = wb.create_sheet("每日办件" if daily else "每月办件")
    ws.append(["日期" if daily else "月份", "收件", "受理", "办结"])
    for p in board.days:
        when = f"{p.day:%Y-%m-%d}" if daily else f"{p.day:%Y-%m}"
        ws.append([when, p.received, p.accepted, p.concluded])
    ws = wb.create_sheet("申请渠道")
    ws.append(["申请渠道", "收件"])
    for _code, label, count in board.channels:
        ws.append([label, count])


def _tables(wb: Any, board: Dashboard) -> None:
    ws = wb.create_sheet("各单位")
    ws.append(["单位", *TABLE_COLUMNS])
    for row in board.units:
        ws.append([row.unit.name, *(_blank(v) for v in table_values(row.figures))])
    ws = wb.create_sheet("事项排行")
    ws.append(["事项", "承诺时限（工作日）", *TABLE_COLUMNS])
    for item in board.items:
        values = (_blank(v) for v in table_values(item.figures))
        ws.append([item.item.base_item.name, _blank(item.promised_days), *values])


def dashboard_export(*, viewer: User, filters: Filters, scope_label: str) -> bytes:
    """The viewer's dashboard as xlsx; leaves an audit row."""
    from openpyxl import Workbook

    if not may_view(viewer):
        raise PermissionDenied("只有督查人员和审批人员可以导出数据驾驶舱")
    board = dashboard(viewer, filters)
    wb = Workbook()
    _overview(wb.active, board, scope_label)
    _series(wb, board)
    _tables(wb, board)
    audit_record(
        actor=viewer,
        action="analytics.dashboard_export",
        object_type="analytics.dailyfact",
        note=f"导出{filters.start:%Y-%m-%d}至{filters.end:%Y-%m-%d}的数据驾驶舱（{scope_label}）",
    )
    return workbook_bytes(wb)
