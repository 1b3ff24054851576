"""Following up a bad rating: return visit, then measures; who may, in what state, and
when a rectification is overdue."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sanyi.audit.models import AuditEvent
from sanyi.ratings import services
from sanyi.ratings.choices import RectificationStatus
from sanyi.ratings.models import Rectification
from sanyi.ratings.selectors import is_overdue
from sanyi.ratings.tests import factories as f

pytestmark = pytest.mark.django_db


def _visit(rectification, actor, **kw):
    kw.setdefault("result", "satisfied")
    kw.setdefault("note", "电话回访")
    return services.rectification_return_visit(rectification=rectification, actor=actor, **kw)


def _complete(rectification, actor, **kw):
    kw.setdefault("measures", "增设引导员")
    return services.rectification_complete(rectification=rectification, actor=actor, **kw)


# --- return visit ---------------------------------------------------------------------


def test_a_return_visit_is_recorded_with_who_when_and_what(world):
    rectification = f.bad(world)

    done = _visit(
        rectification,
        world["approver"],
        result="unsatisfied",
        note=" 电话联系本人，仍不满意 ",
        on=dt.date(2026, 10, 9),
    )

    assert done.return_visit_result == "unsatisfied"
    assert done.return_visit_note == "电话联系本人，仍不满意"
    assert done.return_visit_on == dt.date(2026, 10, 9)
    assert done.return_visit_by == world["approver"]
    assert done.status == RectificationStatus.OPEN  # a visit alone does not close it


def test_a_return_visit_is_audited_under_the_visitor(world):
    rectification = _visit(f.bad(world), world["approver2"], on=dt.date(2026, 10, 9))

    row = AuditEvent.objects.get(action="ratings.return_visit", object_id=str(rectification.pk))
    assert row.actor == world["approver2"]
    assert row.changes == {"return_visit_result": "satisfied", "return_visit_on": "2026-10-09"}


def test_a_supervisor_above_the_unit_may_record_the_visit(world):
    rectification = _visit(f.bad(world), world["supervisor"])

    assert rectification.return_visit_by == world["supervisor"]


@pytest.mark.parametrize("who", ["clerk", "outsider", "nobody"])
def test_staff_without_a_follow_up_role_on_the_unit_may_not_record_a_visit(world, who):
    rectification = f.bad(world)

    with pytest.raises(PermissionDenied):
        _visit(rectification, world[who])

    rectification.refresh_from_db()
    assert rectification.return_visit_result == ""
    assert not AuditEvent.objects.filter(action="ratings.return_visit").exists()


def test_an_approver_of_a_unit_below_may_not_record_a_visit(world):
    from sanyi.orgs.models import OrgKind, Role
    from sanyi.orgs.tests import factories as org_f

    station = org_f.unit(world["dept"], OrgKind.STATION)
    below = org_f.staff(station, Role.APPROVER)

    with pytest.raises(PermissionDenied):
        _visit(f.bad(world), below)


def test_a_system_actor_may_not_record_a_visit(world):
    with pytest.raises(PermissionDenied):
        _visit(f.bad(world), "系统：测试")


def test_a_visit_needs_a_known_result_and_a_note(world):
    rectification = f.bad(world)

    with pytest.raises(ValidationError) as exc:
        _visit(rectification, world["approver"], result="maybe", note=" ")

    assert set(exc.value.message_dict) == {"result", "note"}
    assert "回访记录" in exc.value.message_dict["note"][0]


def test_a_visit_dated_after_today_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _visit(f.bad(world), world["approver"], on=timezone.localdate() + dt.timedelta(days=1))

    assert set(exc.value.message_dict) == {"on"}


def test_a_second_visit_replaces_the_first(world):
    rectification = _visit(f.bad(world), world["approver"], result="unreachable", note="无人接听")

    again = _visit(rectification, world["approver2"], result="satisfied", note="第二次联系上了")

    assert (again.return_visit_result, again.return_visit_by) == ("satisfied", world["approver2"])
    assert AuditEvent.objects.filter(action="ratings.return_visit").count() == 2


@pytest.mark.parametrize("state", ["rectified", "cancelled"])
def test_a_closed_rectification_takes_no_visit(world, state):
    if state == "rectified":
        rectification = f.rectified(world)
    else:
        rectification = f.decided(world, upheld=True).rating.rectification

    with pytest.raises(ValidationError, match="已经结束"):
        _visit(rectification, world["approver"])


# --- completion -------------------------------------------------------------------------


def test_completion_needs_a_return_visit_first(world):
    rectification = f.bad(world)

    with pytest.raises(ValidationError, match="请先回访"):
        _complete(rectification, world["approver"])

    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


def test_completion_needs_the_measures(world):
    with pytest.raises(ValidationError) as exc:
        _complete(f.visited(world), world["approver"], measures="  ")

    assert exc.value.message_dict == {"measures": ["请填写整改措施"]}


def test_completion_closes_the_rectification_with_who_when_and_what(world):
    rectification = _complete(
        f.visited(world), world["approver2"], measures=" 增设引导员 ", on=dt.date(2026, 10, 12)
    )

    assert rectification.status == RectificationStatus.DONE
    assert rectification.measures == "增设引导员"
    assert rectification.completed_on == dt.date(2026, 10, 12)
    assert rectification.completed_by == world["approver2"]


@pytest.mark.parametrize(
    "on, note", [(dt.date(2026, 10, 13), "按期完成"), (dt.date(2026, 10, 14), "超期完成")]
)
def test_completion_is_audited_as_on_time_or_late(world, on, note):
    rectification = _complete(f.visited(world), world["supervisor"], on=on)

    row = AuditEvent.objects.get(
        action="ratings.rectification_done", object_id=str(rectification.pk)
    )
    assert row.actor == world["supervisor"] and row.note == note
    assert row.changes == {"status": ["open", "done"]}


@pytest.mark.parametrize("who", ["clerk", "outsider", "nobody"])
def test_staff_without_a_follow_up_role_may_not_complete(world, who):
    rectification = f.visited(world)

    with pytest.raises(PermissionDenied):
        _complete(rectification, world[who])

    rectification.refresh_from_db()
    assert rectification.status == RectificationStatus.OPEN


def test_a_rectification_is_completed_only_once(world):
    rectification = f.rectified(world)

    with pytest.raises(ValidationError, match="已经结束"):
        _complete(rectification, world["approver"], measures="再改一次")

    rectification.refresh_from_db()
    assert rectification.measures == "增设引导员"
    assert AuditEvent.objects.filter(action="ratings.rectification_done").count() == 1


def test_a_cancelled_rectification_cannot_be_completed(world):
    rectification = f.decided(world, upheld=True).rating.rectification
    rectification.return_visit_result = "satisfied"  # even with a visit on record
    rectification.save()

    with pytest.raises(ValidationError, match="已经结束"):
        _complete(rectification, world["approver"])


# --- overdue ----------------------------------------------------------------------------

DUE = dt.date(2026, 10, 13)


def _rect(status, completed_on=None):
    return Rectification(status=status, due_on=DUE, completed_on=completed_on)


@given(today=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
def test_an_open_rectification_is_overdue_exactly_after_its_due_day(today):
    assert is_overdue(_rect(RectificationStatus.OPEN), today) is (today > DUE)


@given(
    completed=st.dates(dt.date(2026, 9, 30), dt.date(2027, 3, 31)),
    today=st.dates(dt.date(2026, 9, 30), dt.date(2027, 12, 31)),
)
def test_a_done_rectification_is_overdue_when_it_was_finished_late(completed, today):
    assert is_overdue(_rect(RectificationStatus.DONE, completed), today) is (completed > DUE)


@given(today=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)))
def test_a_cancelled_rectification_is_never_overdue(today):
    assert not is_overdue(_rect(RectificationStatus.CANCELLED), today)


def test_overdue_defaults_to_today(world):
    rectification = f.bad(world)  # due 2026-10-13, long before today

    if timezone.localdate() > rectification.due_on:
        assert is_overdue(rectification)
    else:
        assert not is_overdue(rectification)
