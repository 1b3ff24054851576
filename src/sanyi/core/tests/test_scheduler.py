"""The scheduler: slots, the lease that makes a slot run once, records, and alerts."""

import datetime as dt
import io
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection

from sanyi.core import scheduler
from sanyi.core.models import JobRun, JobRunStatus
from sanyi.core.scheduler import (
    DailyAt,
    EveryMinutes,
    JobFailed,
    job_run_claim,
    job_runs_prune,
    register_job,
    registered_jobs,
    scheduler_tick,
)

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def make_job(name="test.job", schedule=None, func=None, **kwargs):
    calls = []

    def default(*, now):
        calls.append(now)
        return f"ran {len(calls)}"

    job = scheduler.Job(
        name=name,
        title="测试任务",
        schedule=schedule or EveryMinutes(1),
        func=func or default,
        **kwargs,
    )
    return job, calls


# --- schedules -------------------------------------------------------------------------


def test_every_minute_slot_is_the_minute_on_every_node():
    slot = EveryMinutes(1).due_slot(at(2026, 10, 9, 8, 15, 42))
    assert slot == at(2026, 10, 9, 8, 15)
    assert EveryMinutes(5).due_slot(at(2026, 10, 9, 8, 14, 59)) == at(2026, 10, 9, 8, 10)


def test_daily_slot_is_due_from_its_time_until_the_end_of_the_day():
    daily = DailyAt(at=dt.time(7, 0))
    assert daily.due_slot(at(2026, 10, 9, 6, 59)) is None
    assert daily.due_slot(at(2026, 10, 9, 7, 0)) == at(2026, 10, 9, 7, 0)
    assert daily.due_slot(at(2026, 10, 9, 23, 30)) == at(2026, 10, 9, 7, 0)


@pytest.mark.django_db
def test_working_day_jobs_follow_the_district_calendar():
    from sanyi.calendar.jobs import every_workday_at

    schedule = every_workday_at(7)
    assert schedule.due_slot(at(2026, 10, 1, 9, 0)) is None  # 国庆节, a Thursday
    assert schedule.due_slot(at(2026, 10, 17, 9, 0)) is None  # an ordinary Saturday
    assert schedule.due_slot(at(2026, 10, 10, 9, 0)) == at(2026, 10, 10, 7, 0)  # 调休上班
    assert schedule.due_slot(at(2026, 10, 9, 9, 0)) == at(2026, 10, 9, 7, 0)
    # After the Friday before the holiday, the next run is on the first working day.
    assert schedule.next_slot(at(2026, 9, 30, 9, 0)) == at(2026, 10, 8, 7, 0)


@pytest.mark.django_db
def test_the_apps_register_every_job_the_deployment_guide_lists():
    jobs = {job.name: job for job in registered_jobs()}
    assert {
        "notify.deliver",
        "notify.outbox-prune",
        "cases.warnings",
        "requests.check-clocks",
        "openness.check-timeliness",
        "audit.verify",
        "applicants.purge-codes",
        "core.imports-cleanup",
        "core.scheduler-prune",
        "catalog.search-popularity",
        "grid.visit_reminders",
        "proactive.run",
        "analytics.rollup",
        "analytics.behaviour-purge",
    } <= set(jobs)
    assert jobs["notify.deliver"].schedule == EveryMinutes(1)
    for name in ("cases.warnings", "requests.check-clocks", "openness.check-timeliness"):
        assert jobs[name].schedule.days_label == "每个工作日"
        assert jobs[name].schedule.due_slot(at(2026, 10, 1, 12, 0)) is None


# --- running once ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_due_slot_runs_once_and_the_next_slot_runs_again():
    job, calls = make_job()
    now = at(2026, 10, 9, 8, 15, 5)
    [run] = scheduler_tick(now=now, node="a", jobs=[job])
    assert scheduler_tick(now=now + dt.timedelta(seconds=30), node="b", jobs=[job]) == []
    assert len(calls) == 1
    run.refresh_from_db()
    assert (run.status, run.result, run.node) == (JobRunStatus.OK, "ran 1", "a")
    assert run.slot == at(2026, 10, 9, 8, 15) and run.duration_ms is not None
    scheduler_tick(now=now + dt.timedelta(minutes=1), node="b", jobs=[job])
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_node_that_loses_the_insert_race_does_not_run(monkeypatch):
    # given another node inserted the lease between this node's look and its insert
    job, _calls = make_job()
    slot = at(2026, 10, 9, 8, 15)
    JobRun.objects.create(
        job=job.name, slot=slot, node="other", started_at=slot, lease_until=slot + job.lease
    )
    real_filter = JobRun.objects.filter
    monkeypatch.setattr(
        JobRun.objects,
        "filter",
        lambda *a, **kw: JobRun.objects.none() if kw.get("slot") == slot else real_filter(*a, **kw),
    )
    # when this node tries to take it, then the unique constraint refuses it
    assert job_run_claim(job=job, slot=slot, now=slot, node="me") is None
    assert JobRun.objects.count() == 1


