"""Writing many staff notifications at once, for the daily jobs.

``notify_staff_many`` writes what one ``notify_staff`` call per notice would write (the
inbox rows, one outbox row per external channel, delivery after commit, nothing twice for
a recipient and dedupe key) in a fixed number of queries, however many notices there are:
the jobs run over every open case and must not query once per case or per recipient.
``staff_recipients_many`` answers ``staff_recipients(unit=…, roles=…)`` for many units at
once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
from sanyi.notify.services.messages import (
    _clean_common,
    _object_ref,
    _schedule_delivery,
    _write_message,
    is_mobile,
    staff_sms_enabled,
)

if TYPE_CHECKING:
    from django.db.models import Model

    from sanyi.orgs.models import OrgUnit, User

# Keys per ``IN`` list and rows per INSERT: within SQLite's bound on query parameters.
CHUNK = 2000


def chunked(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class StaffNotice:
    """One ``notify_staff`` call: the same message to each of ``users`` (inactive accounts
    are skipped), at most once per user and ``dedupe_key``. The object the message is about
    is ``obj``, or ``object_type`` and ``object_id`` (as ``obj._meta.label_lower`` and its
    pk would give them) when the caller holds no instance."""

    event: str
    subject: str
    body: str
    users: Sequence[User]
    link: str = ""
    obj: Model | None = None
    dedupe_key: str = ""
    object_type: str = ""
    object_id: str = ""

    def object_ref(self) -> tuple[str, str]:
        if self.obj is not None:
            return _object_ref(self.obj)
        return self.object_type, self.object_id


def staff_recipients_many(
    wanted: Iterable[tuple[OrgUnit, Collection[str]]],
) -> dict[tuple[int, frozenset[str]], list[User]]:
    """``staff_recipients(unit=unit, roles=roles)`` for every pair of ``wanted``, keyed by
    (unit id, roles), in two queries whatever the number of units."""
    from django.contrib.auth import get_user_model

    from sanyi.orgs.models import Role, RoleAssignment

    pairs = {(unit.pk, frozenset(roles)): unit for unit, roles in wanted}
    if not pairs:
        return {}
    all_roles = set().union(*(roles for _, roles in pairs))
    unknown = all_roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"未知角色：{'、'.join(sorted(unknown))}"})
    if any(not roles for _, roles in pairs):
        raise ValidationError({"users": "请指定接收人，或指定单位和角色"})
    ancestors = {unit.pk: set(unit.ancestor_ids) for unit in pairs.values()}
    held: dict[int, list[tuple[str, int]]] = {}
    for user_id, role, unit_id in RoleAssignment.objects.filter(
        is_active=True, role__in=all_roles, org_unit_id__in=set().union(*ancestors.values())
    ).values_list("user_id", "role", "org_unit_id"):
        held.setdefault(user_id, []).append((role, unit_id))
    q = Q(pk__in=held)
    if Role.SYSTEM_ADMIN in all_roles:
        q |= Q(is_superuser=True)
    users = list(get_user_model().objects.filter(q, is_active=True).order_by("pk"))
    found: dict[tuple[int, frozenset[str]], list[User]] = {}
    for unit_id, roles in pairs:
        above = ancestors[unit_id]
        found[(unit_id, roles)] = [
            u
            for u in users
            if any(r in roles and at in above for r, at in held.get(u.pk, ()))
            or (Role.SYSTEM_ADMIN in roles and u.is_superuser)
        ]
    return found


def _staff_webhooks() -> list[WebhookSubscription]:
    return list(
        WebhookSubscription.objects.filter(
            is_active=True, audience__in=[WebhookAudience.ALL, WebhookAudience.STAFF]
        )
    )


def _already_sent(pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """The (user, dedupe key) pairs that already have an inbox row."""
    keys = sorted({key for _, key in pairs})
    users = {user for user, _ in pairs}
    sent: set[tuple[int, str]] = set()
    for part in chunked(keys):
        # Both columns and the condition of the partial unique index on (user, dedupe
        # key), word for word, so PostgreSQL uses it however large the inbox has grown
        # (it cannot prove the condition from a long IN list by itself).
        sent.update(
            Message.objects.filter(user_id__in=users, dedupe_key__in=part)
            .filter(user__isnull=False)
            .exclude(dedupe_key="")
            .values_list("user_id", "dedupe_key")
        )
    return sent & pairs


def _new_messages(notices: Sequence[StaffNotice]) -> list[tuple[Message, StaffNotice]]:
    """The inbox rows to write, unsaved: active recipients, once per user and key, none
    for a key the user already had."""
    planned: list[tuple[Message, StaffNotice]] = []
    seen: set[tuple[int, str]] = set()
    wanted = {
        (u.pk, n.dedupe_key[:200]) for n in notices if n.dedupe_key for u in n.users if u.is_active
    }
    done = _already_sent(wanted) if wanted else set()
    for notice in notices:
        object_type, object_id = notice.object_ref()
        key = notice.dedupe_key[:200]
        for user in notice.users:
            if not user.is_active:
                continue
            if key:
                if (user.pk, key) in done or (user.pk, key) in seen:
                    continue
                seen.add((user.pk, key))
            message = Message(
                user=user,
                event=notice.event,
                subject=notice.subject[:200],
                body=notice.body,
                link=notice.link,
                object_type=object_type,
                object_id=object_id,
                dedupe_key=key,
            )
            planned.append((message, notice))
    return planned


def _channels(
    user: User | None, event: str, webhooks: list[WebhookSubscription], sms: bool
) -> list[tuple[str, str, WebhookSubscription | None]]:
    channels: list[tuple[str, str, WebhookSubscription | None]] = []
    if user is None:  # every message written here has a staff recipient
        return channels
    if user.email:
        channels.append((Channel.EMAIL, user.email, None))
    if sms and is_mobile(user.phone):
        channels.append((Channel.SMS, user.phone, None))
    channels += [
        (Channel.WEBHOOK, s.url, s) for s in webhooks if s.matches(event, to_applicant=False)
    ]
    return channels


def _write_one_by_one(
    planned: list[tuple[Message, StaffNotice]], webhooks: list[WebhookSubscription], sms: bool
) -> list[Message]:
    """The careful path after a concurrent writer took one of the keys: each row in its
    own savepoint, as ``notify_staff`` used to write them."""
    written = []
    for message, notice in planned:
        made = _write_message(
            user=message.user,
            event=notice.event,
            subject=notice.subject,
            body=notice.body,
            link=notice.link,
            obj=notice.obj,
            object_ref=notice.object_ref(),
            dedupe_key=notice.dedupe_key,
            channels=_channels(message.user, notice.event, webhooks, sms),
        )
        if made is not None:
            written.append(made[0])
            _schedule_delivery(made[1])
    return written


def notify_staff_many(notices: Iterable[StaffNotice]) -> list[Message]:
    """Write every notice as ``notify_staff(users=notice.users, …)`` would, in order, in a
    fixed number of queries; runs in the caller's transaction and returns the messages
    written (a deduplicated recipient gets none)."""
    notices = list(notices)
    for notice in notices:
        _clean_common(event=notice.event, subject=notice.subject, link=notice.link)
    planned = _new_messages(notices)
    if not planned:
        return []
    webhooks = _staff_webhooks()
    sms = staff_sms_enabled()
    messages = [m for m, _ in planned]
    with transaction.atomic(savepoint=False):
        if any(m.dedupe_key for m in messages):
            try:
                # A savepoint: a concurrent writer may have taken a key since it was read.
                with transaction.atomic():
                    written = _insert(messages)
            except IntegrityError:
                return _write_one_by_one(planned, webhooks, sms)
        else:
            written = _insert(messages)
        now = timezone.now()
        outbox = [
            OutboxMessage(
                message=message,
                channel=channel,
                event=notice.event,
                address=address,
                subscription=sub,
                next_attempt_at=now,
            )
            for message, notice in planned
            for channel, address, sub in _channels(message.user, notice.event, webhooks, sms)
        ]
        _schedule_delivery([row.pk for row in _insert(outbox)])
    return written


def _insert(rows: list[Any]) -> list[Any]:
    """``bulk_create`` in chunks (the rows come back with their ids)."""
    done: list[Any] = []
    for part in chunked(rows):
        done += type(part[0]).objects.bulk_create(part)
    return done
