"""Writing the org tree: creating, editing, moving, abolishing, reactivating and deleting
units.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError, QuerySet, RestrictedError, Value
from django.db.models.functions import Concat, Substr

from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor
from sanyi.core.ids import validate_uscc
from sanyi.core.pagecache import public_content_changed
from sanyi.orgs.models import (
    ALLOWED_CHILDREN,
    DIVISION_CODE_KINDS,
    DIVISION_PREFIX_LENGTH,
    USCC_KINDS,
    OrgKind,
    OrgUnit,
    RoleAssignment,
)
from sanyi.orgs.services._common import (
    ORG_UNIT_AUDIT_FIELDS,
    ORG_UNIT_EDITABLE_FIELDS,
    _auto_code,
    _names,
)
from sanyi.orgs.tree import child_path, subtree_q


def _validate_org_fields(
    *,
    kind: str,
    parent: OrgUnit | None,
    fields: dict[str, Any],
    instance: OrgUnit | None = None,
    check_parent_active: bool = True,
) -> dict:
    """Clean ``fields`` for a unit of ``kind`` under ``parent``; raise every problem at once."""
    errors: dict[str, list[str]] = {}
    if kind not in OrgKind.values:
        errors["kind"] = [f"未知的单位类别：{kind}"]
        raise ValidationError(errors)
    parent_kind = parent.kind if parent else None
    if kind not in ALLOWED_CHILDREN.get(parent_kind, set()):
        where = f"“{parent.name}”（{parent.display_kind}）下" if parent else "最上级"
        errors["parent"] = [f"{where}不能设立{OrgKind(kind).label}"]
    if check_parent_active and parent is not None and not parent.is_active:
        errors["parent"] = [f"上级单位“{parent.name}”已撤销，不能再设立下级"]
    others = OrgUnit.objects.exclude(pk=instance.pk) if instance else OrgUnit.objects.all()
    if "name" in fields:
        name = (fields.get("name") or "").strip()
        if not name:
            errors["name"] = ["名称不能为空"]
        fields["name"] = name
    if "code" in fields:
        code = (fields.get("code") or "").strip()
        if instance is not None and not code:
            errors["code"] = ["单位编号不能为空"]
        elif code and (len(code) > 32 or any(c.isspace() or c == "/" for c in code)):
            errors["code"] = ["单位编号最长32个字符，不能含空格或“/”"]
        elif code and (other := others.filter(code=code).first()):
            errors["code"] = [f"单位编号{code}已被“{other.name}”使用"]
        fields["code"] = code
    if "division_code" in fields:
        fields["division_code"] = _clean_division_code(
            kind=kind,
            parent=parent,
            code=(fields.get("division_code") or "").strip(),
            others=others,
            errors=errors,
        )
    if "uscc" in fields:
        fields["uscc"] = _clean_uscc(
            kind=kind,
            uscc=(fields.get("uscc") or "").strip().upper(),
            others=others,
            errors=errors,
        )
    if fields.get("is_rural") and kind not in (OrgKind.SUBDISTRICT, OrgKind.COMMUNITY):
        errors["is_rural"] = ["只有街道/乡镇、社区/村区分城乡"]
    if errors:
        raise ValidationError(errors)
    return fields


def _clean_division_code(
    *,
    kind: str,
    parent: OrgUnit | None,
    code: str,
    others: QuerySet[OrgUnit],
    errors: dict[str, list[str]],
) -> str:
    """Check a statistical division code: only for units that have one, 12 digits, sharing
    its prefix with the parent's, and used by no other unit. Problems go to ``errors``."""
    if code:
        if kind not in DIVISION_CODE_KINDS:
            errors["division_code"] = ["只有区、街道/乡镇、社区/村填写统计用区划代码"]
        elif len(code) != 12 or not code.isdigit():
            errors["division_code"] = ["统计用区划代码应为12位数字"]
        elif parent is not None and parent.division_code:
            prefix_len = DIVISION_PREFIX_LENGTH.get(kind)
            if prefix_len and code[:prefix_len] != parent.division_code[:prefix_len]:
                errors["division_code"] = [
                    f"区划代码{code}与上级单位的区划代码{parent.division_code}不相符"
                    f"（前{prefix_len}位应相同）"
                ]
        if "division_code" not in errors and (other := others.filter(division_code=code).first()):
            errors["division_code"] = [f"统计用区划代码{code}已被“{other.name}”使用"]
    return code


