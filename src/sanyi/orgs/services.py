"""Writing the org tree, service centers, staff and roles. Every write is audited.

Each service is keyword-only, runs in one transaction and names its actor (a staff
``User`` or a label such as "系统：演示数据"). Bad input raises ``ValidationError`` with
Chinese messages keyed by field name, so forms and the Excel import can show them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError, RestrictedError, Value
from django.db.models.functions import Concat, Substr

from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor
from sanyi.core.ids import validate_uscc
from sanyi.orgs import excel
from sanyi.orgs.models import (
    ALLOWED_CHILDREN,
    DIVISION_CODE_KINDS,
    USCC_KINDS,
    OrgKind,
    OrgUnit,
    Role,
    RoleAssignment,
    ServiceCenter,
    User,
    Window,
)
from sanyi.orgs.tree import child_path, subtree_q

if TYPE_CHECKING:
    from django_otp.plugins.otp_totp.models import TOTPDevice

ORG_UNIT_AUDIT_FIELDS = [
    "parent",
    "code",
    "kind",
    "is_rural",
    "name",
    "short_name",
    "division_code",
    "uscc",
    "phone",
    "email",
    "address",
    "opening_hours",
    "sort_order",
    "is_active",
    "established_on",
    "abolished_on",
    "notes",
]
# Fields org_unit_update may change. Kind and parent change only through org_unit_move
# (kind never: children depend on it); active state only through abolish/reactivate.
ORG_UNIT_EDITABLE_FIELDS = [
    "code",
    "is_rural",
    "name",
    "short_name",
    "division_code",
    "uscc",
    "phone",
    "email",
    "address",
    "opening_hours",
    "sort_order",
    "established_on",
    "notes",
]
SERVICE_CENTER_FIELDS = [
    "org_unit",
    "name",
    "address",
    "phone",
    "opening_hours",
    "transport",
    "latitude",
    "longitude",
    "is_active",
]
WINDOW_FIELDS = ["center", "number", "name", "is_comprehensive", "is_active"]
STAFF_FIELDS = ["username", "full_name", "phone", "email", "is_active"]
# How many names an error message lists before it says "等N个".
_NAMES_SHOWN = 10


def _names(items: list[str]) -> str:
    shown = "、".join(items[:_NAMES_SHOWN])
    if len(items) > _NAMES_SHOWN:
        shown += f"等{len(items)}个"
    return shown


def _auto_code(pk: int) -> str:
    code, n = f"U{pk:06d}", 1
    while OrgUnit.objects.filter(code=code).exists():
        n += 1
        code = f"U{pk:06d}-{n}"
    return code


# --- org units ---------------------------------------------------------------------------


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
        code = (fields.get("division_code") or "").strip()
        if code:
            if kind not in DIVISION_CODE_KINDS:
                errors["division_code"] = ["只有区、街道/乡镇、社区/村填写统计用区划代码"]
            elif len(code) != 12 or not code.isdigit():
                errors["division_code"] = ["统计用区划代码应为12位数字"]
            elif parent is not None and parent.division_code:
                prefix_len = {OrgKind.SUBDISTRICT: 6, OrgKind.COMMUNITY: 9}.get(kind)
                if prefix_len and code[:prefix_len] != parent.division_code[:prefix_len]:
                    errors["division_code"] = [
                        f"区划代码{code}与上级单位的区划代码{parent.division_code}不相符"
                        f"（前{prefix_len}位应相同）"
                    ]
            if "division_code" not in errors and (
                other := others.filter(division_code=code).first()
            ):
                errors["division_code"] = [f"统计用区划代码{code}已被“{other.name}”使用"]
        fields["division_code"] = code
    if "uscc" in fields:
        uscc = (fields.get("uscc") or "").strip().upper()
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
        fields["uscc"] = uscc
    if fields.get("is_rural") and kind not in (OrgKind.SUBDISTRICT, OrgKind.COMMUNITY):
        errors["is_rural"] = ["只有街道/乡镇、社区/村区分城乡"]
    if errors:
        raise ValidationError(errors)
    return fields


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
    try:
        # Other apps (catalogue, cases, disclosure) protect their references; a savepoint
        # keeps the outer transaction usable when the database refuses.
        with transaction.atomic():
            unit.delete()
    except (ProtectedError, RestrictedError):
        raise ValidationError(f"“{unit.name}”已被其他业务数据引用。{hint}") from None


# --- service centers and windows ---------------------------------------------------------


def _clean_center(center: ServiceCenter) -> None:
    errors: dict[str, list[str]] = {}
    for name, label in (("name", "名称"), ("address", "地址"), ("opening_hours", "办公时间")):
        setattr(center, name, (getattr(center, name) or "").strip())
        if not getattr(center, name):
            errors[name] = [f"{label}不能为空"]
    if center.org_unit_id and not center.org_unit.is_active and center.is_active:
        errors["org_unit"] = [f"“{center.org_unit.name}”已撤销，不能设立在用的服务中心"]
    if center.name and (
        ServiceCenter.objects.filter(org_unit_id=center.org_unit_id, name=center.name)
        .exclude(pk=center.pk)
        .exists()
    ):
        errors["name"] = [f"本单位已有名为“{center.name}”的服务中心"]
    if errors:
        raise ValidationError(errors)
    center.full_clean(validate_constraints=False)


@transaction.atomic
def service_center_create(
    *, actor: Actor, org_unit: OrgUnit, name: str, **fields: Any
) -> ServiceCenter:
    """Attach a service center (政务服务中心 / 便民服务中心 / 便民服务站) to a unit."""
    org_unit = OrgUnit.objects.select_for_update().get(pk=org_unit.pk)
    if org_unit.kind not in (OrgKind.DISTRICT, OrgKind.SUBDISTRICT, OrgKind.COMMUNITY):
        raise ValidationError({"org_unit": ["服务中心只能设在区、街道/乡镇或社区/村"]})
    center = ServiceCenter(org_unit=org_unit, name=name, **fields)
    _clean_center(center)
    center.save()
    audit_record(
        actor=actor,
        action="service_center.create",
        obj=center,
        changes={k: [None, v] for k, v in snapshot(center, SERVICE_CENTER_FIELDS).items()},
    )
    return center


@transaction.atomic
def service_center_update(*, actor: Actor, center: ServiceCenter, **fields: Any) -> ServiceCenter:
    """Change a service center's data; ``is_active=False`` closes it."""
    center = (
        ServiceCenter.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=center.pk)
    )
    before = snapshot(center, SERVICE_CENTER_FIELDS)
    for name, value in fields.items():
        if name not in SERVICE_CENTER_FIELDS or name == "org_unit":
            raise ValidationError({name: ["此项不能修改"]})
        setattr(center, name, value)
    _clean_center(center)
    changes = diff(before, snapshot(center, SERVICE_CENTER_FIELDS))
    if changes:
        center.save()
        audit_record(actor=actor, action="service_center.update", obj=center, changes=changes)
    return center


