"""Parallel deliverers never send a row twice (PostgreSQL: real concurrent transactions)."""

import threading

import pytest
from django.db import connection

from sanyi.applicants.tests import factories as af
from sanyi.notify.models import DeliveryStatus, OutboxMessage
from sanyi.notify.services import messages, notify_applicant, outbox_deliver_due


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_four_parallel_deliverers_send_each_of_50_messages_exactly_once(memory_sms, monkeypatch):
    # The queue hand-off (in the module that writes messages) is switched off: all 50 rows
    # wait for the deliverers below.
    monkeypatch.setattr(messages, "enqueue_delivery", lambda ids: None)
    person = af.person(email="", phone="10099990000")
    for i in range(50):
        notify_applicant(applicant=person, event="case.accepted", subject=f"消息{i}", body="")
    assert OutboxMessage.objects.filter(status=DeliveryStatus.PENDING).count() == 50

    barrier = threading.Barrier(4)
    errors = []

    def deliverer():
        try:
            barrier.wait()
            outbox_deliver_due()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliverer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    texts = sorted(s.text for s in memory_sms.sent)
    assert len(texts) == 50
    assert len(set(texts)) == 50
    assert OutboxMessage.objects.filter(status=DeliveryStatus.SENT).count() == 50
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
