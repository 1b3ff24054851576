"""The Excel import of units, service centers and windows (layout in ``orgs.excel``):
every row goes through the same services as the pages, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction

from sanyi.core.actors import Actor
from sanyi.core.pagecache import public_content_changed
from sanyi.orgs import excel
from sanyi.orgs.models import (
    OrgUnit,
    ServiceCenter,
)
from sanyi.orgs.services._common import ORG_UNIT_EDITABLE_FIELDS
from sanyi.orgs.services.centers import (
    service_center_create,
    service_center_update,
    window_create,
    window_update,
)
from sanyi.orgs.services.units import (
    org_unit_abolish,
    org_unit_create,
    org_unit_move,
    org_unit_reactivate,
    org_unit_update,
)


@dataclass
class ImportSummary:
    dry_run: bool
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    centers_created: int = 0
    centers_updated: int = 0
    windows_created: int = 0
    windows_updated: int = 0

    def __str__(self) -> str:
        head = "试导入（未写入）" if self.dry_run else "已导入"
        return (
            f"{head}：单位新增{self.units_created}个、修改{self.units_updated}个、"
            f"未变{self.units_unchanged}个；服务中心新增{self.centers_created}个、"
            f"修改{self.centers_updated}个；窗口新增{self.windows_created}个、"
            f"修改{self.windows_updated}个"
        )


@dataclass
class _ImportRun:
    """One import's state, shared by its steps: the units by code as they are written, the
    problems found so far, and the counts for the summary."""

    actor: Any
    note: str
    summary: ImportSummary
    units: dict[str, OrgUnit]
    problems: list[excel.RowError] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)  # codes already counted as created or updated

    def attempt(
        self,
        sheet: str,
        row: int,
        columns: dict[str, str],
        fn: Callable[..., Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Call a service; on ``ValidationError`` list its messages against the row and
        return None, so the import goes on and reports every problem at once."""
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            self.problems.extend(
                excel.errors_from_validation(exc, sheet=sheet, row=row, columns=columns)
            )
            return None


@transaction.atomic
def org_tree_import(
    *,
    actor: Actor,
    file: BinaryIO | bytes,
    dry_run: bool = False,
    source_name: str = "",
    allowed_paths: list[str] | None = None,
) -> ImportSummary:
    """Create and update units, service centers and windows from an Excel workbook
    (layout in ``orgs.excel``). All or nothing: every row is checked first, and any
    problem, found before or while writing, raises ``ImportRejected`` listing all of them
    with nothing written. ``dry_run`` runs the whole import and then rolls it back.

    ``allowed_paths`` (from ``permissions.scope_paths``) limits the import to the
    subtrees an administrator manages; None means the whole tree (command line).
    """
    parsed = excel.read_workbook(file, allowed_paths=allowed_paths)
    run = _ImportRun(
        actor=actor,
        note=f"Excel导入{('：' + source_name) if source_name else ''}",
        summary=ImportSummary(dry_run=dry_run),
        units={u.code: u for u in OrgUnit.objects.select_related("parent")},
    )
    # Reactivate first (top-down) so children can be created or kept active under them.
    _reactivate_units(run, parsed.units)
    for r in parsed.units:
        _apply_unit_row(run, r)
    for c in parsed.centers:
        _apply_center_row(run, c)
    # Abolish last and bottom-up: children and centers are dealt with by then.
    _abolish_units(run, parsed.units)
    if run.problems:
        raise excel.ImportRejected(
            sorted(run.problems, key=lambda e: (e.sheet != excel.UNIT_SHEET, e.row))
        )
    if dry_run:
        transaction.set_rollback(True)
    else:
        public_content_changed()
    return run.summary


def _reactivate_units(run: _ImportRun, rows: list[excel.UnitRow]) -> None:
    """Reactivate the abolished units the workbook marks active, in workbook order."""
    for r in rows:
        unit = run.units.get(r.code)
        if (
            unit is not None
            and r.is_active
            and not unit.is_active
            and run.attempt(
                excel.UNIT_SHEET,
                r.row,
                excel.UNIT_FIELD_COLUMNS,
                org_unit_reactivate,
                actor=run.actor,
                unit=unit,
                reason=run.note,
            )
        ):
            run.units[r.code] = OrgUnit.objects.get(pk=unit.pk)
            run.summary.units_updated += 1
            run.touched.add(r.code)