def _clean_window(window: Window) -> None:
    errors: dict[str, list[str]] = {}
    window.number = (window.number or "").strip()
    window.name = (window.name or "").strip()
    if not window.number:
        errors["number"] = ["窗口号不能为空"]
    elif (
        Window.objects.filter(center_id=window.center_id, number=window.number)
        .exclude(pk=window.pk)
        .exists()
    ):
        errors["number"] = [f"本中心已有{window.number}号窗口"]
    if not window.name:
        errors["name"] = ["窗口名称不能为空"]
    if errors:
        raise ValidationError(errors)
    window.full_clean(validate_constraints=False)


@transaction.atomic
def window_create(
    *, actor: Actor, center: ServiceCenter, number: str, name: str, **fields: Any
) -> Window:
    """Open a window (counter) in a service center."""
    window = Window(center=center, number=number, name=name, **fields)
    _clean_window(window)
    window.save()
    audit_record(
        actor=actor,
        action="window.create",
        obj=window,
        changes={k: [None, v] for k, v in snapshot(window, WINDOW_FIELDS).items()},
    )
    return window


@transaction.atomic
def window_update(*, actor: Actor, window: Window, **fields: Any) -> Window:
    """Change a window; ``is_active=False`` closes it."""
    window = Window.objects.select_for_update().get(pk=window.pk)
    before = snapshot(window, WINDOW_FIELDS)
    for name, value in fields.items():
        if name not in WINDOW_FIELDS or name == "center":
            raise ValidationError({name: ["此项不能修改"]})
        setattr(window, name, value)
    _clean_window(window)
    changes = diff(before, snapshot(window, WINDOW_FIELDS))
    if changes:
        window.save()
        audit_record(actor=actor, action="window.update", obj=window, changes=changes)
    return window


# --- staff and roles ---------------------------------------------------------------------


def _clean_staff(user: User, password: str | None) -> None:
    errors: dict[str, list[str]] = {}
    user.username = (user.username or "").strip()
    user.full_name = (user.full_name or "").strip()
    if not user.username:
        errors["username"] = ["登录名不能为空"]
    elif User.objects.filter(username__iexact=user.username).exclude(pk=user.pk).exists():
        errors["username"] = [f"登录名{user.username}已被使用"]
    if not user.full_name:
        errors["full_name"] = ["姓名不能为空"]
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.full_clean(exclude=["password"], validate_unique=False)


@transaction.atomic
def staff_create(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    password: str | None = None,
    password_hash: str | None = None,
    **fields: Any,
) -> User:
    """Create a staff account. Without a password the account cannot log in until one is set.

    ``password_hash`` (from ``make_password``, of a password already checked against the
    policy) lets a bulk load hash one shared password once instead of once per account.
    """
    user = User(username=username, full_name=full_name, **fields)
    _clean_staff(user, password)
    if password_hash is not None:
        if not identify_hasher(password_hash):
            raise ValidationError({"password": ["密码摘要格式不正确"]})
        user.password = password_hash
    elif password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="staff.create",
        obj=user,
        changes={k: [None, v] for k, v in snapshot(user, STAFF_FIELDS).items()},
    )
    return user


