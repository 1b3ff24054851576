"""Delivering outbox rows: claim, retries with backoff, dead rows, the sweeper, re-queue."""

import datetime as dt
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanyi.applicants.tests import factories as af
from sanyi.audit.models import AuditEvent
from sanyi.notify import services
from sanyi.notify.models import Channel, DeliveryStatus, OutboxMessage
from sanyi.notify.services import notify_applicant, outbox_deliver, outbox_deliver_due

pytestmark = pytest.mark.django_db


def sms_row(**applicant_fields) -> OutboxMessage:
    person = af.person(email="", **applicant_fields)
    # Not inside captured on-commit callbacks: the row stays pending until we deliver it.
    [message] = notify_applicant(applicant=person, event="case.accepted", subject="已受理", body="")
    return message.deliveries.get(channel=Channel.SMS)


def test_a_row_is_claimed_by_one_deliverer_only(memory_sms):
    row = sms_row()
    claim = services.outbox_claim(outbox_id=row.pk)
    assert claim is not None
    assert services.outbox_claim(outbox_id=row.pk) is None  # a second worker gets nothing
    assert outbox_deliver(outbox_id=row.pk) is None
    assert memory_sms.sent == []


def test_failure_is_recorded_and_retried_later_with_backoff(memory_sms, settings):
    settings.SANYI_NOTIFY_BACKOFF_SECONDS = 60
    row = sms_row()
    memory_sms.fail_with = ConnectionError("网关无响应")
    before = timezone.now()
    assert outbox_deliver(outbox_id=row.pk) == DeliveryStatus.FAILED
    row.refresh_from_db()
    assert row.attempts == 1 and "网关无响应" in row.last_error
    # First retry between half and all of the base delay.
    assert before + dt.timedelta(seconds=29) <= row.next_attempt_at
    assert row.next_attempt_at <= timezone.now() + dt.timedelta(seconds=61)
    # Not due yet: the sweeper leaves it alone.
    assert outbox_deliver_due()["skipped"] == 0
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED and row.attempts == 1
    # Once due, the sweeper sends it.
    memory_sms.fail_with = None
    counts = outbox_deliver_due(now=row.next_attempt_at + dt.timedelta(seconds=1))
    assert counts["sent"] == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2 and row.last_error == ""
    assert len(memory_sms.sent) == 1


