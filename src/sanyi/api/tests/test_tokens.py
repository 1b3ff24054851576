"""Tokens for integrations (POST/DELETE /api/v1/auth/token/) and session auth with CSRF."""

import json

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django_otp.oath import totp
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sanyi.audit.models import AuditEvent
from sanyi.audit.selectors import audit_history
from sanyi.orgs.models import Role
from sanyi.orgs.services import staff_totp_device_create
from sanyi.orgs.tests import factories

from .problems import fields_of, problem_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"
PASSWORD = "Test-Passw0rd!"  # the factories' staff password


@pytest.fixture
def clerk():
    unit = factories.district()
    return factories.staff(unit, Role.WINDOW_CLERK, username="clerk")


def test_the_right_password_gets_a_token_that_authenticates_later_requests(api, clerk):
    response = api.post(URL, {"username": "clerk", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body == {"token": Token.objects.get(user=clerk).key, "username": "clerk"}
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert caller.delete(URL).status_code == 204  # only an authenticated caller may do this


def test_asking_again_returns_the_same_token_and_audits_only_its_issue(api, clerk):
    first = api.post(URL, {"username": "clerk", "password": PASSWORD}, format="json").json()
    second = api.post(URL, {"username": "clerk", "password": PASSWORD}, format="json").json()

    assert first["token"] == second["token"]
    history = audit_history(object_type="orgs.user", object_id=clerk.pk)
    assert [e.action for e in history if e.action.startswith("api_token.")] == ["api_token.issue"]
    # The key is a password: it must never be copied into the audit trail.
    assert not AuditEvent.objects.filter(object_id=first["token"]).exists()
    assert first["token"] not in json.dumps([[e.changes, e.note] for e in history])


def test_a_wrong_password_is_a_400_problem_without_saying_which_part_was_wrong(api, clerk):
    response = api.post(URL, {"username": "clerk", "password": "wrong"}, format="json")

    problem = problem_of(response, 400)
    assert fields_of(problem) == {None: ["用户名或密码不正确，或账号已停用。"]}
    assert not Token.objects.exists()


def test_missing_fields_are_named(api):
    problem = problem_of(api.post(URL, {}, format="json"), 400)

    assert fields_of(problem) == {
        "username": ["请填写用户名（username）"],
        "password": ["请填写密码（password）"],
    }


def test_a_deactivated_account_gets_no_token(api, clerk):
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])

    response = api.post(URL, {"username": "clerk", "password": PASSWORD}, format="json")

    problem_of(response, 400)
    assert not Token.objects.exists()


