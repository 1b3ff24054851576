"""Delivering the outbox: claiming a row, sending it, retrying with backoff, the sweeper,
re-queueing and pruning.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor
from sanyi.notify.models import (
    Channel,
    DeliveryStatus,
    OutboxMessage,
)
from sanyi.notify.services.messages import enqueue_delivery

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


def backoff_delay(attempts: int, *, rng: random.Random | None = None) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt: base × 2^(n-1), capped,
    with "full jitter" in its upper half so retries of many rows spread out."""
    uniform = rng.uniform if rng is not None else random.uniform
    ceiling = min(backoff_max_seconds(), backoff_base_seconds() * 2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=ceiling / 2 + uniform(0, ceiling / 2))


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
