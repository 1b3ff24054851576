"""Catalogue imports started from the workbench: the uploaded file, the job's progress and
its outcome, and the background task that runs ``exchange.catalog_import``.

A job is a staged upload (``sanyi.core.imports``): a folder ``imports/catalog/<job id>/``
in the file storage holding the upload, ``meta.json`` and ``state.json``; stale ones are
removed by ``imports_cleanup_stale``. The web process and the task worker share the
file storage, not memory, so the progress bar reads the same state the worker writes,
whichever backend runs the task. The import itself stays all-or-nothing
(``catalog_import``); the job only records what happened.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from sanyi.catalog.exchange import (
    CELL_LOCATION,
    ImportFailed,
    ImportProblem,
    catalog_import,
    read_json,
    read_xlsx,
)
from sanyi.core.imports import STAGING_ROOT, staged_upload_save

logger = logging.getLogger(__name__)

STAGING_KIND = "catalog"
JOB_ROOT = f"{STAGING_ROOT}/{STAGING_KIND}"
# Files up to this size are checked and imported within the request; larger ones go to
# the task worker and the page shows a progress bar.
INLINE_MAX_BYTES = 256 * 1024
# Progress is written at most this often, so a large file does not spend its time on it.
PROGRESS_INTERVAL_SECONDS = 0.5

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUS_LABELS = {QUEUED: "排队等待", RUNNING: "正在处理", DONE: "已完成", FAILED: "有问题"}
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class ImportJob:
    id: str
    owner_id: int
    file_name: str
    size: int
    dry_run: bool
    as_draft: bool
    status: str = QUEUED
    done: int = 0
    total: int = 0
    message: str = ""
    summary: str = ""
    problems: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    created_at: str = ""
    finished_at: str = ""

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def suffix(self) -> str:
        return ".xlsx" if self.file_name.lower().endswith(".xlsx") else ".json"


def _path(job_id: str, name: str) -> str:
    return f"{JOB_ROOT}/{job_id}/{name}"


def _save_state(job: ImportJob) -> None:
    path = _path(job.id, "state.json")
    data = json.dumps(asdict(job), ensure_ascii=False).encode()
    try:
        target = Path(default_storage.path(path))
    except NotImplementedError:
        # A storage without local files: the page may briefly miss the state and poll again.
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(data))
        return
    # Replace in one step, so the progress bar polling meanwhile never finds no file.
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)


def import_job_get(*, viewer, job_id: str) -> ImportJob | None:
    """The job, if it exists and ``viewer`` started it (nobody else sees another's upload)."""
    if not _JOB_ID.match(job_id or ""):
        return None
    path = _path(job_id, "state.json")
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as fh:
        job = ImportJob(**json.loads(fh.read()))
    if getattr(viewer, "pk", None) != job.owner_id:
        return None
    return job


def problem_cells(problem: ImportProblem) -> dict[str, str]:
    """A problem split into sheet, row and column when it points at a workbook cell."""
    match = CELL_LOCATION.match(problem.where or "")
    if match:
        return {
            "sheet": match["sheet"],
            "row": match["row"],
            "column": match["column"] or "",
            "where": problem.where,
            "message": problem.message,
        }
    return {
        "sheet": "",
        "row": "",
        "column": "",
        "where": problem.where,
        "message": problem.message,
    }


def import_job_start(*, actor, upload, dry_run: bool, as_draft: bool) -> ImportJob:
    """Store an upload and run its import: at once for a small file, else in the task
    worker. Returns the job (finished when it ran at once)."""
    staged = staged_upload_save(
        kind=STAGING_KIND, owner_id=actor.pk, file_name=upload.name, content=upload
    )
    job = ImportJob(
        id=staged.token,
        owner_id=actor.pk,
        file_name=upload.name,
        size=upload.size or 0,
        dry_run=dry_run,
        as_draft=as_draft,
        created_at=timezone.now().isoformat(),
    )
    _save_state(job)
    return _launch(job)


def import_job_confirm(*, actor, job: ImportJob) -> ImportJob:
    """After a clean dry run: import the same stored file for real, as a new job."""
    with default_storage.open(_path(job.id, f"source{job.suffix}"), "rb") as fh:
        staged = staged_upload_save(
            kind=STAGING_KIND, owner_id=actor.pk, file_name=job.file_name, content=fh.read()
        )
    real = ImportJob(
        id=staged.token,
        owner_id=actor.pk,
        file_name=job.file_name,
        size=job.size,
        dry_run=False,
        as_draft=job.as_draft,
        created_at=timezone.now().isoformat(),
    )
    _save_state(real)
    return _launch(real)


def _launch(job: ImportJob) -> ImportJob:
    if job.size <= INLINE_MAX_BYTES:
        catalog_import_task.call(job.id)
    else:
        catalog_import_task.enqueue(job.id)
    return _load(job.id)


def _load(job_id: str) -> ImportJob:
    with default_storage.open(_path(job_id, "state.json"), "rb") as fh:
        return ImportJob(**json.loads(fh.read()))


@task()
def catalog_import_task(job_id: str) -> dict[str, Any]:
    """Run one stored import job, recording progress and the outcome in its state."""
    job = _load(job_id)
    actor = get_user_model().objects.get(pk=job.owner_id)
    job.status, job.message = RUNNING, "正在读取文件"
    _save_state(job)
    last = [0.0]

    def progress(done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL_SECONDS and done < total:
            return
        last[0] = now
        job.done, job.total, job.message = done, total, message
        _save_state(job)

    try:
        with default_storage.open(_path(job.id, f"source{job.suffix}"), "rb") as fh:
            data = fh.read()
        if job.suffix == ".xlsx":
            document, locator = read_xlsx(data)
            kwargs: dict[str, Any] = {"locate": locator}
        else:
            document, kwargs = read_json(data), {}
        result = catalog_import(
            actor=actor,
            document=document,
            dry_run=job.dry_run,
            as_draft=job.as_draft,
            progress=progress,
            **kwargs,
        )
    except ImportFailed as exc:
        job.status = FAILED
        job.problems = [problem_cells(p) for p in exc.problems]
        job.summary = str(exc)
    except Exception:
        # The import rolled back; the job must not hang at "正在处理" for ever.
        logger.exception("catalogue import job %s failed", job.id)
        job.status = FAILED
        job.summary = "导入时系统出错，数据库未作任何修改。请把文件交系统管理员查看。"
    else:
        job.status = DONE
        job.summary = result.summary()
        job.notes = [problem_cells(p) for p in result.notes]
    job.message = ""
    job.finished_at = timezone.now().isoformat()
    _save_state(job)
    return {"status": job.status, "problems": len(job.problems)}
