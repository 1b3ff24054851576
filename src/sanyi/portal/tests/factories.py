"""Second-factor devices and signed-in clients for tests."""

from __future__ import annotations

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_factories


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=confirmed)


def current_code(device: TOTPDevice, *, at: float | None = None) -> str:
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() if at is None else at
    return f"{generator.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A six-digit code that differs from every code the device accepts right now."""
    accepted = {current_code(device, at=time.time() + d * device.step) for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def verified_login(client, user) -> TOTPDevice:
    """Sign ``user`` in as if they had entered a right code (session holds the device)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def system_admin(unit=None):
    unit = unit or org_factories.district()
    return org_factories.staff(unit, Role.SYSTEM_ADMIN)
