"""Scheduled jobs of the catalogue: clearing out old workbench import jobs.

An import job is a folder in the file storage (``catalog.import_jobs``) holding the
uploaded workbook and the job's state. Nothing deletes it when the import is done or a
dry run is never confirmed, so the uploads (which may name applicants and staff) would
pile up for ever. This job deletes every job folder older than
``SANYI_IMPORT_JOB_KEEP_DAYS``; a job is long finished by then (or its worker died).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from sanyi.audit.services import audit_record
from sanyi.catalog.import_jobs import JOB_ROOT
from sanyi.core.scheduler import SCHEDULER_ACTOR, DailyAt, register_job


def _created_at(folder: str) -> dt.datetime | None:
    """When the job started: from its state, else from its files' times."""
    try:
        with default_storage.open(f"{folder}/state.json", "rb") as fh:
            return dt.datetime.fromisoformat(json.loads(fh.read())["created_at"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    times = []
    for name in default_storage.listdir(folder)[1]:
        try:
            times.append(default_storage.get_modified_time(f"{folder}/{name}"))
        except (OSError, NotImplementedError):
            continue
    return min(times) if times else None


def _remove(folder: str) -> None:
    for name in default_storage.listdir(folder)[1]:
        default_storage.delete(f"{folder}/{name}")
    # Object stores have no folders; a folder not yet empty is left for the next run.
    with contextlib.suppress(NotImplementedError, OSError):
        Path(default_storage.path(folder)).rmdir()


def catalog_import_jobs_cleanup(*, actor, now: dt.datetime, keep_days: int) -> int:
    """Delete import-job folders started more than ``keep_days`` ago; one audit row."""
    cutoff = now - dt.timedelta(days=keep_days)
    try:
        folders = default_storage.listdir(JOB_ROOT)[0]
    except (FileNotFoundError, NotImplementedError):
        return 0
    removed = []
    for job_id in sorted(folders):
        folder = f"{JOB_ROOT}/{job_id}"
        created = _created_at(folder)
        if created is not None and created < cutoff:
            _remove(folder)
            removed.append(job_id)
    if removed:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="catalog.import_jobs_cleanup",
                object_type="catalog.importjob",
                object_repr=f"{cutoff:%Y-%m-%d} 前的目录导入任务",
                changes={"deleted": removed, "started_before": cutoff},
            )
    return len(removed)


def catalog_import_cleanup_job(*, now) -> str:
    keep = int(getattr(settings, "SANYI_IMPORT_JOB_KEEP_DAYS", 7))
    count = catalog_import_jobs_cleanup(actor=SCHEDULER_ACTOR, now=now, keep_days=keep)
    return f"删除 {keep} 天前的事项目录导入任务 {count} 个"


register_job(
    name="catalog.import-jobs-cleanup",
    title="删除过时的事项目录导入任务及其上传文件（SANYI_IMPORT_JOB_KEEP_DAYS）",
    schedule=DailyAt(at=dt.time(3, 40)),
    func=catalog_import_cleanup_job,
)
