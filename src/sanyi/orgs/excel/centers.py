"""Parsing the sheet of service centers and their windows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sanyi.orgs.excel.cells import _Errors, _header_map, _rows, _text
from sanyi.orgs.excel.layout import (
    CENTER_HEADER,
    CENTER_STATUS,
    RECORD_CENTER,
    RECORD_WINDOW,
    REQUIRED_CENTER_COLUMNS,
    YES_NO,
    CenterRow,
    UnitRow,
    WindowRow,
)
from sanyi.orgs.models import (
    OrgKind,
    OrgUnit,
    ServiceCenter,
)


def _parse_centers(
    ws: Any,
    existing: dict[str, OrgUnit],
    unit_rows: dict[str, UnitRow],
    err: _Errors,
) -> list[Any]:
    """The centers sheet as center rows, each with its window rows; bad rows are reported
    through ``err`` and left out."""
    col = CENTER_HEADER
    columns = _header_map(ws, CENTER_HEADER, REQUIRED_CENTER_COLUMNS, err.sheet_errors)
    if len(err.sheet_errors) > err.before:
        return []
    centers: dict[tuple[str, str], CenterRow] = {}
    windows_seen: dict[tuple[str, str, str], int] = {}
    for number, raw in _rows(ws, columns, CENTER_HEADER, err.sheet_errors):
        record = _text(raw.get("record"))
        unit_code, name = _text(raw.get("unit_code")), _text(raw.get("center_name"))
        if record not in (RECORD_CENTER, RECORD_WINDOW):
            err(number, col["record"], "记录类型应为“服务中心”或“窗口”")
            continue
        if not unit_code or (unit_code not in existing and unit_code not in unit_rows):
            err(number, col["unit_code"], f"所属单位编号“{unit_code}”在文件和系统中都不存在")
            continue
        kind = unit_rows[unit_code].kind if unit_code in unit_rows else existing[unit_code].kind
        if not name:
            err(number, col["center_name"], "服务中心名称不能为空")
            continue
        status = _text(raw.get("status")) or "在用"
        if status not in CENTER_STATUS:
            err(number, col["status"], "状态应为“在用”或“停用”")
            continue
        key = (unit_code, name)
        if record == RECORD_CENTER:
            _parse_center_row(
                number, raw, key=key, kind=kind, status=status, centers=centers, err=err
            )
        else:
            _parse_window_row(
                number,
                raw,
                key=key,
                status=status,
                centers=centers,
                windows_seen=windows_seen,
                err=err,
            )
    return list(centers.values())


def _parse_center_row(
    number: int,
    raw: dict[str, Any],
    *,
    key: tuple[str, str],
    kind: str,
    status: str,
    centers: dict[tuple[str, str], CenterRow],
    err: Callable[..., None],
) -> None:
    """Add one 服务中心 row to ``centers`` unless its unit cannot hold a center or it repeats."""
    col = CENTER_HEADER
    unit_code, name = key
    if kind not in (OrgKind.DISTRICT, OrgKind.SUBDISTRICT, OrgKind.COMMUNITY):
        err(number, col["unit_code"], "服务中心只能设在区、街道/乡镇或社区/村")
        return
    if key in centers:
        err(number, col["center_name"], f"与第{centers[key].row}行的服务中心重复")
        return
    values = {"name": name}
    for k in ("address", "phone", "opening_hours", "transport"):
        if k in raw:
            values[k] = _text(raw[k])
    for k in ("address", "opening_hours"):
        if k in values and not values[k]:
            err(number, col[k], f"{col[k]}不能为空")
    centers[key] = CenterRow(number, unit_code, name, values, CENTER_STATUS[status])


def _parse_window_row(
    number: int,
    raw: dict[str, Any],
    *,
    key: tuple[str, str],
    status: str,
    centers: dict[tuple[str, str], CenterRow],
    windows_seen: dict[tuple[str, str, str], int],
    err: Callable[..., None],
) -> None:
    """Add one 窗口 row to its center (in the file above it, or already in the system)."""
    col = CENTER_HEADER
    unit_code, name = key
    wnumber = _text(raw.get("number"))
    wname = _text(raw.get("window_name"))
    if not wnumber:
        err(number, col["number"], "窗口号不能为空")
        return
    if len(wnumber) > 10:
        err(number, col["number"], "窗口号不能超过10个字")
        return
    if not wname:
        err(number, col["window_name"], "窗口名称不能为空")
        return
    comprehensive = _text(raw.get("is_comprehensive")) or "是"
    if comprehensive not in YES_NO:
        err(number, col["is_comprehensive"], "综合窗口应填“是”或“否”")
        return
    wkey = (unit_code, name, wnumber)
    if wkey in windows_seen:
        err(number, col["number"], f"与第{windows_seen[wkey]}行的窗口号重复")
        return
    windows_seen[wkey] = number
    center = centers.get(key)
    if center is None:
        exists = ServiceCenter.objects.filter(org_unit__code=unit_code, name=name).first()
        if exists is None:
            err(
                number,
                col["center_name"],
                f"服务中心“{name}”在文件和系统中都不存在（窗口行应排在其服务中心行之后）",
            )
            return
        center = centers[key] = CenterRow(0, unit_code, name, {}, None)
    center.windows.append(
        WindowRow(
            number,
            wnumber,
            {
                "name": wname,
                "is_comprehensive": YES_NO[comprehensive],
                "is_active": CENTER_STATUS[status],
            },
        )
    )
