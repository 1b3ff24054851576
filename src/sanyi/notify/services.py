"""Writing notifications and recording their delivery.

``notify_applicant`` and ``notify_staff`` are called by other apps inside their own
transaction. They write the inbox row (the in-app channel) and one outbox row per external
channel, and arrange for delivery after commit: a rolled-back transaction sends nothing.

Delivery (``outbox_deliver``) claims one row with a conditional UPDATE, so two workers never
send the same row; a failure is retried with exponential backoff and jitter, and after
``SANYI_NOTIFY_MAX_ATTEMPTS`` attempts the row is marked dead (a staff admin may re-queue it).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import re
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor
from sanyi.notify.models import (
    Channel,
    DeliveryStatus,
    Message,
    OutboxMessage,
    WebhookAudience,
    WebhookSubscription,
)

if TYPE_CHECKING:
    from django.db.models import Model

    from sanyi.orgs.models import OrgUnit, User

log = logging.getLogger(__name__)

SWEEPER_ACTOR = "系统：消息发送"
DUE_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


# --- settings ---------------------------------------------------------------------------


def max_attempts() -> int:
    return int(getattr(settings, "SANYI_NOTIFY_MAX_ATTEMPTS", 8))


def backoff_base_seconds() -> int:
    return int(getattr(settings, "SANYI_NOTIFY_BACKOFF_SECONDS", 60))


def backoff_max_seconds() -> int:
    return int(getattr(settings, "SANYI_NOTIFY_BACKOFF_MAX_SECONDS", 6 * 60 * 60))


def sending_timeout() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "SANYI_NOTIFY_SENDING_TIMEOUT_MINUTES", 15)))


def staff_sms_enabled() -> bool:
    return bool(getattr(settings, "SANYI_NOTIFY_STAFF_SMS", False))


def backoff_delay(attempts: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt: base × 2^(n-1), capped,
    with "full jitter" in its upper half so retries of many rows spread out."""
    rng = rng or random
    ceiling = min(backoff_max_seconds(), backoff_base_seconds() * 2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=ceiling / 2 + rng.uniform(0, ceiling / 2))


# --- writing ----------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"^1\d{10}$")


def is_mobile(phone: str) -> bool:
    """Whether a phone on file can take a text (a mainland mobile; landlines cannot)."""
    return bool(phone) and bool(_MOBILE_RE.match(phone.replace(" ", "").replace("-", "")))


def _clean_common(*, event: str, subject: str, link: str) -> None:
    errors = {}
    if not event or len(event) > 64 or " " in event:
        errors["event"] = "事件代码不能为空，不超过64个字符，不含空格"
    if not subject.strip():
        errors["subject"] = "消息标题不能为空"
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        errors["link"] = "链接须为本站地址，以“/”开头"
    if errors:
        raise ValidationError(errors)


def _object_ref(obj: Model) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def _webhook_subscriptions(event: str, *, to_applicant: bool) -> list[WebhookSubscription]:
    audiences = [
        WebhookAudience.ALL,
        WebhookAudience.APPLICANTS if to_applicant else WebhookAudience.STAFF,
    ]
    subs = WebhookSubscription.objects.filter(is_active=True, audience__in=audiences)
    return [s for s in subs if s.matches(event, to_applicant=to_applicant)]


def _write_message(
    *,
    applicant: Model | None = None,
    user: User | None = None,
    event: str,
    subject: str,
    body: str,
    link: str,
    obj: Model,
    dedupe_key: str,
    channels: list[tuple[str, str, WebhookSubscription | None]],
) -> Message | None:
    """One inbox row and its outbox rows; ``None`` when the dedupe key was already used."""
    recipient = {"applicant": applicant} if applicant is not None else {"user": user}
    dedupe_key = dedupe_key[:200]
    if dedupe_key and Message.objects.filter(dedupe_key=dedupe_key, **recipient).exists():
        return None
    object_type, object_id = _object_ref(obj)
    try:
        # A savepoint, so a concurrent insert of the same key does not break the caller's
        # transaction.
        with transaction.atomic():
            message = Message.objects.create(
                event=event,
                subject=subject[:200],
                body=body,
                link=link,
                object_type=object_type,
                object_id=object_id,
                dedupe_key=dedupe_key,
                **recipient,
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(
                message=message,
                channel=channel,
                event=event,
                address=address,
                subscription=sub,
                next_attempt_at=now,
            )
            for channel, address, sub in channels
        ]
    )
    return message


