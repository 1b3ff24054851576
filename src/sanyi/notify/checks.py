"""Start-up checks of the notification settings (``sanyi check``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.module_loading import import_string


@register()
def sms_provider_check(app_configs: Any, **kwargs: Any) -> list[Any]:
    from sanyi.notify.channels import PROVIDERS

    name = getattr(settings, "SANYI_SMS_PROVIDER", "console") or "console"
    if name in PROVIDERS:
        if getattr(settings, "PRODUCTION", False):
            return [
                Warning(
                    f"SANYI_SMS_PROVIDER={name}: no text message reaches anyone, so applicants "
                    "cannot sign in and SMS notifications are not delivered.",
                    hint="Set SANYI_SMS_PROVIDER to the dotted path of the SMS gateway class.",
                    id="sanyi.notify.W001",
                )
            ]
        return []
    try:
        provider = import_string(name)
    except ImportError as exc:
        return [
            Error(f"SANYI_SMS_PROVIDER={name} cannot be imported: {exc}", id="sanyi.notify.E001")
        ]
    if not callable(getattr(provider, "send", None)):
        return [Error(f"SANYI_SMS_PROVIDER={name} has no send() method", id="sanyi.notify.E002")]
    return []
