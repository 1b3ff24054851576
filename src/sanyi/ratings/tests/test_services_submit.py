"""Submitting a rating: one per concluded case, validated, audited; a bad one opens a
rectification for the handling unit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.cases.choices import EventKind
from sanyi.notify.models import Message
from sanyi.ratings import services
from sanyi.ratings.models import Rating, Rectification
from sanyi.ratings.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_rating_records_level_criteria_and_trimmed_comment(world):
    # when
    rating = f.rated(world, 5, criteria={"efficiency": 5, "platform": "4"}, comment=" 很好 ")

    # then
    assert rating.level == 5 and rating.channel == "online"
    assert rating.criteria == {"efficiency": 5, "platform": 4}
    assert rating.comment == "很好"
    assert rating.rated_on == f.RATED_ON and not rating.excluded


def test_a_rating_is_stamped_with_the_case_units_item_and_window(world):
    case = f.case(world)

    rating = f.rated(world, 4, case_=case)

    assert rating.unit == world["comm1"]  # where the case was accepted
    assert rating.handling_unit == world["dept"]  # who handles the item
    assert rating.item == case.implementation_item
    assert rating.window == world["window"]
    assert rating.applicant == case.applicant


def test_the_rating_pad_window_wins_over_the_case_window(world):
    rating = f.rated(world, 4, channel="offline", window=world["window2"])

    assert rating.window == world["window2"]


def test_an_online_rating_of_a_case_without_window_has_no_window(world):
    rating = f.rated(world, 4, case_=f.case(world, window=None))

    assert rating.window is None


@pytest.mark.parametrize("status", ["concluded", "delivered"])
def test_concluded_and_delivered_cases_can_be_rated(world, status):
    rating = f.rated(world, 5, case_=f.case(world, status=status))

    assert Rating.objects.filter(pk=rating.pk).exists()


@pytest.mark.parametrize(
    "status", ["draft", "precheck", "awaiting_acceptance", "in_progress", "suspended", "withdrawn"]
)
def test_a_case_before_its_conclusion_cannot_be_rated(world, status):
    case = f.case(world, status=status)

    with pytest.raises(ValidationError, match="办结后才能评价"):
        f.rated(world, 5, case_=case)
    assert not Rating.objects.filter(case=case).exists()


def test_a_case_is_rated_only_once(world):
    case = f.case(world)
    f.rated(world, 5, case_=case)

    with pytest.raises(ValidationError, match="只能评价一次") as exc:
        f.rated(world, 1, case_=case)

    assert set(exc.value.message_dict) == {"case"}
    assert Rating.objects.get(case=case).level == 5
    assert not Rectification.objects.filter(rating__case=case).exists()


@pytest.mark.parametrize("level", [0, 6, -1, "x", None, ""])
def test_a_level_outside_one_to_five_is_refused(world, level):
    with pytest.raises(ValidationError) as exc:
        f.rated(world, level)

    assert exc.value.message_dict == {"level": ["请选择总体评价（1至5）"]}
    assert not Rating.objects.exists()


def test_the_level_may_come_as_text_from_a_form(world):
    assert f.rated(world, "3").level == 3


def test_an_unknown_channel_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        f.rated(world, 5, channel="phone")

    assert exc.value.message_dict == {"channel": ["评价渠道不正确"]}


def test_criteria_of_the_other_channel_are_refused(world):
    # "attitude" belongs to the window pad, "platform" to the website
    with pytest.raises(ValidationError) as exc:
        f.rated(world, 5, channel="online", criteria={"attitude": 5})

    assert "attitude" in exc.value.message_dict["criteria"][0]


def test_the_window_pad_has_its_own_criteria(world):
    rating = f.rated(world, 4, channel="offline", criteria={"attitude": 3, "service_level": 5})

    assert rating.criteria == {"attitude": 3, "service_level": 5}


@pytest.mark.parametrize("value", [0, 6, "很好"])
def test_a_criterion_out_of_range_names_that_criterion(world, value):
    with pytest.raises(ValidationError) as exc:
        f.rated(world, 5, criteria={"efficiency": value})

    assert exc.value.message_dict == {"efficiency": ["“办事效率”的评价应为1至5"]}


def test_blank_criteria_are_left_out(world):
    rating = f.rated(world, 5, criteria={"efficiency": "", "platform": None, "convenience": 2})

    assert rating.criteria == {"convenience": 2}


def test_all_errors_are_reported_together(world):
    with pytest.raises(ValidationError) as exc:
        f.rated(world, 9, criteria={"attitude": 5, "efficiency": 9})

    assert set(exc.value.message_dict) == {"level", "efficiency", "criteria"}


def test_a_rating_dated_after_today_is_refused(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as exc:
        f.rated(world, 5, on=tomorrow)

    assert set(exc.value.message_dict) == {"on"}


def test_a_long_comment_is_cut_at_500_characters(world):
    rating = f.rated(world, 5, comment="好" * 600)

    assert rating.comment == "好" * 500


def test_rating_adds_a_case_event_and_an_audit_row_in_the_applicants_name(world):
    case = f.case(world)

    rating = f.rated(world, 4, case_=case, criteria={"efficiency": 4})

    event = case.events.get(kind=EventKind.RATED)
    assert event.actor_label == case.applicant.audit_label
    assert event.note == "评价：满意"
    row = AuditEvent.objects.get(action="ratings.submit", object_id=str(rating.pk))
    assert row.actor is None and row.actor_label == case.applicant.audit_label
    assert row.changes == {"level": 4, "channel": "online", "criteria": {"efficiency": 4}}


def test_a_rating_by_a_staff_user_is_audited_under_that_user(world):
    # e.g. a clerk entering a paper rating form
    case = f.case(world)

    rating = services.rating_submit(case=case, level=5, channel="offline", actor=world["clerk"])

    row = AuditEvent.objects.get(action="ratings.submit", object_id=str(rating.pk))
    assert row.actor == world["clerk"]
    assert case.events.get(kind=EventKind.RATED).actor_label == world["clerk"].username


@pytest.mark.parametrize("level, opens", [(1, True), (2, True), (3, False), (4, False), (5, False)])
def test_only_a_rating_of_two_or_below_opens_a_rectification(world, level, opens):
    rating = f.rated(world, level)

    assert Rectification.objects.filter(rating=rating).exists() is opens
    assert rating.is_bad is opens


def test_a_bad_rating_opens_a_rectification_for_the_handling_unit(world):
    rating = f.rated(world, 2, on=dt.date(2026, 9, 30))

    rectification = rating.rectification
    assert rectification.unit == world["dept"]
    assert rectification.status == "open"
    assert rectification.opened_on == dt.date(2026, 9, 30)
    # five working days after the National Day holiday (10/10 is a working Saturday)
    assert rectification.due_on == dt.date(2026, 10, 13)
    assert not rectification.due_provisional


def test_opening_a_rectification_is_audited_and_told_to_the_handling_unit(world):
    rating = f.rated(world, 1)

    row = AuditEvent.objects.get(
        action="ratings.rectification_open", object_id=str(rating.rectification.pk)
    )
    assert row.actor_label == rating.applicant.audit_label
    assert row.changes == {"due_on": "2026-10-13"}
    told = set(Message.objects.filter(event="rating.bad").values_list("user", flat=True))
    assert world["approver"].pk in told and world["approver2"].pk in told
    assert world["outsider"].pk not in told and world["clerk"].pk not in told
    item = rating.case.implementation_item.base_item.name
    assert all(
        rating.case.short_number in s and item in s
        for s in Message.objects.filter(event="rating.bad").values_list("subject", flat=True)
    )


def test_a_refused_rating_writes_nothing(world):
    case = f.case(world, status="in_progress")

    with pytest.raises(ValidationError):
        f.rated(world, 1, case_=case)

    assert not AuditEvent.objects.filter(action__startswith="ratings.").exists()
    assert not case.events.filter(kind=EventKind.RATED).exists()
    assert not Message.objects.filter(event="rating.bad").exists()
