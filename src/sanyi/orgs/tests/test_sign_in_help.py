"""A system administrator helps a colleague sign in: resets a lost authenticator (the
person then sets up a new one) and lifts a lockout, each with a reason, audited, in
scope only."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanyi.audit.actions import action_name
from sanyi.audit.models import AuditEvent
from sanyi.orgs.models import Role
from sanyi.orgs.services import staff_totp_device_create
from sanyi.orgs.services.sign_in import staff_login_unlock, staff_sign_in_state, staff_totp_reset
from sanyi.orgs.tests import factories as f
from sanyi.portal.tests.factories import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return f.district()


@pytest.fixture
def colleague(district):
    person = f.staff(district, Role.SYSTEM_ADMIN)
    staff_totp_device_create(actor="系统：测试", user=person, name="手机验证器")
    return person


def _lock(person):
    AccessAttempt.objects.create(
        username=person.username,
        ip_address="10.0.0.9",
        user_agent="test",
        failures_since_start=10,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/login/",
    )


def test_a_reset_removes_the_authenticator_with_the_reason(district, colleague):
    admin = f.staff(district, Role.SYSTEM_ADMIN)

    assert staff_totp_reset(actor=admin, user=colleague, reason="手机丢失") == 1

    assert not TOTPDevice.objects.filter(user=colleague).exists()
    event = AuditEvent.objects.filter(action="staff.totp_reset").get()
    assert event.note == "原因：手机丢失"
    assert action_name("staff.totp_reset") == "重置工作人员的手机验证器"
    with pytest.raises(ValidationError):
        staff_totp_reset(actor=admin, user=colleague, reason="再来一次")


def test_a_lockout_is_lifted(district, colleague):
    admin = f.staff(district, Role.SYSTEM_ADMIN)
    _lock(colleague)
    assert staff_sign_in_state(colleague).locked

    staff_login_unlock(actor=admin, user=colleague, reason="本人来电核实")

    assert not staff_sign_in_state(colleague).locked
    assert AuditEvent.objects.filter(action="staff.login_unlock").exists()


def test_a_reason_is_required_and_scope_is_checked(district, colleague):
    admin = f.staff(district, Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError) as exc:
        staff_totp_reset(actor=admin, user=colleague, reason=" ")
    assert "reason" in exc.value.message_dict

    from sanyi.orgs.models import OrgKind

    sub = f.unit(district, OrgKind.SUBDISTRICT)
    community_admin = f.staff(f.unit(sub, OrgKind.COMMUNITY), Role.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        staff_totp_reset(actor=community_admin, user=colleague, reason="手机丢失")
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_the_page_resets_and_unlocks(client, district, colleague):
    verified_login(client, f.staff(district, Role.SYSTEM_ADMIN))
    url = reverse("workbench:orgs_staff_sign_in", args=[colleague.pk])
    _lock(colleague)

    page = client.get(url).content.decode()
    assert "已设置1个手机验证器" in page and "账号暂时锁定" in page

    refused = client.post(url, {"action": "totp_reset", "totp_reset-reason": ""})
    assert "请填写原因" in refused.content.decode()
    client.post(url, {"action": "totp_reset", "totp_reset-reason": "手机丢失"})
    client.post(url, {"action": "unlock", "unlock-reason": "本人来电核实"})

    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not staff_sign_in_state(colleague).locked
    page = client.get(url).content.decode()
    assert "还没有设置手机验证器" in page and "没有被锁定" in page
