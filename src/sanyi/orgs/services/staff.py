"""Writing staff accounts, their second factors and their role assignments."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor, is_user
from sanyi.orgs import permissions
from sanyi.orgs.models import (
    OrgUnit,
    Role,
    RoleAssignment,
    User,
    Window,
)
from sanyi.orgs.services._common import STAFF_FIELDS


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
    if is_user(actor) and actor.pk == user.pk:
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
    Assigning a role that was revoked before makes the old assignment active again. A
    staff actor must be a system admin of ``org_unit`` (or of a unit above it).
    """
    org_unit = OrgUnit.objects.select_for_update().get(pk=org_unit.pk)
    user = User.objects.get(pk=user.pk)
    if window is not None:
        window = Window.objects.select_related("center__org_unit").get(pk=window.pk)
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [f"未知的角色：{role}"]
    if is_user(actor) and not permissions.has_role(actor, Role.SYSTEM_ADMIN, org_unit):
        errors["org_unit"] = [f"“{org_unit.name}”不在您的管理范围内，不能在该单位分配角色"]
    elif not org_unit.is_active:
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
        changes: dict[str, list[Any]] = {
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


@transaction.atomic
def staff_walkthrough_dismiss(*, actor: Actor, user: User) -> User:
    """Remember that ``user`` closed the first-visit walkthrough. Only the account itself
    may: it is a display preference, so no audit row is written."""
    if not is_user(actor) or actor.pk != user.pk:
        raise PermissionDenied("只能关闭自己的首次使用引导")
    if user.walkthrough_done_at is None:
        user.walkthrough_done_at = timezone.now()
        User.objects.filter(pk=user.pk).update(walkthrough_done_at=user.walkthrough_done_at)
    return user
