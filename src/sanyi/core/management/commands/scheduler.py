from __future__ import annotations

import datetime as dt
import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from sanyi.core.models import JobRunStatus
from sanyi.core.scheduler import (
    job_get,
    job_run_now,
    job_status_list,
    node_name,
    registered_jobs,
    scheduler_tick,
)

STATUS_LABELS = dict(JobRunStatus.choices)
log = logging.getLogger(__name__)


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class Command(BaseCommand):
    help = (
        "定时任务：run 持续运行调度（多节点同时运行时每次只执行一遍）、"
        "status 查看各任务上次运行情况、run-job 立即运行一个任务"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="按计划运行定时任务，直到收到停止信号")
        run.add_argument(
            "--once", action="store_true", help="只检查一遍到期任务就退出（供 cron 每分钟调用）"
        )
        run.add_argument(
            "--interval", type=int, default=15, help="检查到期任务的间隔秒数（默认 15）"
        )
        sub.add_parser("status", help="列出各定时任务的计划、上次运行和下次运行时间")
        one = sub.add_parser("run-job", help="立即运行一个定时任务（不等计划时间）")
        one.add_argument("name", help="任务名，见 sanyi scheduler status")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_run(self, *, once: bool = False, interval: int = 15, **_: Any) -> None:
        if interval < 1:
            raise CommandError("--interval 至少为 1 秒")
        node = node_name()
        stopping = []

        def stop(signum: int, frame: object) -> None:
            stopping.append(signum)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        names = "、".join(j.name for j in registered_jobs())
        self.stdout.write(f"定时任务调度已启动（节点 {node}）：{names}")
        while not stopping:
            close_old_connections()
            try:
                runs = scheduler_tick(now=timezone.now(), node=node)
            except DatabaseError:
                # The database was unreachable or busy: nothing was claimed, so the next
                # tick tries the same slots again.
                log.exception("scheduler tick failed; retrying at the next tick")
                runs = []
            for run in runs:
                self.stdout.write(
                    f"{_local(run.slot)} {run.job}：{STATUS_LABELS[run.status]}，"
                    f"{run.duration_ms} 毫秒 {run.result or run.error}"
                )
            self.stdout.flush()  # under systemd stdout is a pipe; the journal should not lag
            if once:
                break
            # Sleep in short steps so a stop signal ends the process promptly.
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
        close_old_connections()

    def do_status(self, **_: Any) -> None:
        rows = job_status_list(now=timezone.now())
        for row in rows:
            last = row.last
            if last is None:
                state = "从未运行"
            else:
                state = (
                    f"上次 {_local(last.slot)} {STATUS_LABELS[last.status]}"
                    + (f"（{last.duration_ms} 毫秒）" if last.duration_ms is not None else "")
                    + (f" {last.error}" if last.error else "")
                )
                if last.status != JobRunStatus.OK:
                    state += f"；上次成功 {_local(row.last_ok.slot) if row.last_ok else '无'}"
            self.stdout.write(
                f"{row.job.name}\t{row.job.schedule.describe()}\t{state}\t"
                f"下次 {_local(row.next_slot)}\t{row.job.title}"
            )

    def do_run_job(self, *, name: str, **_: Any) -> None:
        job = job_get(name)
        if job is None:
            known = "、".join(j.name for j in registered_jobs())
            raise CommandError(f"没有名为“{name}”的定时任务。已有：{known}")
        run = job_run_now(job=job, now=timezone.now())
        if run is None:
            raise CommandError(f"“{name}”正在另一个节点上运行，本次未重复运行")
        if run.status != JobRunStatus.OK:
            raise CommandError(f"{name} 失败：{run.error}")
        self.stdout.write(f"{name}：成功，{run.duration_ms} 毫秒 {run.result}")
