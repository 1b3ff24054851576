"""Audit records for staff sign-in: failed attempts, lockouts and unlocks.

django-axes counts failures and locks; these receivers add one audit row for each event,
so the trail shows who was tried, from which address and what happened. They cover every
way staff sign in: the login page, the second-factor step and the API token endpoint
(which all go through ``authenticate`` or send ``user_login_failed``), and unlocks from
the admin page, the ``axes_reset*`` commands or anything else that deletes a lockout.

A typed user name that matches no account is masked: people type passwords into the
user-name box, and the trail must not keep them. Account names are shown in full, as
everywhere else in the trail.
"""

from __future__ import annotations

import datetime as dt

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.core.ids import mask_name
from sanyi.core.request_context import client_ip_of, current_request_user

ACTION_FAILED = "staff.sign_in_failed"
ACTION_LOCKED = "staff.locked_out"
ACTION_UNLOCKED = "staff.unlocked"
USER_TYPE = "orgs.user"
LOCKED_REASON = "账号在此地址已被锁定，尝试被拒绝"
WRONG_OTP_REASON = "动态验证码不正确"


def _account(typed: str | None):
    """The account a typed user name names, and how the trail shows the name."""
    typed = (typed or "").strip()[:150]
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: typed}).first() if typed else None
    if user is not None:
        return user, user.get_username()
    return None, mask_name(typed) or "（空）"


def channel_of(request) -> str:
    """Where a sign-in was tried, as the trail names it."""
    path = getattr(request, "path", "") or ""
    if path.startswith("/api/"):
        return "接口令牌"
    if path.startswith("/admin/"):
        return "系统管理"
    return "工作人员登录"


def _record(*, actor, action: str, username: str | None, ip: str | None, changes, note) -> None:
    user, shown = _account(username)
    audit_record(
        actor=actor if actor is not None else f"登录尝试：{shown}",
        action=action,
        obj=user,
        object_type=USER_TYPE,
        object_id=user.pk if user is not None else "",
        object_repr=shown,
        changes=changes,
        note=note,
        ip=ip,
    )


@transaction.atomic
def sign_in_failure_record(
    *, username: str | None, ip: str | None, channel: str, reason: str
) -> None:
    """One failed staff sign-in (wrong password, wrong code, or a try while locked)."""
    _record(
        actor=None,
        action=ACTION_FAILED,
        username=username,
        ip=ip,
        changes={"channel": channel, "reason": reason},
        note=f"{channel}：{reason}",
    )


@transaction.atomic
def lockout_record(
    *,
    username: str | None,
    ip_address: str | None,
    channel: str,
    failures: int | None,
    cool_off: dt.timedelta | None,
) -> None:
    """The failure that reached the limit: this user name is locked at this address."""
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    _record(
        actor=None,
        action=ACTION_LOCKED,
        username=username,
        ip=ip_address,
        changes={"channel": channel, "failures": failures, "minutes": minutes},
        note=f"{channel}：连续登录失败，该账号在此地址暂时锁定{minutes}分钟",
    )


@transaction.atomic
def unlock_record(*, actor, username: str | None, ip_address: str | None, failures: int) -> None:
    """A lockout lifted before it ran out (by an administrator or a reset command)."""
    _record(
        actor=actor,
        action=ACTION_UNLOCKED,
        username=username,
        # The address that was locked, not the administrator's.
        ip=ip_address,
        changes={"failures": failures},
        note="解除登录锁定",
    )


# Receivers ------------------------------------------------------------------------------

API_SECOND_FACTOR_SENDER = "sanyi.api.tokens"


def _already_locked(request, credentials) -> bool:
    """Whether this try came while a lockout was in force (not the try that started it).

    axes either refuses such a try before counting it (the request is flagged but has no
    count) or, by default, counts it too and restarts the cool-off: then the count is past
    the limit.
    """
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return bool(getattr(request, "axes_locked_out", False))
    return failures > get_failure_limit(request, credentials)


def on_login_failed(sender, credentials=None, request=None, **kwargs) -> None:
    # Runs after django-axes' own receiver (axes is set up first), so the request already
    # says whether this try was refused by a lockout or started one.
    if request is None:
        return
    credentials = credentials or {}
    if _already_locked(request, credentials):
        reason = LOCKED_REASON
    elif sender == API_SECOND_FACTOR_SENDER:
        reason = WRONG_OTP_REASON
    else:
        reason = "用户名或密码不正确，或账号已停用"
    channel = channel_of(request)
    sign_in_failure_record(
        username=credentials.get("username"),
        ip=client_ip_of(request),
        channel=channel,
        reason=reason,
    )
    lockout = getattr(request, "sanyi_lockout_started", None)
    if lockout is not None:
        request.sanyi_lockout_started = None
        lockout_record(
            **lockout,
            channel=channel,
            failures=getattr(request, "axes_failures_since_start", None),
            cool_off=get_cool_off(request),
        )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    # axes sends this from inside its failure receiver, before ours has written the
    # failure; it is noted here and written after the failure so the trail reads in order.
    # axes also sends it for every try during a lockout: only the try that reached the
    # limit starts one.
    if request is None or getattr(request, "axes_failures_since_start", None) is None:
        return
    if _already_locked(request, getattr(request, "axes_credentials", None) or {}):
        return
    request.sanyi_lockout_started = {"username": username, "ip_address": ip_address}


def on_attempt_deleted(sender, instance, **kwargs) -> None:
    # axes deletes attempts when they expire and when a sign-in succeeds; only a lockout
    # still in force going away is an unlock.
    if instance.failures_since_start < settings.AXES_FAILURE_LIMIT:
        return
    cool_off = get_cool_off()
    if cool_off is not None and instance.attempt_time <= timezone.now() - cool_off:
        return
    actor = current_request_user() or "系统：命令行解除锁定"
    unlock_record(
        actor=actor,
        username=instance.username,
        ip_address=instance.ip_address,
        failures=instance.failures_since_start,
    )


def connect() -> None:
    from axes.models import AccessAttempt
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_login_failed
    from django.db.models.signals import post_delete

    user_login_failed.connect(on_login_failed, dispatch_uid="sanyi.signin_audit.failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="sanyi.signin_audit.locked")
    post_delete.connect(
        on_attempt_deleted, sender=AccessAttempt, dispatch_uid="sanyi.signin_audit.unlocked"
    )