def test_repeated_failures_lock_the_account_with_a_problem_not_the_html_page(api, clerk, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        problem_of(api.post(URL, {"username": "clerk", "password": "wrong"}, format="json"), 400)

    third = api.post(URL, {"username": "clerk", "password": "wrong"}, format="json")
    then_right = api.post(URL, {"username": "clerk", "password": PASSWORD}, format="json")

    assert problem_of(third, 403)["type"] == "urn:sanyi:problem:login-locked-out"
    assert problem_of(then_right, 403)["type"] == "urn:sanyi:problem:login-locked-out"
    assert not Token.objects.exists()


def test_the_token_endpoint_limits_attempts_per_address(api, clerk):
    for _ in range(10):
        api.post(URL, {"username": "clerk", "password": PASSWORD}, format="json")

    response = api.post(URL, {"username": "clerk", "password": PASSWORD}, format="json")

    assert problem_of(response, 429)["type"] == "urn:sanyi:problem:too-many-requests"


def test_revoking_deletes_the_token_audited_and_the_old_key_stops_working(api, clerk):
    key = api_token_for(api)
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert caller.delete(URL).status_code == 204

    assert not Token.objects.filter(user=clerk).exists()
    assert audit_history(object_type="orgs.user", object_id=clerk.pk).last().action == (
        "api_token.revoke"
    )
    assert problem_of(caller.get("/api/v1/org-units/"), 401)["type"] == (
        "urn:sanyi:problem:authentication-failed"
    )


def api_token_for(api) -> str:
    return api.post(URL, {"username": "clerk", "password": PASSWORD}, format="json").json()["token"]


def test_a_session_write_without_the_csrf_token_is_refused(clerk):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(clerk)
    Token.objects.create(user=clerk)

    response = browser.delete(URL)

    problem = problem_of(response, 403)
    assert "CSRF" in problem["detail"]
    assert Token.objects.filter(user=clerk).exists()


def test_a_session_write_with_the_csrf_token_goes_through(clerk):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(clerk)
    Token.objects.create(user=clerk)
    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret

    response = browser.delete(URL, HTTP_X_CSRFTOKEN=secret)

    assert response.status_code == 204
    assert not Token.objects.filter(user=clerk).exists()


def test_token_writes_need_no_csrf_token(clerk):
    token = Token.objects.create(user=clerk)
    system = APIClient(enforce_csrf_checks=True)
    system.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert system.delete(URL).status_code == 204


@pytest.fixture
def admin():
    return factories.staff(factories.district(), Role.SYSTEM_ADMIN, username="admin")


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_system_admin_needs_the_second_factor_for_a_token(api, admin, settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = True
    device = staff_totp_device_create(actor="系统：测试", user=admin, name="手机验证器")

    without = api.post(URL, {"username": "admin", "password": PASSWORD}, format="json")
    with_code = api.post(
        URL,
        {"username": "admin", "password": PASSWORD, "otp": current_code(device)},
        format="json",
    )

    assert fields_of(problem_of(without, 400)) == {"otp": ["系统管理员账号须填写动态验证码（otp）"]}
    assert with_code.status_code == 200
    assert Token.objects.filter(user=admin).exists()


def test_a_system_admin_without_an_authenticator_is_told_to_set_one_up(api, admin, settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = True

    response = api.post(
        URL, {"username": "admin", "password": PASSWORD, "otp": "123456"}, format="json"
    )

    assert "设置手机验证器" in fields_of(problem_of(response, 400))["otp"][0]


def test_wrong_codes_count_towards_the_lockout(api, admin, settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = True
    settings.AXES_FAILURE_LIMIT = 2
    device = staff_totp_device_create(actor="系统：测试", user=admin, name="手机验证器")
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    problem_of(
        api.post(URL, {"username": "admin", "password": PASSWORD, "otp": wrong}, format="json"),
        400,
    )

    again = api.post(URL, {"username": "admin", "password": PASSWORD, "otp": wrong}, format="json")
    right = api.post(
        URL,
        {"username": "admin", "password": PASSWORD, "otp": current_code(device)},
        format="json",
    )

    assert problem_of(again, 403)["type"] == "urn:sanyi:problem:login-locked-out"
    assert problem_of(right, 403)["type"] == "urn:sanyi:problem:login-locked-out"
    assert not Token.objects.exists()


def test_a_system_admin_session_without_the_second_factor_does_not_authenticate(admin, settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = True
    browser = APIClient()
    browser.force_login(admin)  # password only, as if signed in before the rule applied

    problem = problem_of(browser.delete(URL), 401)

    assert problem["type"] == "urn:sanyi:problem:not-authenticated"


def _sign_in_events():
    actions = ("staff.sign_in_failed", "staff.locked_out", "staff.unlocked")
    return list(AuditEvent.objects.filter(action__in=actions).order_by("seq"))


def test_failures_lockouts_and_refusals_at_the_token_endpoint_are_audit_records(
    api, clerk, settings
):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        api.post(URL, {"username": "clerk", "password": "wrong"}, format="json")
    api.post(URL, {"username": "clerk", "password": PASSWORD}, format="json")

    events = _sign_in_events()
    assert [e.action for e in events] == [
        "staff.sign_in_failed",
        "staff.sign_in_failed",
        "staff.locked_out",
        "staff.sign_in_failed",
    ]
    assert {e.changes["channel"] for e in events} == {"接口令牌"}
    assert events[-1].changes["reason"] == "账号在此地址已被锁定，尝试被拒绝"
    assert {e.object_id for e in events} == {str(clerk.pk)}


def test_a_wrong_code_at_the_token_endpoint_is_recorded_as_such(api, admin, settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = True
    device = staff_totp_device_create(actor="系统：测试", user=admin, name="手机验证器")
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"

    api.post(URL, {"username": "admin", "password": PASSWORD, "otp": wrong}, format="json")

    [event] = _sign_in_events()
    assert event.changes == {"channel": "接口令牌", "reason": "动态验证码不正确"}


def test_a_rotating_forwarded_for_does_not_escape_the_token_limit(
    api, clerk, settings, monkeypatch
):
    from sanyi.api import throttles

    settings.SANYI_TRUSTED_PROXIES = []
    monkeypatch.setitem(throttles.TokenObtainThrottle.THROTTLE_RATES, "api_token", "2/minute")

    statuses = [
        api.post(
            URL,
            {"username": f"nobody{i}", "password": "wrong"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(3)
    ]

    assert statuses == [400, 400, 429]
