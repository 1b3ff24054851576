"""Webhook subscriptions: created, changed and deleted by a platform admin, audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor
from sanyi.notify.models import (
    DeliveryStatus,
    WebhookAudience,
    WebhookSubscription,
)
from sanyi.notify.services.delivery import DUE_STATUSES

SUBSCRIPTION_FIELDS = ["name", "url", "events", "audience", "is_active"]


def _clean_subscription(sub: WebhookSubscription) -> None:
    errors = {}
    if not sub.event_patterns:
        errors["events"] = "请至少填写一个事件，或填“*”订阅全部"
    for pattern in sub.event_patterns:
        wildcard_ok = pattern == "*" or (pattern.endswith(".*") and pattern.count("*") == 1)
        if " " in pattern or ("*" in pattern and not wildcard_ok):
            errors["events"] = f"事件“{pattern}”的写法不对：写完整事件代码、“前缀.*”或“*”"
    if len(sub.secret or "") < 16:
        errors["secret"] = "签名密钥至少16个字符"  # noqa: S105 - a message, not a secret
    if errors:
        raise ValidationError(errors)
    try:
        sub.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    if getattr(settings, "SANYI_ENV", "") == "production" and not sub.url.startswith("https://"):
        raise ValidationError({"url": "生产环境只允许 https 地址"})


@transaction.atomic
def webhook_subscription_create(
    *,
    actor: Actor,
    name: str,
    url: str,
    secret: str,
    events: str = "*",
    audience: str = WebhookAudience.ALL,
    is_active: bool = True,
) -> WebhookSubscription:
    sub = WebhookSubscription(
        name=name.strip(),
        url=url.strip(),
        secret=secret,
        events=events,
        audience=audience,
        is_active=is_active,
    )
    _clean_subscription(sub)
    sub.save()
    audit_record(
        actor=actor,
        action="notify.webhook_create",
        obj=sub,
        changes={f: [None, getattr(sub, f)] for f in SUBSCRIPTION_FIELDS},
    )
    return sub


@transaction.atomic
def webhook_subscription_update(
    *, actor: Actor, subscription: WebhookSubscription, **fields: Any
) -> WebhookSubscription:
    from sanyi.audit.services import diff, snapshot

    allowed = set(SUBSCRIPTION_FIELDS) | {"secret"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    sub = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    before = snapshot(sub, SUBSCRIPTION_FIELDS)
    secret_changed = "secret" in fields and fields["secret"] and fields["secret"] != sub.secret
    for key, value in fields.items():
        if key == "secret" and not value:
            continue  # an empty secret on the form keeps the current one
        setattr(sub, key, value.strip() if isinstance(value, str) and key != "secret" else value)
    _clean_subscription(sub)
    sub.save()
    changes = diff(before, snapshot(sub, SUBSCRIPTION_FIELDS))
    if secret_changed:
        changes["secret"] = ["***", "***（已更换）"]
    audit_record(actor=actor, action="notify.webhook_update", obj=sub, changes=changes)
    return sub


@transaction.atomic
def webhook_subscription_delete(*, actor: Actor, subscription: WebhookSubscription) -> None:
    sub = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    audit_record(
        actor=actor,
        action="notify.webhook_delete",
        obj=sub,
        changes={f: [getattr(sub, f), None] for f in SUBSCRIPTION_FIELDS},
    )
    # Deliveries not yet made stop: nobody is left to receive them.
    sub.deliveries.filter(status__in=[*DUE_STATUSES, DeliveryStatus.SENDING]).update(
        status=DeliveryStatus.DEAD, last_error="Webhook 订阅已删除", updated_at=timezone.now()
    )
    sub.delete()
