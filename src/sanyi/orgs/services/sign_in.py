"""A system administrator's help for a colleague who cannot sign in: the second factor
reset (a lost or replaced phone) and a login lockout lifted. Both audited, with the reason.

After a reset the person signs in with the password and sets up a new authenticator
(portal's ``otp_setup``), as on the first sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor, actor_user
from sanyi.orgs.models import User

MAX_REASON = 200


@dataclass(frozen=True)
class SignInState:
    devices: int  # confirmed authenticators
    locked: bool  # too many wrong passwords within the cool-off time


def _attempts(user: User) -> Any:
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(username=user.get_username())


def staff_sign_in_state(user: User) -> SignInState:
    """How the person stands at sign-in: authenticators, and whether they are locked out."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME or 0))
    locked = (
        _attempts(user)
        .filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since)
        .exists()
    )
    return SignInState(
        devices=TOTPDevice.objects.filter(user=user, confirmed=True).count(), locked=locked
    )


def _check(actor: Actor, user: User, reason: str) -> str:
    from sanyi.orgs import selectors

    viewer = actor_user(actor)
    if viewer is not None and not selectors.staff_can_be_managed_by(viewer=viewer, user=user):
        raise PermissionDenied("该人员不在您的管理范围内")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["请填写原因，例如“手机丢失，本人到场核实身份”"]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [f"原因不能超过{MAX_REASON}个字（现有{len(reason)}个）"]})
    return reason


@transaction.atomic
def staff_totp_reset(*, actor: Actor, user: User, reason: str) -> int:
    """Remove the person's authenticators; they set up a new one at the next sign-in.
    Returns how many were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    reason = _check(actor, user, reason)
    devices = TOTPDevice.objects.select_for_update().filter(user=user)
    names = sorted(d.name for d in devices if d.confirmed)
    if not names:
        raise ValidationError({"reason": ["此人还没有设置手机验证器，无需重置"]})
    count, _ = devices.delete()
    audit_record(
        actor=actor,
        action="staff.totp_reset",
        obj=user,
        changes={"totp_devices": [names, []]},
        note=f"原因：{reason}",
    )
    return count


@transaction.atomic
def staff_login_unlock(*, actor: Actor, user: User, reason: str) -> int:
    """Lift a lockout after too many wrong passwords, before the cool-off time ends."""
    reason = _check(actor, user, reason)
    attempts = _attempts(user)
    failures = sum(attempts.values_list("failures_since_start", flat=True))
    if not failures:
        raise ValidationError({"reason": ["此人没有登录失败记录，无需解除锁定"]})
    attempts.delete()
    audit_record(
        actor=actor,
        action="staff.login_unlock",
        obj=user,
        changes={"failed_logins": [failures, 0]},
        note=f"原因：{reason}",
    )
    return failures