@transaction.atomic
def staff_update(*, actor: Actor, user: User, password: str | None = None, **fields: Any) -> User:
    """Change a staff account's data or password (the password itself is never audited)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user, STAFF_FIELDS)
    for name, value in fields.items():
        if name not in STAFF_FIELDS or name == "is_active":
            raise ValidationError({name: ["此项不能在这里修改"]})
        setattr(user, name, value)
    _clean_staff(user, password)
    changes = diff(before, snapshot(user, STAFF_FIELDS))
    if password is not None:
        user.set_password(password)
        changes["password"] = ["***", "***（已更改）"]
    if changes:
        user.save()
        audit_record(actor=actor, action="staff.update", obj=user, changes=changes)
    return user


@transaction.atomic
def staff_deactivate(*, actor: Actor, user: User, reason: str) -> User:
    """Close an account: it can no longer log in and its roles stop applying."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not (reason or "").strip():
        raise ValidationError({"reason": ["请填写停用原因"]})
    if not user.is_active:
        return user
    if actor is not None and not isinstance(actor, str) and actor.pk == user.pk:
        raise ValidationError({"user": ["不能停用自己的账号"]})
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="staff.deactivate",
        obj=user,
        note=reason.strip(),
        changes={"is_active": [True, False]},
    )
    return user


@transaction.atomic
def staff_totp_device_create(
    *, actor: Actor, user: User, name: str, key_hex: str | None = None
) -> TOTPDevice:
    """Give a staff member a TOTP authenticator (second login factor), confirmed at once.

    ``key_hex`` fixes the secret (the demo uses a published key); normally it is left out
    and a random one is drawn. The secret never goes into the audit trail.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

    key = (key_hex or default_key()).lower()
    try:
        if len(bytes.fromhex(key)) < 10:
            raise ValueError
    except ValueError:
        raise ValidationError({"key_hex": ["密钥应为至少20位的十六进制字符"]}) from None
    device = TOTPDevice.objects.create(user=user, name=name, key=key, confirmed=True)
    audit_record(
        actor=actor,
        action="staff.totp_device_create",
        obj=user,
        changes={"totp_device": [None, name]},
    )
    return device


@transaction.atomic
def role_assign(
    *, actor: Actor, user: User, org_unit: OrgUnit, role: str, window: Window | None = None
) -> RoleAssignment:
    """Give ``user`` a ``role`` on ``org_unit`` (and so on its whole subtree).

    A window clerk may be tied to a window of a service center inside that subtree.
    Assigning a role that was revoked before makes the old assignment active again.
    """
    org_unit = OrgUnit.objects.select_for_update().get(pk=org_unit.pk)
    user = User.objects.get(pk=user.pk)
    if window is not None:
        window = Window.objects.select_related("center__org_unit").get(pk=window.pk)
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [f"未知的角色：{role}"]
    if not org_unit.is_active:
        errors["org_unit"] = [f"“{org_unit.name}”已撤销，不能再分配角色"]
    if not user.is_active:
        errors["user"] = [f"{user}的账号已停用"]
    if window is not None:
        if role != Role.WINDOW_CLERK:
            errors["window"] = ["只有窗口人员需要指定窗口"]
        elif not window.center.org_unit.path.startswith(org_unit.path):
            errors["window"] = [f"{window}不属于“{org_unit.name}”及其下级单位"]
        elif not window.is_active:
            errors["window"] = [f"{window}已停用"]
    if errors:
        raise ValidationError(errors)
    assignment, created = RoleAssignment.objects.select_for_update().get_or_create(
        user=user,
        org_unit=org_unit,
        role=role,
        defaults={"window": window, "is_active": True},
    )
    if created:
        changes = {
            "user": [None, user.pk],
            "org_unit": [None, org_unit.pk],
            "role": [None, role],
            "window": [None, window.pk if window else None],
        }
    else:
        before = {"is_active": assignment.is_active, "window": assignment.window_id}
        assignment.is_active = True
        assignment.window = window
        changes = diff(before, {"is_active": True, "window": window.pk if window else None})
        if not changes:
            return assignment
        assignment.save(update_fields=["is_active", "window"])
    audit_record(actor=actor, action="role.assign", obj=assignment, changes=changes)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment: RoleAssignment, reason: str = "") -> RoleAssignment:
    """Take a role back. The row stays (inactive) so the history shows who held what."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.is_active:
        return assignment
    assignment.is_active = False
    assignment.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=assignment,
        note=reason,
        changes={"is_active": [True, False]},
    )
    return assignment


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
    summary = ImportSummary(dry_run=dry_run)
    problems: list[excel.RowError] = []
    note = f"Excel导入{('：' + source_name) if source_name else ''}"
    units = {u.code: u for u in OrgUnit.objects.select_related("parent")}

    def attempt(
        sheet: str,
        row: int,
        columns: dict[str, str],
        fn: Callable[..., Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
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
