"""Failed staff sign-ins, lockouts and unlocks are audit records."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f
from sanyi.portal.tests.factories import system_admin, totp_device, verified_login, wrong_code

pytestmark = pytest.mark.django_db
PASSWORD = "Test-Passw0rd!"
LOGIN = "/login/"
SIGN_IN_ACTIONS = ("staff.sign_in_failed", "staff.locked_out", "staff.unlocked")


@pytest.fixture
def clerk():
    return f.staff(f.district(), Role.WINDOW_CLERK, username="clerk.wang")


def _events():
    return list(AuditEvent.objects.filter(action__in=SIGN_IN_ACTIONS).order_by("seq"))


def _login(client, username, password="wrong", **meta):  # noqa: S107
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def test_a_wrong_password_is_recorded_against_the_account_with_the_real_address(
    client, clerk, settings
):
    settings.SANYI_TRUSTED_PROXIES = ["127.0.0.1"]

    _login(client, "clerk.wang", HTTP_X_FORWARDED_FOR="10.0.0.9, 198.51.100.20")

    [event] = _events()
    assert event.action == "staff.sign_in_failed"
    assert (event.object_type, event.object_id) == ("orgs.user", str(clerk.pk))
    assert event.object_repr == "clerk.wang"
    assert event.ip == "198.51.100.20"
    assert event.changes == {
        "channel": "工作人员登录",
        "reason": "用户名或密码不正确，或账号已停用",
    }


def test_a_user_name_that_matches_no_account_is_masked(client):
    # People type their password into the user-name box; the trail must not keep it.
    _login(client, "Secret-Passw0rd")

    [event] = _events()
    every_field = f"{event.actor_label} {event.object_repr} {event.changes} {event.note}"
    assert "Secret-Passw0rd" not in every_field
    assert event.object_repr == "S" + "*" * 14
    assert event.object_id == ""


def test_the_failure_that_reaches_the_limit_is_followed_by_a_lockout_record(
    client, clerk, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "clerk.wang")
    refused = _login(client, "clerk.wang", PASSWORD)

    assert refused.status_code == 429
    actions = [e.action for e in _events()]
    assert actions == ["staff.sign_in_failed"] * settings.AXES_FAILURE_LIMIT + [
        "staff.locked_out",
        "staff.sign_in_failed",
    ]
    lockout, during = _events()[-2:]
    assert lockout.object_id == str(clerk.pk) and lockout.ip == "127.0.0.1"
    assert lockout.changes["failures"] == settings.AXES_FAILURE_LIMIT
    assert lockout.changes["minutes"] == 30
    assert during.changes["reason"] == "账号在此地址已被锁定，尝试被拒绝"


def _lock(client, username, settings, **meta):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, username, **meta)
    assert AccessAttempt.objects.filter(username=username).exists()


def test_a_reset_from_the_command_line_is_an_unlock_record(client, clerk, settings):
    _lock(client, "clerk.wang", settings)

    call_command("axes_reset_username", "clerk.wang")

    unlock = _events()[-1]
    assert unlock.action == "staff.unlocked"
    assert unlock.actor_label == "系统：命令行解除锁定"
    assert unlock.object_id == str(clerk.pk)
    assert unlock.ip == "127.0.0.1"  # the address that was locked
    assert _login(client, "clerk.wang", PASSWORD).status_code == 302


def test_an_administrator_lifting_a_lockout_in_system_admin_is_the_actor(client, clerk, settings):
    _lock(client, "clerk.wang", settings)
    attempt = AccessAttempt.objects.get(username="clerk.wang")
    admin = system_admin()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    verified_login(client, admin)

    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    unlock = _events()[-1]
    assert unlock.action == "staff.unlocked"
    assert unlock.actor_id == admin.pk
    assert unlock.object_id == str(clerk.pk)


def test_expired_and_below_limit_attempts_going_away_are_not_unlocks(client, clerk, settings):
    _login(client, "clerk.wang")
    _lock(client, "other.name", settings)
    AccessAttempt.objects.filter(username="other.name").update(
        attempt_time=timezone.now() - dt.timedelta(hours=1)
    )

    AccessAttempt.objects.all().delete()

    assert "staff.unlocked" not in [e.action for e in _events()]


def test_a_wrong_second_factor_code_at_the_login_page_is_recorded(client, clerk):
    device = totp_device(clerk)
    assert _login(client, "clerk.wang", PASSWORD).status_code == 302

    client.post(reverse("portal:login_otp"), {"code": wrong_code(device)})

    [event] = _events()
    assert event.object_id == str(clerk.pk)
    assert event.changes["reason"] == "动态验证码不正确"
