"""Ratings, rectifications and appeals change state through the shared transition helper
(sanyi.core.transitions): a step from the wrong status is refused before anything changes,
and every audit row is written through the helper's step."""

import pytest
from django.core.exceptions import ValidationError

from sanyi.audit.models import AuditEvent
from sanyi.audit.services import audit_record
from sanyi.core import transitions
from sanyi.ratings import services
from sanyi.ratings.models import Rating
from sanyi.ratings.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def through_helper(monkeypatch):
    """The audit actions written through the helper's steps (and only those)."""
    seen: list[str] = []

    def writer(**kwargs):
        seen.append(kwargs["action"])
        return audit_record(**kwargs)

    monkeypatch.setattr(transitions, "_audit_writer", writer)
    return seen


def test_rating_a_case_not_yet_concluded_is_refused_by_the_helper(world, through_helper):
    case = f.case(world, status="in_progress")
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        f.rated(world, case_=case)

    assert refused.value.message_dict == {"case": ["办件办结后才能评价"]}
    assert not Rating.objects.exists()
    assert AuditEvent.objects.count() == before and through_helper == []


def test_a_second_step_on_an_ended_rectification_is_refused_and_audits_nothing(
    world, through_helper
):
    rectification = f.rectified(world)
    before = AuditEvent.objects.count()
    through_helper.clear()

    with pytest.raises(ValidationError) as refused:
        services.rectification_complete(
            rectification=rectification, measures="再次整改", actor=world["approver"]
        )

    assert refused.value.message_dict == {"measures": ["这项整改已经结束"]}
    assert AuditEvent.objects.count() == before and through_helper == []


def test_every_step_is_audited_through_the_helper(world, through_helper):
    f.rectified(world)
    f.decided(world, upheld=True)

    assert through_helper == [
        "ratings.submit",
        "ratings.rectification_open",
        "ratings.return_visit",
        "ratings.rectification_done",
        "ratings.submit",
        "ratings.rectification_open",
        # filing an appeal makes a new record and changes no state: audited directly
        "ratings.appeal_decide",
    ]
    assert AuditEvent.objects.filter(action="ratings.appeal_file").count() == 1