def test_backoff_grows_exponentially_up_to_the_cap(settings):
    settings.SANYI_NOTIFY_BACKOFF_SECONDS = 60
    settings.SANYI_NOTIFY_BACKOFF_MAX_SECONDS = 3600
    rng = random.Random(1)
    delays = [services.backoff_delay(n, rng=rng).total_seconds() for n in range(1, 10)]
    for n, delay in enumerate(delays, start=1):
        ceiling = min(3600, 60 * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert delays[-1] <= 3600


def test_after_the_last_attempt_the_row_is_dead(memory_sms, settings):
    settings.SANYI_NOTIFY_MAX_ATTEMPTS = 3
    row = sms_row()
    memory_sms.fail_with = ConnectionError("down")
    far = timezone.now()
    results = []
    for _ in range(3):
        far += dt.timedelta(days=1)
        results.append(outbox_deliver(outbox_id=row.pk, now=far))
    assert results == [DeliveryStatus.FAILED, DeliveryStatus.FAILED, DeliveryStatus.DEAD]
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DEAD and row.attempts == 3
    # Dead rows are never picked up again.
    assert outbox_deliver(outbox_id=row.pk, now=far + dt.timedelta(days=30)) is None


def test_requeue_gives_a_dead_row_fresh_attempts_and_is_audited(
    memory_sms, settings, django_capture_on_commit_callbacks
):
    settings.SANYI_NOTIFY_MAX_ATTEMPTS = 1
    row = sms_row()
    memory_sms.fail_with = ConnectionError("down")
    assert outbox_deliver(outbox_id=row.pk) == DeliveryStatus.DEAD
    memory_sms.fail_with = None
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_requeue(actor="系统：测试", outbox=row)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 1
    assert AuditEvent.objects.filter(action="notify.requeue", object_id=str(row.pk)).exists()
    with pytest.raises(ValidationError):
        services.outbox_requeue(actor="系统：测试", outbox=row)  # sent rows stay sent


def test_sweeper_sends_rows_the_worker_never_got(memory_sms):
    rows = [sms_row() for _ in range(3)]
    assert all(r.status == DeliveryStatus.PENDING for r in rows)
    counts = outbox_deliver_due()
    assert counts["sent"] == 3
    assert len(memory_sms.sent) == 3
    assert outbox_deliver_due()["sent"] == 0  # nothing twice


def test_sweeper_releases_rows_stuck_in_sending_after_the_timeout(memory_sms, settings):
    settings.SANYI_NOTIFY_SENDING_TIMEOUT_MINUTES = 15
    row = sms_row()
    assert services.outbox_claim(outbox_id=row.pk) is not None  # a worker that then died
    assert outbox_deliver_due()["released"] == 0  # still within the timeout
    later = timezone.now() + dt.timedelta(minutes=16)
    counts = outbox_deliver_due(now=later)
    assert counts["released"] == 1 and counts["sent"] == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 2


def test_a_stale_worker_cannot_overwrite_the_outcome_of_a_newer_claim(memory_sms, settings):
    row = sms_row()
    stale_row, stale_token = services.outbox_claim(outbox_id=row.pk)
    services.outbox_release_stuck(now=timezone.now() + dt.timedelta(hours=1))
    assert outbox_deliver(outbox_id=row.pk, now=timezone.now() + dt.timedelta(hours=1))
    assert not services._finish(stale_row, stale_token, status=DeliveryStatus.FAILED)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT


def test_deliver_command_runs_the_sweeper(memory_sms):
    from io import StringIO

    from django.core.management import call_command

    sms_row()
    out = StringIO()
    call_command("notify", "deliver", stdout=out)
    assert "已发送 1" in out.getvalue()
    assert len(memory_sms.sent) == 1


def test_deleting_a_subscription_stops_its_pending_deliveries():
    sub = services.webhook_subscription_create(
        actor="系统：测试", name="h", url="https://hook.example/x", secret="k" * 20
    )
    person = af.person(phone="")
    [m] = notify_applicant(applicant=person, event="a.b", subject="s", body="")
    row = m.deliveries.get()
    services.webhook_subscription_delete(actor="系统：测试", subscription=sub)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DEAD and row.subscription is None


def test_outbox_prune_deletes_only_delivered_rows_past_the_keep_period(settings):
    from sanyi.notify.services import outbox_prune

    settings.SANYI_OUTBOX_KEEP_DAYS = 30
    person = af.person(email="p@example.cn", phone="13900000000")
    for i in range(4):
        notify_applicant(applicant=person, event="case.accepted", subject=f"消息{i}", body="")
    now = timezone.now()
    rows = list(OutboxMessage.objects.order_by("pk"))
    old, recent, failed_old = rows[0], rows[1], rows[2]
    OutboxMessage.objects.filter(pk=old.pk).update(
        status=DeliveryStatus.SENT, sent_at=now - dt.timedelta(days=31)
    )
    OutboxMessage.objects.filter(pk=recent.pk).update(
        status=DeliveryStatus.SENT, sent_at=now - dt.timedelta(days=29)
    )
    OutboxMessage.objects.filter(pk=failed_old.pk).update(
        status=DeliveryStatus.DEAD, sent_at=None, updated_at=now - dt.timedelta(days=90)
    )
    assert outbox_prune(actor="系统：定时任务", now=now) == 1
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.filter(pk__in=[recent.pk, failed_old.pk]).count() == 2
    audit = AuditEvent.objects.get(action="notify.outbox_prune")
    assert audit.actor_label == "系统：定时任务" and audit.changes["deleted"] == 1
