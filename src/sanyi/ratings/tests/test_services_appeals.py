"""Appeals against a bad rating (申诉复核): filed by the handling unit, decided by another
supervisor over it; an upheld appeal takes the rating out of the statistics."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanyi.audit.models import AuditEvent
from sanyi.notify.models import Message
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f
from sanyi.ratings import services
from sanyi.ratings.choices import AppealStatus, RectificationStatus
from sanyi.ratings.models import RatingAppeal
from sanyi.ratings.selectors import rating_stats
from sanyi.ratings.tests import factories as f

pytestmark = pytest.mark.django_db


def _file(rating, actor, reason="误评，有监控为证"):
    return services.appeal_file(rating=rating, reason=reason, actor=actor)


def _decide(appeal, actor, upheld=True, note="核实监控录像"):
    return services.appeal_decide(appeal=appeal, upheld=upheld, note=note, actor=actor)


# --- filing -----------------------------------------------------------------------------


def test_an_approver_of_the_handling_unit_files_an_appeal(world):
    rating = f.rated(world, 1)

    appeal = _file(rating, world["approver"], reason=" 误评 ")

    assert appeal.status == AppealStatus.PENDING
    assert appeal.reason == "误评" and appeal.filed_by == world["approver"]
    assert appeal.filed_at is not None


def test_filing_is_audited_under_the_filer_and_told_to_the_supervisors_above(world):
    appeal = f.appealed(world)

    row = AuditEvent.objects.get(action="ratings.appeal_file", object_id=str(appeal.pk))
    assert row.actor == world["approver"]
    told = set(Message.objects.filter(event="rating.appeal").values_list("user", flat=True))
    assert {world["supervisor"].pk, world["supervisor2"].pk} <= told
    assert world["approver"].pk not in told


@pytest.mark.parametrize("who", ["clerk", "outsider", "nobody"])
def test_staff_without_a_follow_up_role_on_the_handling_unit_may_not_appeal(world, who):
    rating = f.rated(world, 1)

    with pytest.raises(PermissionDenied):
        _file(rating, world[who])

    assert not RatingAppeal.objects.exists()


def test_the_accepting_units_approver_may_not_appeal_for_the_handling_unit(world):
    # the case was accepted in the community, but the department handled it
    community_approver = org_f.staff(world["comm1"], Role.APPROVER)

    with pytest.raises(PermissionDenied):
        _file(f.rated(world, 1), community_approver)


@pytest.mark.parametrize("level", [3, 4, 5])
def test_only_a_bad_rating_may_be_appealed(world, level):
    with pytest.raises(ValidationError, match="只有差评可以申诉"):
        _file(f.rated(world, level), world["approver"])


def test_an_appeal_needs_a_reason(world):
    with pytest.raises(ValidationError) as exc:
        _file(f.rated(world, 1), world["approver"], reason="  ")

    assert exc.value.message_dict == {"reason": ["请写明申诉理由和证据"]}


def test_only_one_appeal_is_pending_at_a_time(world):
    appeal = f.appealed(world)

    with pytest.raises(ValidationError, match="正在复核"):
        _file(appeal.rating, world["approver2"], reason="再次申诉")

    assert RatingAppeal.objects.filter(rating=appeal.rating).count() == 1
    assert AuditEvent.objects.filter(action="ratings.appeal_file").count() == 1


def test_a_rejected_appeal_may_be_followed_by_a_new_one(world):
    rejected = f.decided(world, upheld=False)

    again = _file(rejected.rating, world["approver2"], reason="补充了新证据")

    assert again.status == AppealStatus.PENDING
    assert rejected.rating.appeals.count() == 2


def test_an_upheld_rating_cannot_be_appealed_again(world):
    upheld = f.decided(world, upheld=True)
    upheld.rating.refresh_from_db()

    with pytest.raises(ValidationError, match="已经申诉成立"):
        _file(upheld.rating, world["approver"])


# --- deciding ---------------------------------------------------------------------------


def test_an_upheld_appeal_excludes_the_rating_and_cancels_its_rectification(world):
    appeal = f.appealed(world)

    decided = _decide(appeal, world["supervisor"], upheld=True, note=" 属实 ")

    assert decided.status == AppealStatus.UPHELD
    assert decided.decided_by == world["supervisor"] and decided.decided_at is not None
    assert decided.decision_note == "属实"
    rating = decided.rating
    rating.refresh_from_db()
    assert rating.excluded
    assert rating.rectification.status == RectificationStatus.CANCELLED


def test_a_rejected_appeal_keeps_the_rating_and_the_rectification(world):
    decided = _decide(f.appealed(world), world["supervisor"], upheld=False)

    rating = decided.rating
    rating.refresh_from_db()
    assert decided.status == AppealStatus.REJECTED
    assert not rating.excluded
    assert rating.rectification.status == RectificationStatus.OPEN


def test_an_appeal_upheld_after_completion_leaves_the_done_rectification(world):
    rectification = f.rectified(world)
    appeal = _file(rectification.rating, world["approver"])

    _decide(appeal, world["supervisor"], upheld=True)

    rectification.refresh_from_db()
    rectification.rating.refresh_from_db()
    assert rectification.status == RectificationStatus.DONE
    assert rectification.rating.excluded


@pytest.mark.parametrize("upheld", [True, False])
def test_the_decision_is_audited_under_the_decider(world, upheld):
    decided = _decide(f.appealed(world), world["supervisor2"], upheld=upheld, note="复核")

    row = AuditEvent.objects.get(action="ratings.appeal_decide", object_id=str(decided.pk))
    assert row.actor == world["supervisor2"]
    assert row.changes == {"status": ["pending", "upheld" if upheld else "rejected"]}
    assert row.note == "复核"


def test_a_supervisor_may_not_decide_their_own_appeal(world):
    appeal = f.appealed(world, actor=world["supervisor"])

    with pytest.raises(PermissionDenied, match="不能复核自己的申诉"):
        _decide(appeal, world["supervisor"])

    # another supervisor over the unit may
    assert _decide(appeal, world["supervisor2"]).status == AppealStatus.UPHELD


@pytest.mark.parametrize("who", ["approver2", "clerk", "outsider", "nobody"])
def test_only_a_supervisor_over_the_handling_unit_decides(world, who):
    appeal = f.appealed(world)

    with pytest.raises(PermissionDenied):
        _decide(appeal, world[who])

    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


def test_a_supervisor_of_another_subdistrict_may_not_decide(world):
    elsewhere = org_f.staff(world["sub2"], Role.SUPERVISOR)

    with pytest.raises(PermissionDenied):
        _decide(f.appealed(world), elsewhere)


def test_a_decision_needs_a_note(world):
    with pytest.raises(ValidationError) as exc:
        _decide(f.appealed(world), world["supervisor"], note=" ")

    assert exc.value.message_dict == {"note": ["请填写复核意见"]}


def test_an_appeal_is_decided_only_once(world):
    decided = f.decided(world, upheld=False)

    with pytest.raises(ValidationError, match="已经复核"):
        _decide(decided, world["supervisor2"], upheld=True)

    decided.rating.refresh_from_db()
    assert not decided.rating.excluded


def test_an_upheld_appeal_takes_the_rating_out_of_every_statistic(world):
    f.rated(world, 5)
    appeal = f.appealed(world, level=1)

    _decide(appeal, world["supervisor"], upheld=True)

    for by in ("unit", "handling_unit", "item", "window"):
        (row,) = rating_stats(by=by)
        assert (row.count, row.bad, row.by_level[1]) == (1, 0, 0)
