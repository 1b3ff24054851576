"""The visit API with an Idempotency-Key (a phone's offline draft sent again): one visit,
the same answer; the same key with different content is refused with 409 in Chinese."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from sanyi.cases.choices import TaskStatus
from sanyi.grid.models import Visit
from sanyi.grid.tests.factories import jpeg_with_gps, open_task, signature_png, visit_case

pytestmark = pytest.mark.django_db


def _body(notes: str = "情况属实") -> dict:
    return {
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "outcome": "done",
        "notes": notes,
        "confirmation": "signature",
        "signature": SimpleUploadedFile("signature.png", signature_png(), "image/png"),
        "photos": [SimpleUploadedFile("a.jpg", jpeg_with_gps(), "image/jpeg")],
    }


def _send(api, task, key, body):
    return api.post(
        f"/api/v1/grid/tasks/{task.pk}/visit/", body, format="multipart", HTTP_IDEMPOTENCY_KEY=key
    )


@pytest.fixture
def officer_api(gw):
    api = APIClient()
    api.force_authenticate(gw["officer_a"])
    return api


def test_same_key_twice_records_one_visit_and_answers_the_same(gw, officer_api):
    task = open_task(visit_case(gw))
    body = _body()
    first = _send(officer_api, task, "draft-1", body)
    for f in [body["signature"], *body["photos"]]:
        f.seek(0)
    second = _send(officer_api, task, "draft-1", body)
    assert first.status_code == second.status_code == 201, second.content
    assert first.json() == second.json()
    assert Visit.objects.filter(task=task).count() == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_same_key_with_different_content_is_a_409_problem(gw, officer_api):
    task = open_task(visit_case(gw))
    assert _send(officer_api, task, "draft-2", _body()).status_code == 201
    again = _send(officer_api, task, "draft-2", _body(notes="另一次走访"))
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")
    problem = again.json()
    assert problem["type"] == "urn:sanyi:problem:idempotency-conflict"
    assert "幂等键" in problem["detail"]
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert Visit.objects.count() == 1


def test_a_key_is_one_officers_own(gw, officer_api):
    """Another officer's visit with the same key is not replayed to this one."""
    mine = open_task(visit_case(gw))
    theirs = open_task(visit_case(gw, "文一路4号"))
    other = APIClient()
    other.force_authenticate(gw["officer_b"])
    assert _send(other, theirs, "same-key", _body()).status_code == 201
    answer = _send(officer_api, mine, "same-key", _body())
    assert answer.status_code == 201
    assert answer.json()["task"] == mine.pk


def test_without_a_key_a_second_send_finds_the_step_done(gw, officer_api):
    task = open_task(visit_case(gw))
    assert _send(officer_api, task, "", _body()).status_code == 201
    assert _send(officer_api, task, "", _body()).status_code == 404
    assert Visit.objects.count() == 1


def test_a_too_long_key_is_refused_naming_it(gw):
    from django.core.exceptions import ValidationError

    from sanyi.grid import services

    task = open_task(visit_case(gw))
    data = services.VisitInput(
        visited_at=timezone.now(),
        outcome="done",
        confirmation="signature",
        signature=signature_png(),
    )
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            task=task, actor=gw["officer_a"], data=data, idempotency_key="k" * 81, fingerprint="x"
        )
    assert "idempotency_key" in exc.value.message_dict
