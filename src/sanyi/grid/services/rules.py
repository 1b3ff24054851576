"""The address mapping kept as data: Excel import (all or nothing) and export, and placing
applicants in their grids by it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from sanyi.applicants.models import Applicant
from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor, is_user
from sanyi.core.imports import ImportRejected, RowError, shorten
from sanyi.core.xlsx import open_workbook, sheet_rows, workbook_bytes
from sanyi.grid import selectors
from sanyi.grid.addresses import best_rule
from sanyi.grid.models import AddressRule, Parity
from sanyi.orgs.models import OrgKind, OrgUnit
from sanyi.orgs.permissions import scope_paths

COLUMNS = ("网格", "道路", "单双号", "起始门牌号", "截止门牌号", "起始幢号", "截止幢号")
SHEET = "网格地址"
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
PARITY_WORDS = {"": Parity.ALL, "全部": Parity.ALL, "单号": Parity.ODD, "双号": Parity.EVEN}


def _require_admin(actor: Actor) -> None:
    if not is_user(actor):
        return
    if not scope_paths(actor, selectors.RULE_ROLES):
        raise PermissionDenied("只有系统管理员可以维护网格地址")


@dataclass(frozen=True)
class RulesImport:
    rules: int
    grids: int
    placed: int  # applicants whose grid the new mapping sets or changes


def _number(value: Any, *, row: int, column: str, errors: list[RowError]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().removesuffix("号").removesuffix("幢")
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not text.isdigit() or not 0 < int(text) < 1_000_000:
        errors.append(RowError(row=row, column=column, message=f"“{shorten(value)}”不是正整数"))
        return None
    return int(text)


def _rule_from_row(
    number: int, values: tuple[Any, ...], grids: dict[str, OrgUnit], errors: list[RowError]
) -> AddressRule | None:
    cells = [("" if v is None else str(v).strip()) for v in (*values, *[None] * 7)[:7]]
    before = len(errors)
    grid = grids.get(cells[0])
    if not cells[0]:
        errors.append(RowError(row=number, column="网格", message="不能为空"))
    elif grid is None:
        errors.append(
            RowError(row=number, column="网格", message=f"没有名为“{shorten(cells[0])}”的网格")
        )
    if not cells[1]:
        errors.append(RowError(row=number, column="道路", message="不能为空"))
    parity = PARITY_WORDS.get(cells[2])
    if parity is None:
        errors.append(RowError(row=number, column="单双号", message="请填写“单号”“双号”或留空"))
    nums = [
        _number(
            values[i] if i < len(values) else None, row=number, column=COLUMNS[i], errors=errors
        )
        for i in range(3, 7)
    ]
    if len(errors) == before:
        if nums[0] is None or nums[1] is None:
            col = "起始门牌号" if nums[0] is None else "截止门牌号"
            errors.append(RowError(row=number, column=col, message="不能为空"))
        elif nums[0] > nums[1]:
            errors.append(RowError(row=number, column="截止门牌号", message="不能小于起始门牌号"))
        elif (nums[2] is None) != (nums[3] is None):
            errors.append(RowError(row=number, column="截止幢号", message="起止幢号须同时填写"))
        elif nums[2] is not None and nums[3] is not None and nums[2] > nums[3]:
            errors.append(RowError(row=number, column="截止幢号", message="不能小于起始幢号"))
    lo, hi = nums[0], nums[1]
    if len(errors) > before or parity is None or lo is None or hi is None:
        return None
    return AddressRule(
        grid=grid,
        street=cells[1][:50],
        parity=parity,
        number_from=lo,
        number_to=hi,
        building_from=nums[2],
        building_to=nums[3],
    )


def rules_read(data: bytes) -> list[AddressRule]:
    """The rules in an uploaded workbook (unsaved), or ImportRejected naming each row and
    column at fault."""
    if len(data) > MAX_BYTES:
        raise ImportRejected([RowError(message=f"文件超过{MAX_BYTES // 1024 // 1024}MB")])
    wb = open_workbook(data)
    ws = wb.worksheets[0]
    header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
    if tuple(str(v or "").strip() for v in header[: len(COLUMNS)]) != COLUMNS:
        raise ImportRejected([RowError(row=1, message="表头应为：" + "、".join(COLUMNS))])
    grids = {g.name: g for g in OrgUnit.objects.filter(kind=OrgKind.GRID)}
    errors: list[RowError] = []
    rules = []
    for number, values in sheet_rows(
        ws, min_row=2, errors=errors, width=len(COLUMNS), column_name=COLUMNS, sheet=""
    ):
        if number > MAX_ROWS + 1:
            errors.append(RowError(row=number, message=f"超过{MAX_ROWS}条规则，请精简后导入"))
            break
        rule = _rule_from_row(number, values, grids, errors)
        if rule is not None:
            rules.append(rule)
    if errors:
        raise ImportRejected(errors)
    if not rules:
        raise ImportRejected([RowError(message="文件中没有地址规则")])
    return rules


@transaction.atomic
def rules_import(*, data: bytes, actor: Actor, dry_run: bool = False) -> RulesImport:
    """Replace the whole mapping with the workbook's rules and re-place the applicants;
    all or nothing. ``dry_run`` checks and counts, then writes nothing."""
    _require_admin(actor)
    rules = rules_read(data)
    sid = transaction.savepoint()
    AddressRule.objects.all().delete()
    AddressRule.objects.bulk_create(rules)
    placed = applicants_place(actor=actor, audit=not dry_run)
    result = RulesImport(rules=len(rules), grids=len({r.grid_id for r in rules}), placed=placed)
    if dry_run:
        transaction.savepoint_rollback(sid)
        return result
    transaction.savepoint_commit(sid)
    audit_record(
        actor=actor,
        action="grid.rules_import",
        object_type="grid.addressrule",
        note=f"导入网格地址规则{result.rules}条，涉及{result.grids}个网格",
        changes={"rules": result.rules, "placed": result.placed},
    )
    return result


def applicants_place(*, actor: Actor, audit: bool = True) -> int:
    """Set each applicant's grid from the mapping (those whose address no rule covers keep
    theirs). Returns how many changed."""
    rules = list(selectors.address_rules())
    changed = []
    for applicant in Applicant.objects.exclude(address="").only("pk", "address", "grid_id"):
        rule = best_rule(applicant.address, rules)
        if rule is not None and rule.grid_id != applicant.grid_id:
            applicant.grid_id = rule.grid_id
            changed.append(applicant)
    Applicant.objects.bulk_update(changed, ["grid"], batch_size=500)
    if audit and changed:
        audit_record(
            actor=actor,
            action="grid.applicants_place",
            object_type="applicants.applicant",
            note=f"按网格地址规则更新{len(changed)}位申请人的所在网格",
        )
    return len(changed)


def rules_export(*, actor: Actor) -> bytes:
    """The whole mapping as an xlsx workbook in the import's layout (formulas neutralised)."""
    from openpyxl import Workbook

    _require_admin(actor)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(list(COLUMNS))
    for rule in selectors.address_rules():
        parity = "" if rule.parity == Parity.ALL else Parity(rule.parity).label
        ws.append(
            [
                rule.grid.name,
                rule.street,
                parity,
                rule.number_from,
                rule.number_to,
                rule.building_from,
                rule.building_to,
            ]
        )
    return workbook_bytes(wb)
