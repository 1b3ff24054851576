"""Creating a case is safe to retry: a repeated start with the same Idempotency-Key returns
the first case. Without it, a client whose answer was lost (the server committed, then the
database went away before the answer was written) made a second case on retry."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.cases import services
from sanyi.cases.models import Case, CaseNumberCounter
from sanyi.cases.tests import factories as f


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_create_retried_with_its_key_returns_the_first_case(w):
    clerk, person = _client(w["clerk"]), f.applicant()
    body = {"applicant": person.pk, "item": w["item"].implementation_code, "channel": "online"}
    url = reverse("api:case-list")
    first = clerk.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    again = clerk.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="start-1")
    assert first.status_code == again.status_code == 201, again.content
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["number"] == again.json()["number"]
    assert Case.objects.filter(applicant=person).count() == 1
    other = clerk.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="start-2")
    assert other.json()["id"] != first.json()["id"]
    plain = clerk.post(url, body, format="json")  # no key: a new case each time, as before
    assert plain.status_code == 201
    assert Case.objects.filter(applicant=person).count() == 3


@pytest.mark.django_db
def test_a_key_reused_for_another_application_is_refused(w):
    person = f.applicant()
    services.case_start(
        applicant=person, item=w["item"], channel="online", actor=w["clerk"], idempotency_key="k"
    )
    with pytest.raises(ValidationError) as exc:
        services.case_start(
            applicant=person,
            item=w["instant_item"],
            channel="online",
            actor=w["clerk"],
            idempotency_key="k",
        )
    assert "幂等键" in str(exc.value)
    r = _client(w["clerk"]).post(
        reverse("api:case-list"),
        {"applicant": person.pk, "item": w["item"].implementation_code, "channel": "window"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert r.status_code == 400 and "幂等键" in r.content.decode()
    assert Case.objects.filter(applicant=person).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_retries_of_one_start_make_one_case_and_leave_no_gap():
    from django.utils import timezone

    from sanyi.calendar.tests.factories import official_calendar

    official_calendar()
    w = f.world()
    person = f.applicant()
    barrier = threading.Barrier(8, timeout=60)
    ids, errors = [], []

    def start():
        try:
            barrier.wait()
            case = services.case_start(
                applicant=person,
                item=w["item"],
                channel="online",
                actor=w["clerk"],
                idempotency_key="same",
            )
            ids.append(case.pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(ids)) == 1 and len(ids) == 8
    assert Case.objects.filter(applicant=person).count() == 1
    counter = CaseNumberCounter.objects.get(
        implementation_code=w["item"].implementation_code, day=timezone.localdate()
    )
    assert counter.last == 1  # the losers' numbers went back