def _schedule_delivery(messages: list[Message]) -> None:
    ids = list(OutboxMessage.objects.filter(message__in=messages).values_list("pk", flat=True))
    if ids:
        transaction.on_commit(lambda: enqueue_delivery(ids))


def enqueue_delivery(outbox_ids: list[int]) -> None:
    """Hand rows to the worker. If the queue is unreachable the rows stay pending and the
    sweeper sends them; nothing is lost."""
    from sanyi.notify.tasks import deliver_outbox

    try:
        deliver_outbox.enqueue(list(outbox_ids))
    except Exception:
        log.exception("could not enqueue notification delivery; the sweeper will send it")


def notify_applicant(
    *,
    applicant: Model,
    event: str,
    subject: str,
    body: str,
    link: str = "",
    obj: Model | None = None,
    dedupe_key: str = "",
    email: str | None = None,
    phone: str | None = None,
) -> list[Message]:
    """Write one message to the applicant's inbox, with email and SMS deliveries where the
    profile has an address, and webhook deliveries for matching subscriptions. ``email``
    and ``phone``, when given (also as ""), replace the profile's: a request for information
    is answered to the contact written on it. Runs in the caller's transaction; returns the
    messages written ([] when deduplicated)."""
    _clean_common(event=event, subject=subject, link=link)
    email = applicant.email if email is None else email
    phone = applicant.phone if phone is None else phone
    channels: list[tuple[str, str, WebhookSubscription | None]] = []
    if email:
        channels.append((Channel.EMAIL, email, None))
    if is_mobile(phone):
        channels.append((Channel.SMS, phone, None))
    channels += [
        (Channel.WEBHOOK, s.url, s) for s in _webhook_subscriptions(event, to_applicant=True)
    ]
    with transaction.atomic():
        message = _write_message(
            applicant=applicant,
            event=event,
            subject=subject,
            body=body,
            link=link,
            obj=obj,
            dedupe_key=dedupe_key,
            channels=channels,
        )
        written = [message] if message else []
        _schedule_delivery(written)
    return written


def staff_recipients(
    *, users: Iterable[User] | None = None, unit: OrgUnit | None = None, roles: Iterable[str] = ()
) -> list:
    """The given users, or every active user holding one of ``roles`` on ``unit`` or a unit
    above it (whose scope covers the unit). Superusers count as system admins everywhere."""
    from django.contrib.auth import get_user_model

    from sanyi.orgs.models import Role, RoleAssignment

    User = get_user_model()
    if users is not None:
        return [u for u in users if u.is_active]
    roles = list(roles)
    if unit is None or not roles:
        raise ValidationError({"users": "请指定接收人，或指定单位和角色"})
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"未知角色：{'、'.join(sorted(unknown))}"})
    holders = RoleAssignment.objects.filter(
        is_active=True, role__in=roles, org_unit_id__in=unit.ancestor_ids
    ).values("user_id")
    q = Q(pk__in=holders)
    if Role.SYSTEM_ADMIN in roles:
        q |= Q(is_superuser=True)
    return list(User.objects.filter(q, is_active=True).order_by("pk"))


def platform_admins() -> list:
    """Who answers for the platform as a whole: active holders of the system-admin role on
    a top-level unit (their scope is every unit), and superusers."""
    from django.contrib.auth import get_user_model

    from sanyi.orgs.models import Role, RoleAssignment

    holders = RoleAssignment.objects.filter(
        is_active=True, role=Role.SYSTEM_ADMIN, org_unit__parent__isnull=True
    ).values("user_id")
    return list(
        get_user_model()
        .objects.filter(Q(pk__in=holders) | Q(is_superuser=True), is_active=True)
        .order_by("pk")
    )


