"""The shared write plumbing: typed actors, locks, status checks and transitions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.audit.services import audit_record
from sanyi.core.actors import SystemActor, actor_label, actor_user, is_user
from sanyi.core.models import JobRun, JobRunStatus
from sanyi.core.transitions import business_day, locked, require_status, transition
from sanyi.orgs.models import Role, RoleAssignment
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db
SCHEDULER = SystemActor("系统：定时任务")
SELF = ("self",)  # lock the row alone: the window is an outer join


def _run(status=JobRunStatus.RUNNING) -> JobRun:
    now = timezone.now()
    return JobRun.objects.create(
        job="demo", slot=now, status=status, started_at=now, lease_until=now
    )


def test_a_system_actor_is_a_label_and_a_user_is_a_user():
    district = factories.district(name="演员区")
    officer = factories.staff(district, Role.DISCLOSURE_OFFICER, username="zhang")
    assert is_user(officer) and actor_user(officer) == officer
    assert not is_user(SCHEDULER) and actor_user(SCHEDULER) is None
    assert not is_user("系统：演示数据") and actor_user("系统：演示数据") is None
    assert actor_label(SCHEDULER) == "系统：定时任务" == str(SCHEDULER)
    assert actor_label(officer, username=True) == "zhang"
    with pytest.raises(ValueError):
        actor_label(None)
    with pytest.raises(ValueError):
        SystemActor("  ")


def test_the_audit_trail_records_a_system_actor_by_its_label_without_an_account():
    event = audit_record(actor=SCHEDULER, action="x.test", object_type="t", object_id=1)
    event.refresh_from_db()
    assert event.actor_id is None
    assert event.actor_label == "系统：定时任务"


def test_business_day_defaults_to_today_and_refuses_the_future_and_datetimes():
    today = timezone.localdate()
    assert business_day(None) == today
    assert business_day(today - dt.timedelta(days=3)) == today - dt.timedelta(days=3)
    with pytest.raises(ValidationError) as future:
        business_day(today + dt.timedelta(days=1), field="received_on")
    assert future.value.message_dict == {"received_on": ["日期不能晚于今天"]}
    with pytest.raises(ValidationError) as moment:
        business_day(timezone.now(), invalid="业务日期应为日期")
    assert moment.value.message_dict == {"on": ["业务日期应为日期"]}


def test_require_status_names_the_field_or_raises_a_plain_error():
    run = _run()
    require_status(run, [JobRunStatus.RUNNING], "unused")
    with pytest.raises(ValidationError) as on_field:
        require_status(run, [JobRunStatus.OK], lambda r: f"“{r.get_status_display()}”不能重跑")
    assert on_field.value.message_dict == {"status": ["“运行中”不能重跑"]}
    with pytest.raises(ValidationError) as plain:
        require_status(run, [JobRunStatus.OK], "不能重跑", field=None)
    assert plain.value.messages == ["不能重跑"]


def test_locked_reads_the_row_again(django_assert_num_queries):
    run = _run()
    JobRun.objects.filter(pk=run.pk).update(result="changed elsewhere")
    with django_assert_num_queries(1):
        assert locked(JobRun, run.pk).result == "changed elsewhere"


def _assignment():
    district = factories.district(name="锁定区")
    factories.staff(district, Role.APPROVER, username="lock_li")
    return RoleAssignment.objects.get(user__username="lock_li")


def test_locked_keeps_the_relations_the_caller_already_holds(django_assert_num_queries):
    held = RoleAssignment.objects.select_related("org_unit", "user").get(pk=_assignment().pk)
    related = ("org_unit", "user", "window__center")
    RoleAssignment.objects.filter(pk=held.pk).update(role=Role.WINDOW_CLERK)
    with django_assert_num_queries(1):  # the row alone: no join, nothing loaded later
        row = locked(RoleAssignment, held.pk, related=related, of=SELF, known=held)
        assert row.role == Role.WINDOW_CLERK  # the row itself is read again
        assert row.org_unit is held.org_unit and row.user is held.user
        assert row.window is None  # an empty foreign key needs no read
    # Without the caller's copy (or with another row's) every relation is joined.
    with django_assert_num_queries(1):
        row = locked(RoleAssignment, held.pk, related=related, of=SELF)
        assert row.org_unit == held.org_unit and row.org_unit is not held.org_unit
        assert row.user.username == "lock_li"


def test_locked_joins_what_the_caller_lacks_and_follows_a_moved_relation(
    django_assert_num_queries,
):
    held = RoleAssignment.objects.select_related("org_unit").get(pk=_assignment().pk)
    other = factories.district(name="别的区")
    with django_assert_num_queries(1):  # the user is joined, the unit reused
        row = locked(RoleAssignment, held.pk, related=("org_unit", "user"), known=held)
        assert row.user.username == "lock_li" and row.org_unit is held.org_unit
    RoleAssignment.objects.filter(pk=held.pk).update(org_unit=other)
    with django_assert_num_queries(2):  # the row, then the unit it now points to
        row = locked(RoleAssignment, held.pk, related=("org_unit",), known=held)
        assert row.org_unit.name == "别的区"
    factories.staff(other, Role.APPROVER, username="lock_wang")
    stranger = RoleAssignment.objects.select_related("org_unit").get(user__username="lock_wang")
    with django_assert_num_queries(1):  # another row's relations are never taken over
        row = locked(RoleAssignment, held.pk, related=("org_unit", "user"), known=stranger)
        assert row.org_unit == other and row.user.username == "lock_li"


def test_a_transition_changes_audits_and_runs_side_effects_after_commit(
    django_capture_on_commit_callbacks,
):
    run = _run()
    told = []
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transition(
            JobRun, run.pk, actor=SCHEDULER, allowed=[JobRunStatus.RUNNING], refusal="x"
        ) as step,
    ):
        step.obj.status = JobRunStatus.OK
        step.obj.save(update_fields=["status"])
        step.audit("core.jobrun_finish", changes={"status": ["running", "ok"]})
        step.on_commit(lambda: told.append(step.obj.pk))
        assert told == []  # not before the commit
    assert len(callbacks) == 1 and told == [run.pk]
    run.refresh_from_db()
    assert run.status == JobRunStatus.OK
    event = AuditEvent.objects.get(action="core.jobrun_finish")
    assert (event.actor_label, event.object_id) == ("系统：定时任务", str(run.pk))


def test_a_refused_transition_changes_nothing_and_checks_who_acts_first():
    run = _run(JobRunStatus.OK)
    order = []

    def check(obj):
        order.append("check")

    with (
        pytest.raises(ValidationError) as refused,
        transition(
            JobRun,
            run.pk,
            actor=SCHEDULER,
            allowed=[JobRunStatus.RUNNING],
            refusal=lambda r: f"“{r.get_status_display()}”的任务不能结束",
            check=check,
        ),
    ):
        pytest.fail("the body must not run")
    assert refused.value.message_dict == {"status": ["“成功”的任务不能结束"]}
    assert order == ["check"]
    assert not AuditEvent.objects.exists()


def test_a_transition_that_leaves_no_audit_row_is_rolled_back():
    run = _run()
    with (
        pytest.raises(RuntimeError, match="no audit row"),
        transition(
            JobRun, run.pk, actor=SCHEDULER, allowed=[JobRunStatus.RUNNING], refusal="x"
        ) as step,
    ):
        step.obj.status = JobRunStatus.ERROR
        step.obj.save(update_fields=["status"])
    run.refresh_from_db()
    assert run.status == JobRunStatus.RUNNING


def test_a_transition_needs_an_actor():
    run = _run()
    with (
        pytest.raises(ValueError),
        transition(JobRun, run.pk, actor=None, allowed=[JobRunStatus.RUNNING], refusal="x"),
    ):
        pass


def test_without_the_audit_app_a_transition_refuses_to_write(monkeypatch):
    # core does not import the audit app (a layer above it); the app plugs its writer in.
    from sanyi.core import transitions

    assert transitions._audit_writer is audit_record
    monkeypatch.setattr(transitions, "_audit_writer", None)
    run = _run()
    with (
        pytest.raises(RuntimeError, match="no audit writer"),
        transition(
            JobRun, run.pk, actor=SCHEDULER, allowed=[JobRunStatus.RUNNING], refusal="x"
        ) as step,
    ):
        step.obj.status = JobRunStatus.ERROR
        step.obj.save(update_fields=["status"])
        step.audit("x.test")
    run.refresh_from_db()
    assert run.status == JobRunStatus.RUNNING


def test_a_transition_refuses_on_the_field_the_page_shows():
    run = _run(JobRunStatus.OK)
    with (
        pytest.raises(ValidationError) as refused,
        transition(
            JobRun,
            run.pk,
            actor=SCHEDULER,
            allowed=[JobRunStatus.RUNNING, JobRunStatus.ERROR],
            refusal="这次运行已经结束",
            field="result",
        ),
    ):
        pytest.fail("the body must not run")
    assert refused.value.message_dict == {"result": ["这次运行已经结束"]}


def test_a_step_may_audit_the_record_it_made_instead_of_the_locked_one():
    run = _run()
    other = _run()
    with transition(
        JobRun, run.pk, actor=SCHEDULER, allowed=[JobRunStatus.RUNNING], refusal="x"
    ) as step:
        step.audit("core.jobrun_follow", obj=other, changes={"after": run.pk})
        step.audit("core.jobrun_mark")
    rows = list(AuditEvent.objects.order_by("pk").values_list("action", "object_id"))
    assert rows == [("core.jobrun_follow", str(other.pk)), ("core.jobrun_mark", str(run.pk))]


def test_an_edit_that_changed_nothing_may_end_without_an_audit_row():
    run = _run()
    with transition(
        JobRun, run.pk, actor=SCHEDULER, allowed=[JobRunStatus.RUNNING], refusal="x"
    ) as step:
        assert step.obj.result == ""
        step.unchanged()
    assert not AuditEvent.objects.exists()
    run.refresh_from_db()
    assert run.status == JobRunStatus.RUNNING


def test_a_step_with_nothing_to_do_is_skipped_whatever_the_status():
    done = _run(JobRunStatus.OK)
    with transition(
        JobRun,
        done.pk,
        actor=SCHEDULER,
        allowed=[JobRunStatus.RUNNING],
        refusal="x",
        skip_if=lambda r: r.result == "",
    ) as step:
        assert step.skipped
    assert not AuditEvent.objects.exists()
    # Not skipped: the status is required as usual.
    JobRun.objects.filter(pk=done.pk).update(result="已完成")
    with (
        pytest.raises(ValidationError),
        transition(
            JobRun,
            done.pk,
            actor=SCHEDULER,
            allowed=[JobRunStatus.RUNNING],
            refusal="x",
            skip_if=lambda r: r.result == "",
        ),
    ):
        pytest.fail("the body must not run")
