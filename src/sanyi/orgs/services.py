"""Writing the org tree, service centers and staff. Every write is audited."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sanyi.audit.services import audit_record, snapshot
from sanyi.core.ids import validate_uscc
from sanyi.orgs.models import (
    ALLOWED_CHILDREN,
    DIVISION_CODE_KINDS,
    USCC_KINDS,
    OrgKind,
    OrgUnit,
)
from sanyi.orgs.tree import child_path

ORG_UNIT_AUDIT_FIELDS = [
    "parent", "kind", "is_rural", "name", "short_name", "division_code", "uscc", "phone",
    "email", "address", "opening_hours", "sort_order", "is_active", "established_on",
    "abolished_on",
]


def _validate_org_fields(*, kind: str, parent: OrgUnit | None, fields: dict[str, Any]) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in OrgKind.values:
        errors["kind"] = [f"未知的单位类别：{kind}"]
    else:
        parent_kind = parent.kind if parent else None
        if kind not in ALLOWED_CHILDREN.get(parent_kind, set()):
            where = f"“{parent.name}”（{parent.display_kind}）下" if parent else "最上级"
            errors["parent"] = [f"{where}不能设立{OrgKind(kind).label}"]
    if parent is not None and not parent.is_active:
        errors["parent"] = [f"上级单位“{parent.name}”已撤销，不能再设立下级"]
    name = (fields.get("name") or "").strip()
    if not name:
        errors["name"] = ["名称不能为空"]
    fields["name"] = name
    code = (fields.get("division_code") or "").strip()
    if code:
        if kind not in DIVISION_CODE_KINDS:
            errors["division_code"] = ["只有区、街道/乡镇、社区/村填写统计用区划代码"]
        elif len(code) != 12 or not code.isdigit():
            errors["division_code"] = ["统计用区划代码应为12位数字"]
        elif parent is not None and parent.division_code and kind != OrgKind.DEPARTMENT:
            prefix_len = {OrgKind.SUBDISTRICT: 6, OrgKind.COMMUNITY: 9}.get(kind)
            if prefix_len and code[:prefix_len] != parent.division_code[:prefix_len]:
                errors["division_code"] = [
                    f"区划代码{code}与上级单位的区划代码{parent.division_code}不相符"
                    f"（前{prefix_len}位应相同）"
                ]
    fields["division_code"] = code
    uscc = (fields.get("uscc") or "").strip().upper()
    if uscc:
        if kind not in USCC_KINDS:
            errors["uscc"] = [f"{OrgKind(kind).label}不填写统一社会信用代码"]
        else:
            try:
                uscc = validate_uscc(uscc)
            except ValidationError as exc:
                errors["uscc"] = exc.messages
    fields["uscc"] = uscc
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def org_unit_create(
    *, actor, kind: str, name: str, parent: OrgUnit | None = None, **fields: Any
) -> OrgUnit:
    """Create a unit under ``parent`` (None for the district at the top)."""
    fields = _validate_org_fields(kind=kind, parent=parent, fields={"name": name, **fields})
    # A placeholder path keeps the unique index happy until the id is known.
    unit = OrgUnit(kind=kind, parent=parent, path=f"new-{uuid.uuid4().hex}", **fields)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = child_path(parent.path if parent else "", unit.pk)
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor, action="org_unit.create", obj=unit,
        changes={k: [None, v] for k, v in snapshot(unit, ORG_UNIT_AUDIT_FIELDS).items()},
    )
    return unit