def notify_staff(
    *,
    event: str,
    subject: str,
    body: str,
    link: str = "",
    obj: Model | None = None,
    users: Iterable[User] | None = None,
    unit: OrgUnit | None = None,
    roles: Iterable[str] = (),
    dedupe_key: str = "",
) -> list[Message]:
    """Write one message to each recipient's inbox (see ``staff_recipients``), with email
    deliveries where the account has an address, SMS when ``SANYI_NOTIFY_STAFF_SMS`` is on,
    and matching webhooks. Runs in the caller's transaction."""
    _clean_common(event=event, subject=subject, link=link)
    recipients = staff_recipients(users=users, unit=unit, roles=roles)
    webhooks = _webhook_subscriptions(event, to_applicant=False)
    sms = staff_sms_enabled()
    written: list[Message] = []
    with transaction.atomic():
        for user in recipients:
            channels: list[tuple[str, str, WebhookSubscription | None]] = []
            if user.email:
                channels.append((Channel.EMAIL, user.email, None))
            if sms and is_mobile(user.phone):
                channels.append((Channel.SMS, user.phone, None))
            channels += [(Channel.WEBHOOK, s.url, s) for s in webhooks]
            message = _write_message(
                user=user,
                event=event,
                subject=subject,
                body=body,
                link=link,
                obj=obj,
                dedupe_key=dedupe_key,
                channels=channels,
            )
            if message:
                written.append(message)
        _schedule_delivery(written)
    return written


# --- reading state changes by the recipient ---------------------------------------------


def message_mark_read(*, message: Message, now: datetime | None = None) -> Message:
    """Mark one inbox message read (no audit row: reading is not a change of record)."""
    if message.read_at is None:
        message.read_at = now or timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


def messages_mark_all_read(
    *, applicant: Model | None = None, user: User | None = None, now: datetime | None = None
) -> int:
    if (applicant is None) == (user is None):
        raise ValueError("name exactly one recipient")
    recipient = {"applicant": applicant} if applicant is not None else {"user": user}
    return Message.objects.filter(read_at__isnull=True, **recipient).update(
        read_at=now or timezone.now()
    )


# --- delivery ---------------------------------------------------------------------------