def _apply_unit_row(run: _ImportRun, r: excel.UnitRow) -> None:
    """Create the unit of one row, or move and update it to match the row."""
    unit_cols = excel.UNIT_FIELD_COLUMNS
    unit = run.units.get(r.code)
    parent = run.units.get(r.parent_code) if r.parent_code else None
    if r.parent_code and parent is None:
        return  # its parent row failed; that row's error is already listed
    if unit is None:
        _create_unit(run, r, parent)
        return
    changed = False
    if (parent.pk if parent else None) != unit.parent_id:
        moved = run.attempt(
            excel.UNIT_SHEET,
            r.row,
            unit_cols,
            org_unit_move,
            actor=run.actor,
            unit=unit,
            new_parent=parent,
            note=run.note,
        )
        if moved is None:
            return
        unit, changed = moved, True
    updates = {
        k: v for k, v in r.values.items() if k in ORG_UNIT_EDITABLE_FIELDS and getattr(unit, k) != v
    }
    if updates:
        unit = (
            run.attempt(
                excel.UNIT_SHEET,
                r.row,
                unit_cols,
                org_unit_update,
                actor=run.actor,
                unit=unit,
                **updates,
            )
            or unit
        )
        changed = True
    if r.is_active is False and not unit.is_active and unit.abolished_on != r.abolished_on:
        run.problems.append(
            excel.RowError(
                sheet=excel.UNIT_SHEET,
                row=r.row,
                column=excel.UNIT_HEADER["abolished_on"],
                message=f"已撤销单位的撤销日期（{unit.abolished_on}）不能通过导入修改",
            )
        )
    run.units[r.code] = unit
    if r.code in run.touched:
        return
    if changed:
        run.summary.units_updated += 1
        run.touched.add(r.code)
    elif not (r.is_active is False and unit.is_active):
        run.summary.units_unchanged += 1  # else counted when abolished below


def _create_unit(run: _ImportRun, r: excel.UnitRow, parent: OrgUnit | None) -> None:
    """Create the unit of a row that names a code not yet in the tree."""
    fields = {k: v for k, v in r.values.items() if k != "name"}
    created = run.attempt(
        excel.UNIT_SHEET,
        r.row,
        excel.UNIT_FIELD_COLUMNS,
        org_unit_create,
        actor=run.actor,
        kind=r.kind,
        name=r.values.get("name", ""),
        parent=parent,
        code=r.code,
        **fields,
    )
    if created is not None:
        run.units[r.code] = created
        run.summary.units_created += 1
        run.touched.add(r.code)


def _apply_center_row(run: _ImportRun, c: excel.CenterRow) -> None:
    """Create or update the service center of one row, then its windows."""
    center_cols = excel.CENTER_FIELD_COLUMNS
    unit = run.units.get(c.unit_code)
    if unit is None:
        return
    center = ServiceCenter.objects.filter(org_unit=unit, name=c.name).first()
    if center is None:
        center = run.attempt(
            excel.CENTER_SHEET,
            c.row,
            center_cols,
            service_center_create,
            actor=run.actor,
            org_unit=unit,
            is_active=c.is_active is not False,
            **{k: v for k, v in c.values.items() if k != "name"},
            name=c.name,
        )
        if center is None:
            return
        run.summary.centers_created += 1
    elif c.row:
        updates = {k: v for k, v in c.values.items() if getattr(center, k) != v}
        if c.is_active is not None and c.is_active != center.is_active:
            updates["is_active"] = c.is_active
        if updates:
            if (
                run.attempt(
                    excel.CENTER_SHEET,
                    c.row,
                    center_cols,
                    service_center_update,
                    actor=run.actor,
                    center=center,
                    **updates,
                )
                is None
            ):
                return
            run.summary.centers_updated += 1
    _apply_windows(run, center, c.windows)


def _apply_windows(run: _ImportRun, center: ServiceCenter, rows: list[excel.WindowRow]) -> None:
    """Create or update the windows the workbook lists for one service center."""
    existing_windows = {w.number: w for w in center.windows.all()}
    for w in rows:
        window = existing_windows.get(w.number)
        if window is None:
            if run.attempt(
                excel.CENTER_SHEET,
                w.row,
                excel.CENTER_FIELD_COLUMNS,
                window_create,
                actor=run.actor,
                center=center,
                number=w.number,
                **w.values,
            ):
                run.summary.windows_created += 1
            continue
        updates = {k: v for k, v in w.values.items() if getattr(window, k) != v}
        if updates and run.attempt(
            excel.CENTER_SHEET,
            w.row,
            excel.CENTER_FIELD_COLUMNS,
            window_update,
            actor=run.actor,
            window=window,
            **updates,
        ):
            run.summary.windows_updated += 1


def _abolish_units(run: _ImportRun, rows: list[excel.UnitRow]) -> None:
    """Abolish the units the workbook marks abolished, bottom-up (last row first)."""
    for r in reversed(rows):
        unit = run.units.get(r.code)
        if unit is not None and r.is_active is False and unit.is_active:
            abolished = run.attempt(
                excel.UNIT_SHEET,
                r.row,
                excel.UNIT_FIELD_COLUMNS,
                org_unit_abolish,
                actor=run.actor,
                unit=unit,
                on=r.abolished_on,
                reason=run.note,
            )
            if abolished is not None and r.code not in run.touched:
                run.summary.units_updated += 1
