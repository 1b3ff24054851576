"""The Excel import of units, service centers and windows (layout in ``orgs.excel``):
every row goes through the same services as the pages, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction

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

# --- Excel import ------------------------------------------------------------------------


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


@transaction.atomic
def org_tree_import(
    *,
    actor,
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
    summary = ImportSummary(dry_run=dry_run)
    problems: list[excel.RowError] = []
    note = f"Excel导入{('：' + source_name) if source_name else ''}"
    units = {u.code: u for u in OrgUnit.objects.select_related("parent")}

    def attempt(sheet: str, row: int, columns: dict[str, str], fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            problems.extend(
                excel.errors_from_validation(exc, sheet=sheet, row=row, columns=columns)
            )
            return None

    unit_cols = excel.UNIT_FIELD_COLUMNS
    touched: set[str] = set()  # codes already counted as created or updated
    # Reactivate first (top-down) so children can be created or kept active under them.
    for r in parsed.units:
        unit = units.get(r.code)
        if (
            unit is not None
            and r.is_active
            and not unit.is_active
            and attempt(
                excel.UNIT_SHEET,
                r.row,
                unit_cols,
                org_unit_reactivate,
                actor=actor,
                unit=unit,
                reason=note,
            )
        ):
            units[r.code] = OrgUnit.objects.get(pk=unit.pk)
            summary.units_updated += 1
            touched.add(r.code)
    for r in parsed.units:
        unit = units.get(r.code)
        parent = units.get(r.parent_code) if r.parent_code else None
        if r.parent_code and parent is None:
            continue  # its parent row failed; that row's error is already listed
        if unit is None:
            fields = {k: v for k, v in r.values.items() if k != "name"}
            created = attempt(
                excel.UNIT_SHEET,
                r.row,
                unit_cols,
                org_unit_create,
                actor=actor,
                kind=r.kind,
                name=r.values.get("name", ""),
                parent=parent,
                code=r.code,
                **fields,
            )
            if created is not None:
                units[r.code] = created
                summary.units_created += 1
                touched.add(r.code)
            continue
        changed = False
        if (parent.pk if parent else None) != unit.parent_id:
            moved = attempt(
                excel.UNIT_SHEET,
                r.row,
                unit_cols,
                org_unit_move,
                actor=actor,
                unit=unit,
                new_parent=parent,
                note=note,
            )
            if moved is None:
                continue
            unit, changed = moved, True
        updates = {
            k: v
            for k, v in r.values.items()
            if k in ORG_UNIT_EDITABLE_FIELDS and getattr(unit, k) != v
        }
        if updates:
            unit = (
                attempt(
                    excel.UNIT_SHEET,
                    r.row,
                    unit_cols,
                    org_unit_update,
                    actor=actor,
                    unit=unit,
                    **updates,
                )
                or unit
            )
            changed = True
        if r.is_active is False and not unit.is_active and unit.abolished_on != r.abolished_on:
            problems.append(
                excel.RowError(
                    sheet=excel.UNIT_SHEET,
                    row=r.row,
                    column=excel.UNIT_HEADER["abolished_on"],
                    message=f"已撤销单位的撤销日期（{unit.abolished_on}）不能通过导入修改",
                )
            )
        units[r.code] = unit
        if r.code in touched:
            continue
        if changed:
            summary.units_updated += 1
            touched.add(r.code)
        elif not (r.is_active is False and unit.is_active):
            summary.units_unchanged += 1  # else counted when abolished below

    center_cols = excel.CENTER_FIELD_COLUMNS
    for c in parsed.centers:
        unit = units.get(c.unit_code)
        if unit is None:
            continue
        center = ServiceCenter.objects.filter(org_unit=unit, name=c.name).first()
        if center is None:
            center = attempt(
                excel.CENTER_SHEET,
                c.row,
                center_cols,
                service_center_create,
                actor=actor,
                org_unit=unit,
                is_active=c.is_active is not False,
                **{k: v for k, v in c.values.items() if k != "name"},
                name=c.name,
            )
            if center is None:
                continue
            summary.centers_created += 1
        elif c.row:
            updates = {k: v for k, v in c.values.items() if getattr(center, k) != v}
            if c.is_active is not None and c.is_active != center.is_active:
                updates["is_active"] = c.is_active
            if updates:
                if (
                    attempt(
                        excel.CENTER_SHEET,
                        c.row,
                        center_cols,
                        service_center_update,
                        actor=actor,
                        center=center,
                        **updates,
                    )
                    is None
                ):
                    continue
                summary.centers_updated += 1
        existing_windows = {w.number: w for w in center.windows.all()}
        for w in c.windows:
            window = existing_windows.get(w.number)
            if window is None:
                if attempt(
                    excel.CENTER_SHEET,
                    w.row,
                    center_cols,
                    window_create,
                    actor=actor,
                    center=center,
                    number=w.number,
                    **w.values,
                ):
                    summary.windows_created += 1
                continue
            updates = {k: v for k, v in w.values.items() if getattr(window, k) != v}
            if updates and attempt(
                excel.CENTER_SHEET,
                w.row,
                center_cols,
                window_update,
                actor=actor,
                window=window,
                **updates,
            ):
                summary.windows_updated += 1

    # Abolish last and bottom-up: children and centers are dealt with by then.
    for r in reversed(parsed.units):
        unit = units.get(r.code)
        if unit is not None and r.is_active is False and unit.is_active:
            abolished = attempt(
                excel.UNIT_SHEET,
                r.row,
                unit_cols,
                org_unit_abolish,
                actor=actor,
                unit=unit,
                on=r.abolished_on,
                reason=note,
            )
            if abolished is not None and r.code not in touched:
                summary.units_updated += 1

    if problems:
        raise excel.ImportRejected(
            sorted(problems, key=lambda e: (e.sheet != excel.UNIT_SHEET, e.row))
        )
    if dry_run:
        transaction.set_rollback(True)
    return summary