def _clean_uscc(
    *, kind: str, uscc: str, others: QuerySet[OrgUnit], errors: dict[str, list[str]]
) -> str:
    """Check a unified social credit code: only for units that have one, valid, and used by
    no other unit. Problems go to ``errors``; returns the cleaned code."""
    if uscc:
        if kind not in USCC_KINDS:
            errors["uscc"] = [f"{OrgKind(kind).label}不填写统一社会信用代码"]
        else:
            try:
                uscc = validate_uscc(uscc)
            except ValidationError as exc:
                errors["uscc"] = exc.messages
            else:
                if other := others.filter(uscc=uscc).first():
                    errors["uscc"] = [f"统一社会信用代码{uscc}已被“{other.name}”使用"]
    return uscc


@transaction.atomic
def org_unit_create(
    *, actor: Actor, kind: str, name: str, parent: OrgUnit | None = None, **fields: Any
) -> OrgUnit:
    """Create a unit under ``parent`` (None for the district at the top)."""
    fields.setdefault("code", "")
    if parent is not None:
        # Read afresh and lock: a parent abolished meanwhile must not gain children.
        parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
    fields = _validate_org_fields(kind=kind, parent=parent, fields={"name": name, **fields})
    # A placeholder path keeps the unique index happy until the id is known.
    unit = OrgUnit(kind=kind, parent=parent, path=f"new-{uuid.uuid4().hex}", **fields)
    unit.full_clean(exclude=["path", "code"], validate_constraints=False)
    unit.save()
    unit.path = child_path(parent.path if parent else "", unit.pk)
    unit.depth = parent.depth + 1 if parent else 0
    unit.code = unit.code or _auto_code(unit.pk)
    unit.save(update_fields=["path", "depth", "code"])
    audit_record(
        actor=actor,
        action="org_unit.create",
        obj=unit,
        changes={k: [None, v] for k, v in snapshot(unit, ORG_UNIT_AUDIT_FIELDS).items()},
    )
    public_content_changed()  # area choices, guides and disclosure pages name units
    return unit


@transaction.atomic
def org_unit_update(*, actor: Actor, unit: OrgUnit, **fields: Any) -> OrgUnit:
    """Change a unit's own data (not its place in the tree nor its active state)."""
    unknown = set(fields) - set(ORG_UNIT_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["此项不能在这里修改"] for name in sorted(unknown)})
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, ORG_UNIT_AUDIT_FIELDS)
    fields = _validate_org_fields(
        kind=unit.kind,
        parent=unit.parent,
        fields=dict(fields),
        instance=unit,
        check_parent_active=False,
    )
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.full_clean(exclude=["path"], validate_constraints=False)
    changes = diff(before, snapshot(unit, ORG_UNIT_AUDIT_FIELDS))
    if changes:
        unit.save()
        audit_record(actor=actor, action="org_unit.update", obj=unit, changes=changes)
        public_content_changed()
    return unit


@transaction.atomic
def org_unit_move(*, actor: Actor, unit: OrgUnit, new_parent: OrgUnit, note: str = "") -> OrgUnit:
    """Put ``unit`` and its whole subtree under ``new_parent``.

    The paths and depths of the subtree are rewritten by one UPDATE statement.
    """
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    new_parent = OrgUnit.objects.get(pk=new_parent.pk)
    if new_parent.pk == unit.parent_id:
        return unit
    if new_parent.path.startswith(unit.path):
        raise ValidationError(
            {"parent": [f"不能把“{unit.name}”移到它自己或它的下级“{new_parent.name}”之下"]}
        )
    _validate_org_fields(
        kind=unit.kind,
        parent=new_parent,
        fields={"division_code": unit.division_code},
        instance=unit,
        check_parent_active=unit.is_active,
    )
    old_prefix = unit.path
    new_prefix = child_path(new_parent.path, unit.pk)
    delta = new_parent.depth + 1 - unit.depth
    old_parent_id = unit.parent_id
    OrgUnit.objects.filter(subtree_q(old_prefix)).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + delta,
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    audit_record(
        actor=actor,
        action="org_unit.move",
        obj=unit,
        note=note,
        changes={"parent": [old_parent_id, new_parent.pk], "path": [old_prefix, new_prefix]},
    )
    public_content_changed()
    return unit


