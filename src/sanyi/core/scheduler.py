"""Scheduled jobs: a registry apps add to, and the tick ``sanyi scheduler run`` calls.

Each app declares its jobs in ``<app>/jobs.py`` with ``register_job``; the registry finds
those modules the first time it is read (as Django's admin finds ``admin.py``), so core
never imports a domain app. A job has a schedule that, given ``now``, names the slot that
is due (a minute, or a day at a set time) or none.

``scheduler_tick(now=...)`` runs every due slot of every job that has not run yet. The
lease is a ``JobRun`` row with a unique (job, slot): of several scheduler nodes ticking at
once exactly one inserts it and runs the job; the others see the row and move on. Jobs run
inline in the scheduler process (docs/adr/0011-scheduler.md says why), and the row records
the outcome and duration. A failed run calls the failure handlers (notify registers one
that alerts system administrators).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from sanyi.core.models import JobRun, JobRunStatus

log = logging.getLogger(__name__)

SCHEDULER_ACTOR = "系统：定时任务"


class JobFailed(Exception):
    """Raised by a job whose check found a problem (the run is recorded as failed and the
    failure handlers are told), as opposed to a job that crashed."""


# --- schedules --------------------------------------------------------------------------


class Schedule(Protocol):
    def due_slot(self, now: dt.datetime) -> dt.datetime | None:
        """The slot that is due at ``now``, or ``None`` when nothing is due."""

    def next_slot(self, now: dt.datetime) -> dt.datetime | None:
        """The next slot after ``now`` (for the status listing)."""

    def describe(self) -> str: ...


@dataclass(frozen=True)
class EveryMinutes:
    """Every ``minutes`` minutes, on the minute (slots counted from the epoch, so every
    node computes the same slot)."""

    minutes: int = 1

    def _floor(self, now: dt.datetime) -> dt.datetime:
        step = 60 * self.minutes
        return dt.datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=dt.UTC)

    def due_slot(self, now: dt.datetime) -> dt.datetime:
        return self._floor(now)

    def next_slot(self, now: dt.datetime) -> dt.datetime | None:
        return self._floor(now) + dt.timedelta(minutes=self.minutes)

    def describe(self) -> str:
        return "每分钟" if self.minutes == 1 else f"每{self.minutes}分钟"


@dataclass(frozen=True)
class DailyAt:
    """Once a day at ``at`` local time, on the days ``on`` accepts (every day by default).

    A scheduler that was down at that time runs the day's slot when it comes back the same
    day; a missed day is not caught up (tomorrow's run covers it: every daily job works on
    the state of the data, not on the day it was due).
    """

    at: dt.time
    on: Callable[[dt.date], bool] | None = None
    days_label: str = "每天"

    def _slot(self, day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, self.at))

    def due_slot(self, now: dt.datetime) -> dt.datetime | None:
        day = timezone.localtime(now).date()
        slot = self._slot(day)
        if now < slot or (self.on is not None and not self.on(day)):
            return None
        return slot

    def next_slot(self, now: dt.datetime) -> dt.datetime | None:
        day = timezone.localtime(now).date()
        for offset in range(0, 60):
            candidate = day + dt.timedelta(days=offset)
            slot = self._slot(candidate)
            if slot > now and (self.on is None or self.on(candidate)):
                return slot
        return None

    def describe(self) -> str:
        return f"{self.days_label} {self.at:%H:%M}"


# --- the registry -----------------------------------------------------------------------


JobFunc = Callable[..., Any]


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    schedule: Schedule
    func: JobFunc = field(compare=False)
    # How long a run may take before another node assumes its runner died and takes over.
    lease: dt.timedelta = dt.timedelta(minutes=30)


_jobs: dict[str, Job] = {}
_failure_handlers: list[Callable[..., None]] = []
_discovered = False
_discover_lock = threading.Lock()


def register_job(
    *,
    name: str,
    title: str,
    schedule: Schedule,
    func: JobFunc,
    lease: dt.timedelta = dt.timedelta(minutes=30),
) -> Job:
    """Add a job. ``func(now=...)`` does the work and returns a short summary (any value,
    stored as text); it raises to fail the run. Registering a name twice replaces it, so
    re-importing a jobs module is harmless."""
    if not name or len(name) > 100 or " " in name:
        raise ValueError(f"bad job name: {name!r}")
    job = Job(name=name, title=title, schedule=schedule, func=func, lease=lease)
    _jobs[name] = job
    return job


def on_job_failure(handler: Callable[..., None]) -> Callable[..., None]:
    """Register ``handler(job=..., run=...)``, called after a run fails."""
    if handler not in _failure_handlers:
        _failure_handlers.append(handler)
    return handler


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    with _discover_lock:
        if not _discovered:
            autodiscover_modules("jobs")
            _discovered = True


def registered_jobs() -> list[Job]:
    _discover()
    return sorted(_jobs.values(), key=lambda j: j.name)


def job_get(name: str) -> Job | None:
    _discover()
    return _jobs.get(name)


# --- running ------------------------------------------------------------------------------


def node_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def job_run_claim(*, job: Job, slot: dt.datetime, now: dt.datetime, node: str) -> JobRun | None:
    """Take the lease on (job, slot), or ``None`` when another node has it or it is done.

    The insert is atomic on every database: of several nodes racing, one succeeds and the
    others hit the unique constraint. A run left "running" past its lease (its node died)
    is taken over with a conditional UPDATE, which again exactly one node wins.
    """
    existing = JobRun.objects.filter(job=job.name, slot=slot).first()
    if existing is None:
        try:
            with transaction.atomic():
                return JobRun.objects.create(
                    job=job.name,
                    slot=slot,
                    status=JobRunStatus.RUNNING,
                    node=node,
                    started_at=now,
                    lease_until=now + job.lease,
                )
        except IntegrityError:
            return None
    if existing.status != JobRunStatus.RUNNING or existing.lease_until >= now:
        return None
    taken = JobRun.objects.filter(
        pk=existing.pk,
        status=JobRunStatus.RUNNING,
        attempt=existing.attempt,
        lease_until__lt=now,
    ).update(node=node, started_at=now, lease_until=now + job.lease, attempt=existing.attempt + 1)
    if taken != 1:
        return None
    log.warning("scheduled job %s (%s): took over a run whose node stopped", job.name, slot)
    return JobRun.objects.get(pk=existing.pk)


def _summary(value: Any) -> str:
    if value is None:
        return ""
    return str(value)[:2000]


def job_run_execute(*, job: Job, run: JobRun, now: dt.datetime) -> JobRun:
    """Run the job for a claimed slot and record how it went."""
    started = time.monotonic()
    try:
        value = job.func(now=now)
    except Exception as exc:
        status, result = JobRunStatus.ERROR, ""
        error = f"{type(exc).__name__}: {exc}"[:4000]
        if not isinstance(exc, JobFailed):
            log.exception("scheduled job %s failed", job.name)
    else:
        status, result, error = JobRunStatus.OK, _summary(value), ""
    elapsed = dt.timedelta(seconds=time.monotonic() - started)
    fields = {
        "status": status,
        "result": result,
        "error": error,
        "finished_at": run.started_at + elapsed,
        "duration_ms": int(elapsed.total_seconds() * 1000),
    }
    # Only the holder of the lease records the outcome; a node that lost it (took too
    # long and was taken over) leaves the row to the new holder.
    JobRun.objects.filter(pk=run.pk, node=run.node, attempt=run.attempt).update(**fields)
    for name, value in fields.items():
        setattr(run, name, value)
    if status == JobRunStatus.ERROR:
        log.error("scheduled job %s (%s) failed: %s", job.name, run.slot, error)
        for handler in list(_failure_handlers):
            try:
                handler(job=job, run=run)
            except Exception:
                log.exception("failure handler %r raised for job %s", handler, job.name)
    return run


def scheduler_tick(
    *, now: dt.datetime, node: str | None = None, jobs: list[Job] | None = None
) -> list[JobRun]:
    """Run every job whose current slot is due and not yet taken. Returns the runs this
    node made. Safe to call from several nodes at once and any number of times."""
    node = node or node_name()
    runs = []
    for job in registered_jobs() if jobs is None else jobs:
        try:
            slot = job.schedule.due_slot(now)
        except Exception:
            log.exception("schedule of job %s could not be evaluated", job.name)
            continue
        if slot is None:
            continue
        run = job_run_claim(job=job, slot=slot, now=now, node=node)
        if run is not None:
            runs.append(job_run_execute(job=job, run=run, now=now))
    return runs


def job_run_now(*, job: Job, now: dt.datetime, node: str | None = None) -> JobRun | None:
    """Run a job at once, outside its schedule (``sanyi scheduler run-job``), under a lease
    on the current minute so two operators typing it together still run it once."""
    slot = EveryMinutes().due_slot(now)
    run = job_run_claim(job=job, slot=slot, now=now, node=node or node_name())
    return job_run_execute(job=job, run=run, now=now) if run else None


def job_runs_prune(*, now: dt.datetime, keep_days: int) -> int:
    """Delete finished run records older than ``keep_days`` (an every-minute job writes
    1,440 a day). The last run of each job is always kept, for the status listing."""
    keep_ids: set[int] = set()
    for name in JobRun.objects.order_by().values_list("job", flat=True).distinct():
        last = JobRun.objects.filter(job=name).order_by("-slot").values_list("pk", flat=True)[:1]
        keep_ids.update(last)
    old = JobRun.objects.filter(slot__lt=now - dt.timedelta(days=keep_days)).exclude(
        status=JobRunStatus.RUNNING
    )
    deleted, _ = old.exclude(pk__in=keep_ids).delete()
    return deleted


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobStatus:
    job: Job
    last: JobRun | None
    last_ok: JobRun | None
    next_slot: dt.datetime | None


def job_status_list(*, now: dt.datetime) -> list[JobStatus]:
    """Each registered job with its last run, its last successful run and its next slot."""
    rows = []
    for job in registered_jobs():
        runs = JobRun.objects.filter(job=job.name).order_by("-slot")
        try:
            upcoming = job.schedule.next_slot(now)
        except Exception:
            upcoming = None
        rows.append(
            JobStatus(
                job=job,
                last=runs.first(),
                last_ok=runs.filter(status=JobRunStatus.OK).first(),
                next_slot=upcoming,
            )
        )
    return rows
