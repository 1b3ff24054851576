"""Scheduled jobs of the plumbing itself: the scheduler's own run records, and abandoned
staged uploads."""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from django.conf import settings

from sanyi.core.imports import imports_cleanup_stale
from sanyi.core.scheduler import DailyAt, job_runs_prune, register_job


def scheduler_prune_job(*, now: datetime) -> str:
    keep = int(getattr(settings, "SANYI_SCHEDULER_KEEP_DAYS", 30))
    return f"删除 {keep} 天前的运行记录 {job_runs_prune(now=now, keep_days=keep)} 条"


def imports_cleanup_job(*, now: datetime) -> str:
    """Delete staged uploads nobody confirmed (previews, finished catalogue import jobs);
    the run record keeps how many went."""
    removed = imports_cleanup_stale(now=now)
    return f"已清理{removed}个过期的导入暂存文件"


register_job(
    name="core.scheduler-prune",
    title="删除早已结束的定时任务运行记录（SANYI_SCHEDULER_KEEP_DAYS）",
    schedule=DailyAt(at=dt.time(3, 10)),
    func=scheduler_prune_job,
)
register_job(
    name="core.imports-cleanup",
    title="删除无人确认、已经过时的暂存上传文件",
    schedule=DailyAt(at=dt.time(3, 20)),
    func=imports_cleanup_job,
)
