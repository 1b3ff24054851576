"""Writing staff second-factor devices (TOTP). Every write is audited."""

from __future__ import annotations

from base64 import b32encode
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor

if TYPE_CHECKING:
    from sanyi.orgs.models import User

DEVICE_NAME = "手机验证器"


@transaction.atomic
def totp_device_start(*, actor: Actor, user: User) -> TOTPDevice:
    """The user's pending (unconfirmed) authenticator, created with a fresh key if none.

    Reusing the pending device keeps the QR code stable when the setup page is reloaded.
    """
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("-pk")
        .first()
    )
    if device is not None:
        return device
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    audit_record(
        actor=actor,
        action="otp_device.start",
        obj=device,
        object_repr=f"{user.get_username()} 的{DEVICE_NAME}",
        changes={"user": [None, user.pk], "confirmed": [None, False]},
    )
    return device


@transaction.atomic
def totp_device_confirm(*, actor: Actor, device: TOTPDevice, token: str) -> bool:
    """Confirm a pending authenticator with a code it produced. False when the code is wrong.

    Other pending devices of the same user are removed so one account has one key in play.
    """
    if device.confirmed:
        raise ValueError("device already confirmed")
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
    audit_record(
        actor=actor,
        action="otp_device.confirm",
        obj=device,
        object_repr=f"{device.user.get_username()} 的{DEVICE_NAME}",
        changes={"confirmed": [False, True]},
    )
    return True


def totp_config_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI an authenticator app scans, labelled with the site name."""
    issuer = settings.SANYI_SITE_NAME.replace(":", "")
    label = f"{issuer}:{device.user.get_username()}"
    params = urlencode(
        {
            "secret": totp_secret_text(device).replace(" ", ""),
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


def totp_secret_text(device: TOTPDevice) -> str:
    """The key in base32, grouped by four for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The QR code as an SVG data: URI, drawn on the server (no script, allowed by the CSP)."""
    return segno.make(totp_config_uri(device), error="m").svg_data_uri(scale=5, border=4)


@transaction.atomic
def user_password_change(*, actor: Actor, user: User, new_password: str) -> None:
    """Set a new password (already checked against the password policy by the form)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    # The audit row says that the password changed, never what it is.
    audit_record(
        actor=actor, action="user.password_change", obj=user, changes={"password": ["***", "***"]}
    )
