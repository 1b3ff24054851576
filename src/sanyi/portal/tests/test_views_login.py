import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanyi.audit.selectors import audit_history
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f
from sanyi.portal.tests.factories import current_code, system_admin, totp_device, wrong_code
from sanyi.portal.views.login import MAX_CODE_FAILURES, PENDING_KEY

pytestmark = pytest.mark.django_db
PASSWORD = "Test-Passw0rd!"
LOGIN = "/login/"


@pytest.fixture
def clerk():
    return f.staff(f.district(), Role.WINDOW_CLERK)


def _login(client, user, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": user.username, "password": password, **extra})


def test_login_page_renders(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    html = response.content.decode()
    assert "工作人员登录" in html
    assert 'autocomplete="username"' in html


def test_clerk_logs_in_and_lands_on_the_workbench(client, clerk):
    response = _login(client, clerk)

    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:home")
    assert client.session[SESSION_KEY] == str(clerk.pk)


def test_login_follows_a_safe_next_url_only(client, clerk):
    assert _login(client, clerk, next="/workbench/account/")["Location"] == "/workbench/account/"
    client.logout()

    response = _login(client, clerk, next="https://evil.example/")

    assert response["Location"] == reverse("workbench:home")


def test_wrong_password_shows_a_chinese_error(client, clerk):
    response = _login(client, clerk, password="wrong")

    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_account_locks_after_the_failure_limit(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, clerk, password="wrong").status_code == 200

    locked = _login(client, clerk, password="wrong")
    again_right_password = _login(client, clerk)

    assert locked.status_code == 429
    assert "portal/locked_out.html" in [t.name for t in locked.templates]
    assert "暂时锁定" in locked.content.decode()
    assert "请在30分钟后再试" in locked.content.decode()
    assert again_right_password.status_code == 429
    assert SESSION_KEY not in client.session


def test_one_address_is_capped_across_usernames(client, settings):
    settings.SANYI_LOGIN_IP_LIMIT = 3
    users = [f.staff(f.district(), Role.WINDOW_CLERK) for _ in range(4)]

    statuses = [_login(client, u, password="wrong").status_code for u in users]

    assert statuses == [200, 200, 200, 429]
    assert "登录尝试次数过多" in _login(client, users[0]).content.decode()


def test_logout_needs_post(client, clerk):
    client.force_login(clerk)

    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert SESSION_KEY not in client.session


# Second factor


def test_staff_with_a_device_must_enter_a_code(client, clerk):
    device = totp_device(clerk)

    response = _login(client, clerk)

    assert response["Location"] == reverse("portal:login_otp")
    assert SESSION_KEY not in client.session  # not signed in yet
    assert client.get(reverse("workbench:home")).status_code == 302

    response = client.post(reverse("portal:login_otp"), {"code": current_code(device)})

    assert response["Location"] == reverse("workbench:home")
    assert client.session[SESSION_KEY] == str(clerk.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_wrong_code_is_refused(client, clerk):
    device = totp_device(clerk)
    _login(client, clerk)

    response = client.post(reverse("portal:login_otp"), {"code": wrong_code(device)})

    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_malformed_code_names_the_field(client, clerk):
    totp_device(clerk)
    _login(client, clerk)

    response = client.post(reverse("portal:login_otp"), {"code": "12ab"})

    assert "验证码是6位数字" in response.content.decode()


def test_too_many_wrong_codes_restart_the_login(client, clerk, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # count our limit, not django-otp's backoff
    device = totp_device(clerk)
    _login(client, clerk)

    for _ in range(MAX_CODE_FAILURES - 1):
        client.post(reverse("portal:login_otp"), {"code": wrong_code(device)})
    response = client.post(reverse("portal:login_otp"), {"code": wrong_code(device)})

    assert response["Location"] == reverse("portal:login")
    assert PENDING_KEY not in client.session
    assert client.post(reverse("portal:login_otp"), {"code": current_code(device)})[
        "Location"
    ] == reverse("portal:login")


def test_code_step_without_password_step_goes_back_to_login(client):
    response = client.get(reverse("portal:login_otp"))

    assert response["Location"] == reverse("portal:login")


def test_pending_login_expires(client, clerk, monkeypatch):
    device = totp_device(clerk)
    _login(client, clerk)
    import sanyi.portal.views.login as login_views

    monkeypatch.setattr(login_views, "PENDING_MAX_AGE_SECONDS", -1)

    response = client.post(reverse("portal:login_otp"), {"code": current_code(device)})

    assert response["Location"] == reverse("portal:login")
    assert SESSION_KEY not in client.session


def test_admin_without_device_is_sent_to_set_one_up(client):
    admin = system_admin()

    response = _login(client, admin)

    assert response["Location"] == reverse("portal:otp_setup")
    assert SESSION_KEY not in client.session
    page = client.get(reverse("portal:otp_setup"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "系统管理员登录必须使用手机验证器" in html
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    from sanyi.portal.services import totp_secret_text

    assert totp_secret_text(device) in html


def test_admin_finishes_set_up_and_is_signed_in_verified(client):
    admin = system_admin()
    _login(client, admin)
    client.get(reverse("portal:otp_setup"))
    device = TOTPDevice.objects.get(user=admin, confirmed=False)

    response = client.post(reverse("portal:otp_setup"), {"code": current_code(device)})

    assert response["Location"] == reverse("workbench:home")
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[SESSION_KEY] == str(admin.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("workbench:home")).status_code == 200
    actions = [
        r.action for r in audit_history(object_type="otp_totp.totpdevice", object_id=device.pk)
    ]
    assert actions == ["otp_device.start", "otp_device.confirm"]


def test_admin_may_skip_the_device_when_the_rule_is_off(client, settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False
    admin = system_admin()

    response = _login(client, admin)

    assert response["Location"] == reverse("workbench:home")


def test_setup_page_needs_a_login(client):
    assert client.get(reverse("portal:otp_setup"))["Location"] == reverse("portal:login")


def test_staff_may_enrol_voluntarily(client, clerk):
    client.force_login(clerk)
    client.get(reverse("portal:otp_setup"))
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)

    response = client.post(reverse("portal:otp_setup"), {"code": current_code(device)})

    assert response["Location"] == reverse("workbench:account_security")
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_wrong_code_at_set_up_keeps_the_device_pending(client, clerk):
    client.force_login(clerk)
    client.get(reverse("portal:otp_setup"))
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)

    response = client.post(reverse("portal:otp_setup"), {"code": wrong_code(device)})

    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_right_code_right_after_a_wrong_one_says_how_long_to_wait(client, clerk, settings):
    # given: django-otp backs off 10 seconds after one wrong code
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    device = totp_device(clerk)
    _login(client, clerk)
    client.post(reverse("portal:login_otp"), {"code": wrong_code(device)})

    # when: the right code comes straight after
    response = client.post(reverse("portal:login_otp"), {"code": current_code(device)})

    # then: the page says to wait, and for how long, instead of calling the code wrong
    html = response.content.decode()
    assert SESSION_KEY not in client.session
    assert "请等10秒后再输入" in html or "请等9秒后再输入" in html
    assert "不正确或已过期" not in html


def test_right_code_after_the_wait_signs_in(client, clerk, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    device = totp_device(clerk)
    _login(client, clerk)
    client.post(reverse("portal:login_otp"), {"code": wrong_code(device)})
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=11)
    )

    response = client.post(reverse("portal:login_otp"), {"code": current_code(device)})

    assert response["Location"] == reverse("workbench:home")


def test_wait_message_counts_minutes_for_long_waits():
    from sanyi.portal.selectors import totp_wait_message

    assert "请等3秒" in totp_wait_message(3)
    assert "请等2分钟" in totp_wait_message(61)