@transaction.atomic
def org_unit_abolish(*, actor: Actor, unit: OrgUnit, on: dt.date, reason: str) -> OrgUnit:
    """Mark a unit abolished from ``on``. Its history stays; it is never deleted.

    Refused while active child units, active role assignments or active service centers
    remain: each is named so the administrator knows what to handle first.
    """
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    errors: dict[str, list[str]] = {}
    if not unit.is_active:
        errors["is_active"] = [f"“{unit.name}”已于{unit.abolished_on or '此前'}撤销"]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["请填写撤销原因"]
    if on is None:
        errors["on"] = ["请填写撤销日期"]
    elif unit.established_on and on < unit.established_on:
        errors["on"] = [f"撤销日期不能早于设立日期{unit.established_on}"]
    children = list(unit.children.filter(is_active=True).values_list("name", flat=True))
    if children:
        errors.setdefault("__all__", []).append(
            f"还有{len(children)}个有效的下级单位，请先撤销或移走：{_names(children)}"
        )
    holders = [
        f"{ra.user}（{ra.get_role_display()}）"
        for ra in unit.role_assignments.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ]
    if holders:
        errors.setdefault("__all__", []).append(
            f"还有{len(holders)}个有效的角色分配，请先收回：{_names(holders)}"
        )
    centers = list(unit.service_centers.filter(is_active=True).values_list("name", flat=True))
    if centers:
        errors.setdefault("__all__", []).append(
            f"还有{len(centers)}个在用的服务中心，请先停用：{_names(centers)}"
        )
    if errors:
        raise ValidationError(errors)
    return _org_unit_set_status(
        actor=actor, unit=unit, abolished_on=on, action="org_unit.abolish", reason=reason
    )


@transaction.atomic
def org_unit_reactivate(*, actor: Actor, unit: OrgUnit, reason: str = "") -> OrgUnit:
    """Bring an abolished unit back; its parent must be active."""
    unit = OrgUnit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
    if unit.is_active:
        raise ValidationError({"is_active": [f"“{unit.name}”本来就是有效的"]})
    if unit.parent is not None and not unit.parent.is_active:
        raise ValidationError({"parent": [f"上级单位“{unit.parent.name}”已撤销，请先恢复上级单位"]})
    return _org_unit_set_status(
        actor=actor, unit=unit, abolished_on=None, action="org_unit.reactivate", reason=reason
    )


def _org_unit_set_status(
    *, actor: Actor, unit: OrgUnit, abolished_on: dt.date | None, action: str, reason: str
) -> OrgUnit:
    """Abolish (a date) or reactivate (None) a locked unit and audit the change."""
    before = snapshot(unit, ORG_UNIT_AUDIT_FIELDS)
    unit.is_active = abolished_on is None
    unit.abolished_on = abolished_on
    unit.save(update_fields=["is_active", "abolished_on", "updated_at"])
    audit_record(
        actor=actor,
        action=action,
        obj=unit,
        note=reason,
        changes=diff(before, snapshot(unit, ORG_UNIT_AUDIT_FIELDS)),
    )
    public_content_changed()
    return unit


@transaction.atomic
def org_unit_delete(*, actor: Actor, unit: OrgUnit, reason: str = "") -> None:
    """Delete a unit created by mistake. Anything that refers to it forbids deletion."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    hint = "已被引用的单位不能删除，请改为“撤销”，以保留历史记录"
    used_by = []
    if unit.children.exists():
        used_by.append("下级单位")
    if RoleAssignment.objects.filter(org_unit=unit).exists():
        used_by.append("角色分配")
    if unit.service_centers.exists():
        used_by.append("服务中心")
    if used_by:
        raise ValidationError(f"“{unit.name}”已有{'、'.join(used_by)}。{hint}")
    audit_record(
        actor=actor,
        action="org_unit.delete",
        obj=unit,
        note=reason,
        changes={k: [v, None] for k, v in snapshot(unit, ORG_UNIT_AUDIT_FIELDS).items()},
    )
    public_content_changed()
    try:
        # Other apps (catalogue, cases, disclosure) protect their references; a savepoint
        # keeps the outer transaction usable when the database refuses.
        with transaction.atomic():
            unit.delete()
    except (ProtectedError, RestrictedError):
        raise ValidationError(f"“{unit.name}”已被其他业务数据引用。{hint}") from None
