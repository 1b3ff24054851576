"""Checking the units of a workbook as a tree (parents, kinds, cycles, duplicates) and
against the subtrees the importer manages.
"""

from __future__ import annotations

from collections.abc import Callable

from sanyi.orgs.excel.layout import KIND_LABELS, UNIT_HEADER, UnitRow
from sanyi.orgs.models import (
    ALLOWED_CHILDREN,
    DIVISION_PREFIX_LENGTH,
    OrgUnit,
)


def _check_tree(
    units: list[UnitRow], existing: dict[str, OrgUnit], err: Callable[..., None]
) -> list[UnitRow]:
    """Check parents, kinds, codes and uniqueness against the tree the import would leave;
    return the rows ordered parents first."""
    col = UNIT_HEADER
    by_code: dict[str, UnitRow] = {}
    for r in units:
        if r.code in by_code:
            err(r.row, col["code"], f"单位编号{r.code}与第{by_code[r.code].row}行重复")
        else:
            by_code[r.code] = r
    # The final parent and kind of every unit the file names or the system holds.
    final_kind = {code: (u.kind, u.is_rural) for code, u in existing.items()}
    final_kind.update({code: (r.kind, r.is_rural) for code, r in by_code.items()})
    parent_of = {code: (u.parent.code if u.parent else "") for code, u in existing.items()}
    parent_of.update({code: r.parent_code for code, r in by_code.items()})

    good = _check_rows(by_code, existing, final_kind, err)
    _drop_cycles(good, parent_of, err)
    _drop_duplicate_codes(good, by_code, existing, err)
    return sorted(good.values(), key=lambda r: (r.depth, r.row))


def _check_rows(
    by_code: dict[str, UnitRow],
    existing: dict[str, OrgUnit],
    final_kind: dict[str, tuple[str, bool]],
    err: Callable[..., None],
) -> dict[str, UnitRow]:
    """Check each row's parent, kind, division code and status against the tree the import
    would leave; return the rows that pass, by code."""
    col = UNIT_HEADER

    good: dict[str, UnitRow] = {}
    for code, r in by_code.items():
        ok = True
        if r.parent_code:
            if r.parent_code not in final_kind:
                err(r.row, col["parent_code"], f"上级单位编号{r.parent_code}在文件和系统中都不存在")
                continue
            parent_kind, _ = final_kind[r.parent_code]
        else:
            parent_kind = None
        if r.kind not in ALLOWED_CHILDREN.get(parent_kind, set()):
            label = next(k for k, v in KIND_LABELS.items() if v == (r.kind, r.is_rural))
            if parent_kind is None:
                err(r.row, col["parent_code"], f"{label}必须填写上级单位编号")
            else:
                plabel = next(k for k, v in KIND_LABELS.items() if v == final_kind[r.parent_code])
                err(r.row, col["kind_label"], f"{plabel}（{r.parent_code}）下不能设立{label}")
            ok = False
        existing_unit = existing.get(code)
        if existing_unit is not None and existing_unit.kind != r.kind:
            err(
                r.row,
                col["kind_label"],
                f"单位编号{code}在系统中是{existing_unit.display_kind}，导入不能改变类别",
            )
            ok = False
        dcode = _final_division_code(code, by_code, existing)
        pcode = _final_division_code(r.parent_code, by_code, existing) if r.parent_code else ""
        prefix_len = DIVISION_PREFIX_LENGTH.get(r.kind)
        if dcode and pcode and prefix_len and dcode[:prefix_len] != pcode[:prefix_len]:
            err(
                r.row,
                col["division_code"],
                f"区划代码{dcode}与上级单位的区划代码{pcode}不相符（前{prefix_len}位应相同）",
            )
            ok = False
        if (
            r.parent_code
            and _final_is_active(code, by_code, existing)
            and not _final_is_active(r.parent_code, by_code, existing)
        ):
            err(r.row, col["status"], f"上级单位{r.parent_code}已撤销，下级不能为有效")
            ok = False
        if ok:
            good[code] = r
    return good


def _final_division_code(
    code: str, by_code: dict[str, UnitRow], existing: dict[str, OrgUnit]
) -> str:
    """A unit's division code once imported: the file's when it has the column, else the
    system's."""
    r = by_code.get(code)
    if r is not None and "division_code" in r.values:
        return r.values["division_code"]
    u = existing.get(code)
    return u.division_code if u else ""


def _final_is_active(code: str, by_code: dict[str, UnitRow], existing: dict[str, OrgUnit]) -> bool:
    """Whether a unit is active once imported: the file's status when it says, else the
    system's."""
    r = by_code.get(code)
    if r is not None and r.is_active is not None:
        return r.is_active
    u = existing.get(code)
    return u.is_active if u else True


def _drop_cycles(
    good: dict[str, UnitRow], parent_of: dict[str, str], err: Callable[..., None]
) -> None:
    """Drop rows whose parents loop back to them (walk up from every row; a walk that comes
    back to where it started loops), and set the depth of the others."""
    col = UNIT_HEADER
    for code, r in list(good.items()):
        seen, cur = {code}, parent_of.get(code, "")
        while cur:
            if cur in seen:
                err(r.row, col["parent_code"], "上级单位关系形成了循环")
                good.pop(code, None)
                break
            seen.add(cur)
            cur = parent_of.get(cur, "")
        else:
            r.depth = len(seen) - 1


def _drop_duplicate_codes(
    good: dict[str, UnitRow],
    by_code: dict[str, UnitRow],
    existing: dict[str, OrgUnit],
    err: Callable[..., None],
) -> None:
    """Drop rows whose official codes (division code, credit code) another unit would hold
    in the tree the import would leave behind."""
    col = UNIT_HEADER
    for key, column, label in (
        ("division_code", col["division_code"], "统计用区划代码"),
        ("uscc", col["uscc"], "统一社会信用代码"),
    ):
        holders: dict[str, str] = {}
        for code, u in existing.items():
            r = by_code.get(code)
            value = r.values[key] if r is not None and key in r.values else getattr(u, key)
            if value:
                holders.setdefault(value, code)
        for code, r in by_code.items():
            value = r.values.get(key, "")
            if value and holders.get(value, code) != code:
                other = holders[value]
                where = f"第{by_code[other].row}行" if other in by_code else "系统中"
                err(r.row, column, f"{label}{value}与{where}的单位（{other}）重复")
                good.pop(code, None)
            elif value:
                holders[value] = code


def _outside(path: str, allowed_paths: list[str]) -> bool:
    return not any(path.startswith(p) for p in allowed_paths)


def _check_scope(
    units: list[UnitRow],
    existing: dict[str, OrgUnit],
    allowed_paths: list[str],
    err: Callable[..., None],
) -> None:
    """Rows may only touch units under ``allowed_paths`` (an admin's scope)."""
    message = "不在您的管理范围内"
    for r in units:
        # A row without a parent creates or changes a top unit: only a whole-tree scope may.
        parent_path = existing[r.parent_code].path if r.parent_code in existing else None
        if not r.parent_code:
            parent_path = ""
        if r.code in existing and _outside(existing[r.code].path, allowed_paths):
            err(r.row, UNIT_HEADER["code"], message)
        elif parent_path is not None and _outside(parent_path, allowed_paths):
            err(r.row, UNIT_HEADER["parent_code"], message)
