"""The messages of one transaction go to the worker in one queued task, after it commits."""

import pytest
from django.db import transaction

from sanyi.applicants.tests import factories as af
from sanyi.notify.models import OutboxMessage
from sanyi.notify.services import messages, notify_applicant, notify_staff
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The id lists handed to the worker, one per queued task."""
    tasks: list[list[int]] = []
    monkeypatch.setattr(messages, "enqueue_delivery", lambda ids: tasks.append(list(ids)))
    return tasks


def _tell(person, event="case.accepted"):
    return notify_applicant(applicant=person, event=event, subject="已受理", body="")


def _rows(*message_lists) -> list[int]:
    found = OutboxMessage.objects.filter(message__in=[m for ms in message_lists for m in ms])
    return sorted(found.values_list("pk", flat=True))


def test_an_applicant_and_staff_told_in_one_transaction_share_one_task(
    queued, django_capture_on_commit_callbacks
):
    person = af.person(email="li@example.com", phone="10012345678")
    district = of.district()
    approver = of.staff(district, Role.APPROVER)
    approver.email = "approver@example.gov.cn"
    approver.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True) as hooks, transaction.atomic():
        told = _tell(person)
        staff = notify_staff(
            event="case.task_new", subject="新的待办", body="", unit=district, roles=[Role.APPROVER]
        )
        assert queued == []  # nothing before the commit

    assert len(hooks) == 1
    assert [sorted(ids) for ids in queued] == [_rows(told, staff)]
    assert len(queued[0]) == 3  # e-mail and SMS to the applicant, e-mail to the approver


def test_rows_of_a_rolled_back_savepoint_are_not_queued(queued, django_capture_on_commit_callbacks):
    person = af.person(email="wang@example.com")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kept = _tell(person)
        try:
            with transaction.atomic():
                lost_ids = _rows(_tell(person, "case.concluded"))
                raise RuntimeError("the step failed")
        except RuntimeError:
            pass
        later = _tell(person, "case.delivered")

    assert lost_ids and not OutboxMessage.objects.filter(event="case.concluded").exists()
    # Each row that exists queued once, and nothing else (SQLite may give the rolled-back
    # ids again to the rows written after).
    queued_ids = sorted(pk for task in queued for pk in task)
    assert queued_ids == _rows(kept, later)


def test_a_large_batch_is_queued_in_tasks_of_bounded_size(
    queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(messages, "ENQUEUE_CHUNK", 2)
    person = af.person(email="zhao@example.com", phone="10012345679")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        told = _tell(person) + _tell(person, "case.concluded")

    assert [len(task) for task in queued] == [2, 2]
    assert sorted(pk for task in queued for pk in task) == _rows(told)


def test_the_next_transaction_starts_a_task_of_its_own(queued, django_capture_on_commit_callbacks):
    person = af.person(email="sun@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        first = _tell(person)
    with django_capture_on_commit_callbacks(execute=True):
        second = _tell(person, "case.concluded")

    assert queued == [_rows(first), _rows(second)]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_rows_are_queued_at_once(queued):
    person = af.person(email="zhou@example.com")

    told = _tell(person)

    assert queued == [_rows(told)]