def outbox_claim(
    *, outbox_id: int, now: datetime | None = None
) -> tuple[OutboxMessage, str] | None:
    """Take one due row for sending. The conditional UPDATE is atomic on every database:
    of several workers racing for the same row exactly one gets rowcount 1."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = OutboxMessage.objects.filter(
        pk=outbox_id, status__in=DUE_STATUSES, next_attempt_at__lte=now
    ).update(status=DeliveryStatus.SENDING, claimed_at=now, claim_token=token, updated_at=now)
    if claimed != 1:
        return None
    row = OutboxMessage.objects.select_related(
        "message", "message__applicant", "message__user", "subscription"
    ).get(pk=outbox_id)
    return row, token


def _finish(row: OutboxMessage, token: str, **fields: Any) -> bool:
    fields["updated_at"] = timezone.now()
    done = OutboxMessage.objects.filter(
        pk=row.pk, status=DeliveryStatus.SENDING, claim_token=token
    ).update(**fields)
    return done == 1


def outbox_deliver(*, outbox_id: int, now: datetime | None = None) -> str | None:
    """Claim, send and record one row. Returns the new status, or ``None`` when the row was
    not due or another worker had it."""
    from sanyi.notify.channels import DeliveryError, channel_for

    claim = outbox_claim(outbox_id=outbox_id, now=now)
    if claim is None:
        return None
    row, token = claim
    attempts = row.attempts + 1
    try:
        if row.channel == Channel.WEBHOOK and row.subscription is None:
            raise DeliveryError("Webhook 订阅已删除", permanent=True)
        provider_id = channel_for(row.channel).send(row)
    except Exception as exc:
        permanent = isinstance(exc, DeliveryError) and exc.permanent
        error = f"{type(exc).__name__}: {exc}"[:2000]
        dead = permanent or attempts >= max_attempts()
        later = timezone.now() + backoff_delay(attempts)
        _finish(
            row,
            token,
            status=DeliveryStatus.DEAD if dead else DeliveryStatus.FAILED,
            attempts=attempts,
            last_error=error,
            next_attempt_at=later,
        )
        if not dead:
            _schedule_retry(row.pk, later)
        log.warning(
            "notification %s via %s failed (attempt %s): %s", row.pk, row.channel, attempts, error
        )
        return DeliveryStatus.DEAD if dead else DeliveryStatus.FAILED
    _finish(
        row,
        token,
        status=DeliveryStatus.SENT,
        attempts=attempts,
        sent_at=timezone.now(),
        last_error="",
        provider_message_id=(provider_id or "")[:200],
    )
    return DeliveryStatus.SENT


def _schedule_retry(outbox_id: int, at: dt.datetime) -> None:
    """Queue the retry for its time when the backend can defer; the sweeper covers the rest."""
    from django_tasks import default_task_backend

    from sanyi.notify.tasks import deliver_outbox

    if not default_task_backend.supports_defer:
        return
    try:
        deliver_outbox.using(run_after=at).enqueue([outbox_id])
    except Exception:
        log.exception("could not queue a retry; the sweeper will pick the row up")


def outbox_release_stuck(*, now: datetime | None = None) -> int:
    """Rows left in "sending" longer than the timeout (a worker died mid-send) go back to
    the queue as a failed attempt. The send may have happened: this trades a rare duplicate
    for never losing a message."""
    now = now or timezone.now()
    stuck = OutboxMessage.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - sending_timeout()
    )
    return stuck.update(
        status=DeliveryStatus.FAILED,
        attempts=models.F("attempts") + 1,
        last_error="发送中断（进程退出或超时），重新排队",
        next_attempt_at=now,
        claim_token="",
        updated_at=now,
    )


def outbox_deliver_due(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """The sweeper: release stuck rows, then deliver every due row (oldest first)."""
    now = now or timezone.now()
    released = outbox_release_stuck(now=now)
    # Rows released past the attempt limit die here rather than being sent again.
    OutboxMessage.objects.filter(status=DeliveryStatus.FAILED, attempts__gte=max_attempts()).update(
        status=DeliveryStatus.DEAD, updated_at=now
    )
    ids = list(
        OutboxMessage.objects.filter(status__in=DUE_STATUSES, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"released": released, "sent": 0, "failed": 0, "dead": 0, "skipped": 0}
    for pk in ids:
        result = outbox_deliver(outbox_id=pk, now=now)
        counts[str(result) if result else "skipped"] += 1
    return counts


@transaction.atomic
def outbox_requeue(
    *, actor: Actor, outbox: OutboxMessage, now: datetime | None = None
) -> OutboxMessage:
    """Give a dead (or failed) delivery a fresh set of attempts, sent at once."""
    outbox = OutboxMessage.objects.select_for_update().get(pk=outbox.pk)
    if outbox.status not in (DeliveryStatus.DEAD, DeliveryStatus.FAILED):
        raise ValidationError({"status": "只有发送失败或已停止的消息可以重新发送"})
    if outbox.channel == Channel.WEBHOOK and outbox.subscription_id is None:
        raise ValidationError({"subscription": "该 Webhook 订阅已删除，无法重新发送"})
    before = outbox.status
    now = now or timezone.now()
    outbox.status = DeliveryStatus.PENDING
    outbox.attempts = 0
    outbox.next_attempt_at = now
    outbox.claim_token = ""
    outbox.save(
        update_fields=["status", "attempts", "next_attempt_at", "claim_token", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="notify.requeue",
        obj=outbox,
        changes={"status": [before, DeliveryStatus.PENDING]},
    )
    pk = outbox.pk
    transaction.on_commit(lambda: enqueue_delivery([pk]))
    return outbox


def outbox_keep_days() -> int:
    return int(getattr(settings, "SANYI_OUTBOX_KEEP_DAYS", 90))


@transaction.atomic
def outbox_prune(*, actor: Actor, now: datetime | None = None, keep_days: int | None = None) -> int:
    """Delete delivered outbox rows sent more than ``keep_days`` (``SANYI_OUTBOX_KEEP_DAYS``)
    ago, so the table holds what is still worth looking at. Failed and stopped rows stay
    until someone deals with them; the inbox message itself is never touched. One audit
    row records how many went."""
    now = now or timezone.now()
    keep_days = outbox_keep_days() if keep_days is None else keep_days
    if keep_days < 1:
        raise ValidationError({"keep_days": "投递记录至少保留1天"})
    cutoff = now - dt.timedelta(days=keep_days)
    old = OutboxMessage.objects.filter(status=DeliveryStatus.SENT, sent_at__lt=cutoff)
    deleted, _ = old.delete()
    if deleted:
        audit_record(
            actor=actor,
            action="notify.outbox_prune",
            object_type=OutboxMessage._meta.label_lower,
            object_repr=f"{cutoff:%Y-%m-%d %H:%M} 前已发送的投递记录",
            changes={"deleted": deleted, "sent_before": cutoff, "keep_days": keep_days},
        )
    return deleted


# --- webhook subscriptions ----------------------------------------------------------------

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
