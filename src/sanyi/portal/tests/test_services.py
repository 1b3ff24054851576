import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanyi.audit.selectors import audit_history
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f
from sanyi.portal.services import (
    totp_config_uri,
    totp_device_confirm,
    totp_device_start,
    totp_qr_data_uri,
    totp_secret_text,
    user_password_change,
)
from sanyi.portal.tests.factories import current_code, wrong_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return f.staff(f.district(), Role.WINDOW_CLERK)


def test_device_start_reuses_the_pending_device(clerk):
    first = totp_device_start(actor=clerk, user=clerk)
    second = totp_device_start(actor=clerk, user=clerk)

    assert first.pk == second.pk
    assert not first.confirmed
    rows = list(audit_history(object_type="otp_totp.totpdevice", object_id=first.pk))
    assert [r.action for r in rows] == ["otp_device.start"]


def test_confirm_with_a_wrong_code_leaves_the_device_pending(clerk):
    device = totp_device_start(actor=clerk, user=clerk)

    assert not totp_device_confirm(actor=clerk, device=device, token=wrong_code(device))

    device.refresh_from_db()
    assert not device.confirmed


def test_confirm_with_the_right_code_confirms_and_audits(clerk):
    device = totp_device_start(actor=clerk, user=clerk)
    stray = TOTPDevice.objects.create(user=clerk, name="旧的", confirmed=False)

    assert totp_device_confirm(actor=clerk, device=device, token=current_code(device))

    device.refresh_from_db()
    assert device.confirmed
    assert not TOTPDevice.objects.filter(pk=stray.pk).exists()
    actions = [
        r.action for r in audit_history(object_type="otp_totp.totpdevice", object_id=device.pk)
    ]
    assert actions == ["otp_device.start", "otp_device.confirm"]


def test_config_uri_names_the_site_and_user(clerk, settings):
    settings.SANYI_SITE_NAME = "测试区平台"
    device = totp_device_start(actor=clerk, user=clerk)

    uri = totp_config_uri(device)

    assert uri.startswith("otpauth://totp/")
    assert clerk.username in uri
    assert "secret=" + totp_secret_text(device).replace(" ", "") in uri
    assert "issuer=%E6%B5%8B%E8%AF%95%E5%8C%BA%E5%B9%B3%E5%8F%B0" in uri


def test_qr_code_is_an_svg_data_uri(clerk):
    device = totp_device_start(actor=clerk, user=clerk)

    assert totp_qr_data_uri(device).startswith("data:image/svg+xml")


def test_password_change_sets_the_password_and_audits_without_it(clerk):
    user_password_change(actor=clerk, user=clerk, new_password="Neu-Passw0rt!x")

    clerk.refresh_from_db()
    assert clerk.check_password("Neu-Passw0rt!x")
    (row,) = audit_history(object_type="orgs.user", object_id=clerk.pk).filter(
        action="user.password_change"
    )
    assert "Neu-Passw0rt" not in str(row.changes)
