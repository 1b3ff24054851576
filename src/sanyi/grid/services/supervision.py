"""The supervision figures (督查) as an Excel workbook, the export recorded."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from sanyi.audit.services import audit_record
from sanyi.core.xlsx import workbook_bytes
from sanyi.grid import supervision_selectors as sup
from sanyi.orgs.models import User

OFFICER_COLUMNS = (
    "网格员",
    "所在网格",
    "走访合计（次）",
    "上门办件走访（次）",
    "台账走访（次）",
    "按期完成上门环节（项）",
    "超期完成上门环节（项）",
)
GRID_COLUMNS = ("网格", "住户（户）", "7天内到期（户）", "已超期（户）", "尚未走访（户）")
EVENT_COLUMNS = ("事件未办结（件）", "事件已办结（件）")


@transaction.atomic
def supervision_export(*, viewer: User, start: dt.date, end: dt.date) -> bytes:
    """The figures the viewer's supervision page shows, as xlsx (no cell is a formula)."""
    from openpyxl import Workbook

    if not sup.is_supervisor(viewer):
        raise PermissionDenied("只有督查人员可以导出网格督查统计")
    figures = sup.supervision_figures(viewer=viewer, start=start, end=end)
    wb = Workbook()
    ws = wb.active
    ws.title = "网格员"
    ws.append([f"统计期间：{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"])
    ws.append(list(OFFICER_COLUMNS))
    for o in figures.officers:
        ws.append(
            [
                o.officer.full_name or o.officer.username,
                "、".join(o.grids),
                o.visits,
                o.case_visits,
                o.household_visits,
                o.on_time,
                o.late,
            ]
        )
    grids = wb.create_sheet("网格")
    grids.append(list(GRID_COLUMNS + EVENT_COLUMNS))
    for g in figures.grids:
        grids.append(
            [
                g.grid.name,
                g.households,
                g.due_soon,
                g.overdue,
                g.never,
                g.events_open,
                g.events_closed,
            ]
        )
    audit_record(
        actor=viewer,
        action="grid.supervision_export",
        object_type="grid.householdvisit",
        note=f"导出{start:%Y-%m-%d}至{end:%Y-%m-%d}的网格督查统计（{len(figures.grids)}个网格）",
    )
    return workbook_bytes(wb)
