"""Writing the org tree, its service centers and windows as a workbook."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from sanyi.core.xlsx import workbook_bytes
from sanyi.orgs.excel.layout import (
    CENTER_COLUMNS,
    CENTER_SHEET,
    RECORD_CENTER,
    RECORD_WINDOW,
    UNIT_COLUMNS,
    UNIT_SHEET,
    kind_label,
)
from sanyi.orgs.models import (
    OrgUnit,
    ServiceCenter,
)


def _autosize(ws: Any, widths: dict[int, int]) -> None:
    for idx, width in widths.items():
        ws.column_dimensions[get_column_letter(idx)].width = min(max(width + 2, 8), 60)


def _write_sheet(ws: Any, headers: list[str], rows: list[list[Any]]) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    widths = {i + 1: len(h) * 2 for i, h in enumerate(headers)}
    for values in rows:
        ws.append(values)
        for i, v in enumerate(values):
            if isinstance(v, str):
                widths[i + 1] = max(widths[i + 1], len(v) * 2)
    # Keep codes as text so Excel does not turn 990101000000 into 9.9E+11.
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.number_format = "@"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    _autosize(ws, widths)


def export_workbook(units: list[OrgUnit], centers: list[ServiceCenter]) -> bytes:
    """Write ``units`` (in tree order) and ``centers`` (windows prefetched) as xlsx bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = UNIT_SHEET
    _write_sheet(ws, [h for _, h in UNIT_COLUMNS], _unit_rows(units))
    _write_sheet(
        wb.create_sheet(CENTER_SHEET), [h for _, h in CENTER_COLUMNS], _center_rows(centers)
    )
    return workbook_bytes(wb)


def _unit_rows(units: list[OrgUnit]) -> list[list[Any]]:
    """One row per unit, in the units sheet's column order, with its name path."""
    by_pk = {u.pk: u for u in units}
    names: dict[int, str] = {}
    unit_rows = []
    for u in units:
        parent = by_pk.get(u.parent_id) if u.parent_id is not None else None
        names[u.pk] = f"{names[parent.pk]}/{u.name}" if parent else u.name
        unit_rows.append(
            [
                u.code,
                parent.code if parent else (u.parent.code if u.parent else ""),
                kind_label(u),
                u.name,
                u.short_name,
                u.division_code,
                u.uscc,
                u.phone,
                u.email,
                u.address,
                u.opening_hours,
                u.sort_order,
                "有效" if u.is_active else "已撤销",
                u.established_on,
                u.abolished_on,
                u.notes,
                names[u.pk],
            ]
        )
    return unit_rows


def _center_rows(centers: list[ServiceCenter]) -> list[list[Any]]:
    """A 服务中心 row per center followed by a 窗口 row per window."""
    center_rows = []
    for c in centers:
        center_rows.append(
            [
                RECORD_CENTER,
                c.org_unit.code,
                c.name,
                c.address,
                c.phone,
                c.opening_hours,
                c.transport,
                "",
                "",
                "",
                "在用" if c.is_active else "停用",
            ]
        )
        for w in c.windows.all():
            center_rows.append(
                [
                    RECORD_WINDOW,
                    c.org_unit.code,
                    c.name,
                    "",
                    "",
                    "",
                    "",
                    w.number,
                    w.name,
                    "是" if w.is_comprehensive else "否",
                    "在用" if w.is_active else "停用",
                ]
            )
    return center_rows


def export_units(units: QuerySet[OrgUnit]) -> bytes:
    """Export a queryset of units (for example one subtree) with their centers and windows."""
    unit_list = list(units.select_related("parent").order_by("path"))
    centers = list(
        ServiceCenter.objects.filter(org_unit__in=units.values("pk"))
        .select_related("org_unit")
        .prefetch_related("windows")
        .order_by("org_unit__path", "name")
    )
    return export_workbook(unit_list, centers)
