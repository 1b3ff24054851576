"""50 residents race for the last places of a slot (PostgreSQL: real concurrent
transactions). Exactly the capacity succeeds; the slot's count matches its bookings."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from sanyi.applicants.tests import factories as af
from sanyi.appointments.models import Booking, Slot
from sanyi.appointments.services import FULL, booking_create

from .factories import future_slots, generate, place

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_fifty_threads_racing_for_the_last_places_book_exactly_the_capacity():
    from django.utils import timezone

    p = place(capacity=3)
    generate(p, today=timezone.localdate(), weeks=2)
    slot = future_slots(p)[0]
    # One place is taken already: two are left for fifty residents.
    first = af.person()
    booking_create(actor="x", applicant=first, slot_id=slot.pk, item=p.item)
    people = [af.person() for _ in range(50)]
    barrier = threading.Barrier(50)
    won, full, errors = [], [], []

    def racer(person):
        try:
            barrier.wait()
            booking_create(actor=person.audit_label, applicant=person, slot_id=slot.pk, item=p.item)
            won.append(person.pk)
        except ValidationError as exc:
            (full if FULL in exc.messages else errors).append(exc)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer, args=(person,)) for person in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(won) == 2
    assert len(full) == 48
    slot = Slot.objects.get(pk=slot.pk)
    assert slot.booked == slot.capacity == 3
    assert Booking.objects.filter(slot=slot).count() == 3


def test_four_parallel_reminder_runs_remind_each_booking_exactly_once(monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from sanyi.appointments.services import bookings_remind
    from sanyi.notify.models import OutboxMessage
    from sanyi.notify.services import messages

    monkeypatch.setattr(messages, "enqueue_delivery", lambda ids: None)
    p = place(capacity=20)
    generate(p, today=timezone.localdate(), weeks=2)
    slot = future_slots(p)[0]
    for _ in range(20):
        person = af.person(phone="10099990000")
        booking_create(actor="x", applicant=person, slot_id=slot.pk, item=p.item)
    eve = timezone.localtime(slot.starts_at) - dt.timedelta(days=1)
    barrier = threading.Barrier(4)
    counts, errors = [], []

    def runner():
        try:
            barrier.wait()
            counts.append(bookings_remind(now=eve))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sum(counts) == 20
    sms = OutboxMessage.objects.filter(channel="sms", event="appointment.reminder")
    assert sms.count() == 20
    assert Booking.objects.filter(reminded_at__isnull=True).count() == 0
