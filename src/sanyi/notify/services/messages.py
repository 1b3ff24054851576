"""Writing notifications: the inbox row, one outbox row per external channel, delivery arranged
after commit; and the recipient marking messages read.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sanyi.notify.models import (
    Channel,
    Message,
    OutboxMessage,
    WebhookAudience,
    WebhookSubscription,
)

if TYPE_CHECKING:
    from django.db.models import Model

    from sanyi.orgs.models import OrgUnit, User

log = logging.getLogger(__name__)


class ApplicantContact(Protocol):
    """What notify reads of an applicant (``applicants.Applicant``, an app above this one)."""

    @property
    def email(self) -> str: ...

    @property
    def phone(self) -> str: ...


# --- writing ----------------------------------------------------------------------------


def staff_sms_enabled() -> bool:
    return bool(getattr(settings, "SANYI_NOTIFY_STAFF_SMS", False))


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


def _object_ref(obj: Model | None) -> tuple[str, str]:
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
    applicant: ApplicantContact | None = None,
    user: User | None = None,
    event: str,
    subject: str,
    body: str,
    link: str,
    obj: Model | None,
    dedupe_key: str,
    channels: list[tuple[str, str, WebhookSubscription | None]],
    object_ref: tuple[str, str] | None = None,
) -> tuple[Message, list[int]] | None:
    """One inbox row and its outbox rows (with their ids); ``None`` when the dedupe key was
    already used. ``object_ref`` (type, id) stands for ``obj`` when the caller holds no
    instance."""
    recipient: dict[str, object] = (
        {"applicant": applicant} if applicant is not None else {"user": user}
    )
    dedupe_key = dedupe_key[:200]
    if dedupe_key and Message.objects.filter(dedupe_key=dedupe_key, **recipient).exists():
        return None
    object_type, object_id = object_ref or _object_ref(obj)
    fields = {
        "event": event,
        "subject": subject[:200],
        "body": body,
        "link": link,
        "object_type": object_type,
        "object_id": object_id,
        "dedupe_key": dedupe_key,
        **recipient,
    }
    if dedupe_key:
        try:
            # A savepoint, so a concurrent insert of the same key does not break the
            # caller's transaction (without a key there is nothing to collide with).
            with transaction.atomic():
                message = Message.objects.create(**fields)
        except IntegrityError:
            return None
    else:
        message = Message.objects.create(**fields)
    now = timezone.now()
    outbox = OutboxMessage.objects.bulk_create(
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
    return message, [row.pk for row in outbox]


# Outbox rows handed to the worker per queued task.
ENQUEUE_CHUNK = 500


class _PendingDelivery:
    """The outbox rows one transaction wrote (at one savepoint depth): handed to the worker
    together once it commits, in tasks of at most ENQUEUE_CHUNK rows."""

    def __init__(self, savepoints: tuple[str, ...]) -> None:
        self.savepoints = savepoints
        self.ids: list[int] = []
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        for start in range(0, len(self.ids), ENQUEUE_CHUNK):
            enqueue_delivery(self.ids[start : start + ENQUEUE_CHUNK])


def _schedule_delivery(outbox_ids: list[int]) -> None:
    """Queue delivery of the rows once the transaction commits (at once outside one).

    The messages of one transaction (an acceptance tells the applicant and the next
    step's staff) share one queued task. Rows written inside a savepoint join only a batch
    of that same savepoint, so a savepoint rolled back drops its rows' task with them."""
    if not outbox_ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        enqueue_delivery(list(outbox_ids))
        return
    here = tuple(connection.savepoint_ids)
    pending = getattr(connection, "sanyi_pending_delivery", None)
    if (
        pending is None
        or pending.ran
        or pending.savepoints != here
        # Committed or rolled back since: its hook has run or gone.
        or not any(hook is pending for _, hook, _ in connection.run_on_commit)
    ):
        pending = _PendingDelivery(here)
        connection.sanyi_pending_delivery = pending
        transaction.on_commit(pending)
    pending.ids.extend(outbox_ids)


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
    applicant: ApplicantContact,
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
    with transaction.atomic(savepoint=False):
        made = _write_message(
            applicant=applicant,
            event=event,
            subject=subject,
            body=body,
            link=link,
            obj=obj,
            dedupe_key=dedupe_key,
            channels=channels,
        )
        if made is None:
            return []
        message, outbox_ids = made
        _schedule_delivery(outbox_ids)
    return [message]


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
    from sanyi.notify.services.bulk import StaffNotice, notify_staff_many

    _clean_common(event=event, subject=subject, link=link)
    recipients = staff_recipients(users=users, unit=unit, roles=roles)
    # One INSERT for the inbox rows and one for the outbox rows, however many recipients.
    return notify_staff_many(
        [
            StaffNotice(
                event=event,
                subject=subject,
                body=body,
                users=recipients,
                link=link,
                obj=obj,
                dedupe_key=dedupe_key,
            )
        ]
    )


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
    recipient: dict[str, Model | None] = (
        {"applicant": applicant} if applicant is not None else {"user": user}
    )
    return Message.objects.filter(read_at__isnull=True, **recipient).update(
        read_at=now or timezone.now()
    )
