"""Fifty windows accept the same item on the same day at the same moment (PostgreSQL).

Each thread starts, submits, pre-checks and accepts its own case. Afterwards: fifty
distinct numbers in one unbroken sequence, one case per applicant, none lost or doubled,
and every outbox message of those cases delivered exactly once to the memory SMS
provider, even with extra sweepers racing the workers for the same rows.
"""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from sanyi.calendar.tests.factories import official_calendar
from sanyi.cases import services
from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Case, CaseNumberCounter
from sanyi.cases.tests import factories as f

THREADS = 50


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_acceptances(settings):
    from sanyi.notify.channels import MemorySmsProvider
    from sanyi.notify.models import Channel, DeliveryStatus, OutboxMessage
    from sanyi.notify.services import outbox_deliver_due

    settings.SANYI_SMS_PROVIDER = "memory"
    MemorySmsProvider.reset()
    official_calendar()
    w = f.world()
    item, window, clerk = w["item"], w["window"], w["clerk"]
    people = [f.applicant() for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS, timeout=120)
    errors: list[BaseException] = []
    numbers: list[str] = []
    lock = threading.Lock()

    def worker(person):
        try:
            barrier.wait()
            case = services.case_start(
                applicant=person, item=item, channel="online", actor=person.audit_label
            )
            f.provide_all(case, person.audit_label)
            key = f"submit-{person.pk}"
            case = services.case_submit(case=case, actor=person.audit_label, idempotency_key=key)
            again = services.case_submit(case=case, actor=person.audit_label, idempotency_key=key)
            assert again.pk == case.pk
            results = [{"material": m, "status": "ok"} for m in case.materials.all()]
            case = services.case_precheck(case=case, results=results, actor=clerk)
            case = services.case_accept(case=case, window=window, decision="accept", actor=clerk)
            with lock:
                numbers.append(case.number)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    today = timezone.localdate()
    expected = {f"{item.implementation_code}-{today:%Y%m%d}-{n:04d}" for n in range(1, 51)}
    assert len(numbers) == THREADS and set(numbers) == expected
    cases = Case.objects.filter(implementation_item=item)
    assert cases.count() == THREADS
    assert sorted(cases.values_list("applicant_id", flat=True)) == sorted(p.pk for p in people)
    assert set(cases.values_list("status", flat=True)) == {CaseStatus.IN_PROGRESS}
    assert CaseNumberCounter.objects.get(implementation_code=item.implementation_code).last == 50

    # Sweepers racing for the same rows must not send anything twice.
    def sweep():
        try:
            outbox_deliver_due()
        finally:
            connection.close()

    sweepers = [threading.Thread(target=sweep) for _ in range(4)]
    for t in sweepers:
        t.start()
    for t in sweepers:
        t.join()

    ids = [str(pk) for pk in cases.values_list("pk", flat=True)]
    rows = OutboxMessage.objects.filter(
        message__object_type="cases.case", message__object_id__in=ids
    )
    sms = rows.filter(channel=Channel.SMS)
    # Each applicant got "pre-check passed" and "accepted" by SMS: 2 × 50 rows.
    assert sms.count() == 2 * THREADS
    assert set(rows.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    sent_ids = [s.message_id for s in MemorySmsProvider.sent]
    assert len(sent_ids) == len(set(sent_ids)) == sms.count()
    assert set(sms.values_list("provider_message_id", flat=True)) == set(sent_ids)
    per_phone = {}
    for s in MemorySmsProvider.sent:
        per_phone[s.phone] = per_phone.get(s.phone, 0) + 1
    assert per_phone == {p.phone: 2 for p in people}
    MemorySmsProvider.reset()