@pytest.mark.django_db
def test_a_run_whose_node_died_is_taken_over_after_its_lease():
    job, calls = make_job(schedule=DailyAt(at=dt.time(8, 15)), lease=dt.timedelta(minutes=10))
    slot = at(2026, 10, 9, 8, 15)
    JobRun.objects.create(
        job=job.name, slot=slot, node="dead", started_at=slot, lease_until=slot + job.lease
    )
    assert scheduler_tick(now=slot + dt.timedelta(minutes=5), node="b", jobs=[job]) == []
    [run] = scheduler_tick(now=slot + dt.timedelta(minutes=11), node="b", jobs=[job])
    run.refresh_from_db()
    assert (run.status, run.node, run.attempt, len(calls)) == (JobRunStatus.OK, "b", 2, 1)


def _race(job, *, nodes: int, now) -> list:
    barrier = threading.Barrier(nodes)
    errors = []

    def node(i):
        try:
            barrier.wait()
            for attempt in range(5):
                try:
                    scheduler_tick(now=now, node=f"node-{i}", jobs=[job])
                    break
                except OperationalError as exc:
                    # SQLite's in-memory test database shares one cache between threads, and
                    # a table lock there fails at once instead of waiting out the busy
                    # timeout a file database has. The node tries again, as the next minute's
                    # tick would; the slot must still run once.
                    if "table is locked" not in str(exc) or attempt == 4:
                        raise
                    time.sleep(0.05 * (attempt + 1))
        except Exception as exc:  # pragma: no cover - reported by the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=node, args=(i,)) for i in range(nodes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_run_the_slot_once():
    job, calls = make_job()
    now = at(2026, 10, 9, 8, 15, 1)
    errors = _race(job, nodes=2, now=now)
    assert errors == []
    assert len(calls) == 1
    assert JobRun.objects.filter(job=job.name).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_four_schedulers_racing_on_postgresql_run_each_of_20_slots_once():
    job, calls = make_job()
    start = at(2026, 10, 9, 8, 0, 1)
    for minute in range(20):
        assert _race(job, nodes=4, now=start + dt.timedelta(minutes=minute)) == []
    assert len(calls) == 20
    assert JobRun.objects.filter(job=job.name, status=JobRunStatus.OK).count() == 20


# --- records and failures ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_failing_job_is_recorded_with_its_error_and_the_handlers_are_told(monkeypatch):
    def broken(*, now):
        raise JobFailed("数据有问题")

    told = []
    monkeypatch.setattr(scheduler, "_failure_handlers", [lambda **kw: told.append(kw)])
    job, _ = make_job(func=broken)
    [run] = scheduler_tick(now=at(2026, 10, 9, 8, 15), node="a", jobs=[job])
    run.refresh_from_db()
    assert run.status == JobRunStatus.ERROR
    assert run.error == "JobFailed: 数据有问题"
    assert [(kw["job"].name, kw["run"].pk) for kw in told] == [(job.name, run.pk)]


@pytest.mark.django_db
def test_old_run_records_are_pruned_but_each_jobs_last_run_stays():
    old = at(2026, 1, 1, 8, 0)
    for job, slot in [("a", old), ("a", old + dt.timedelta(minutes=1)), ("b", old)]:
        JobRun.objects.create(
            job=job, slot=slot, status=JobRunStatus.OK, started_at=slot, lease_until=slot
        )
    recent = at(2026, 10, 9, 8, 0)
    JobRun.objects.create(
        job="a", slot=recent, status=JobRunStatus.OK, started_at=recent, lease_until=recent
    )
    assert job_runs_prune(now=at(2026, 10, 9, 9, 0), keep_days=30) == 2
    assert sorted(JobRun.objects.values_list("job", "slot")) == [("a", recent), ("b", old)]


@pytest.mark.django_db
def test_status_lists_each_job_with_its_last_run(monkeypatch):
    job, _ = make_job(name="test.status")
    registered_jobs()  # the apps' jobs first, so they do not replace the test job
    monkeypatch.setitem(scheduler._jobs, job.name, job)
    scheduler_tick(now=at(2026, 10, 9, 8, 15), node="a", jobs=[job])
    out = io.StringIO()
    call_command("scheduler", "status", stdout=out)
    assert "test.status\t每分钟\t上次 2026-10-09 08:15 成功" in out.getvalue()


def test_register_job_refuses_a_name_with_spaces():
    with pytest.raises(ValueError):
        register_job(name="bad name", title="x", schedule=EveryMinutes(1), func=lambda **_: 0)


@pytest.mark.django_db
def test_run_job_runs_a_job_now_and_names_the_known_jobs_for_a_typo():
    out = io.StringIO()
    call_command("scheduler", "run-job", "audit.verify", stdout=out)
    assert out.getvalue().startswith("audit.verify：成功")
    assert JobRun.objects.filter(job="audit.verify", status=JobRunStatus.OK).count() == 1
    known = r"没有名为“audit\.verfy”的定时任务。已有：.*audit\.verify"
    with pytest.raises(CommandError, match=known):
        call_command("scheduler", "run-job", "audit.verfy")
