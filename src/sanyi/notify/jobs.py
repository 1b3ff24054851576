"""Scheduled jobs of the notify app, and the alert sent when any scheduled job fails."""

from __future__ import annotations

import datetime as dt
import logging
from datetime import datetime
from typing import Any

from django.utils import timezone

from sanyi.core.scheduler import (
    SCHEDULER_ACTOR,
    DailyAt,
    EveryMinutes,
    on_job_failure,
    register_job,
)

log = logging.getLogger(__name__)


def notify_deliver_job(*, now: datetime) -> str:
    from sanyi.notify.services import outbox_deliver_due

    counts = outbox_deliver_due(now=now)
    return (
        f"已发送 {counts['sent']} 条，失败待重试 {counts['failed']} 条，"
        f"停止发送 {counts['dead']} 条，恢复中断 {counts['released']} 条"
    )


def notify_outbox_prune_job(*, now: datetime) -> str:
    from sanyi.notify.services import outbox_prune

    return f"删除已发送的投递记录 {outbox_prune(actor=SCHEDULER_ACTOR, now=now)} 条"


register_job(
    name="notify.deliver",
    title="发送到期的待发送和待重试消息",
    schedule=EveryMinutes(1),
    func=notify_deliver_job,
    lease=dt.timedelta(minutes=20),
)
register_job(
    name="notify.outbox-prune",
    title="删除早已发送的投递记录（SANYI_OUTBOX_KEEP_DAYS）",
    schedule=DailyAt(at=dt.time(3, 0)),
    func=notify_outbox_prune_job,
)


@on_job_failure
def alert_platform_admins(*, job: Any, run: Any) -> None:
    """Tell the platform's system administrators that a scheduled job failed: once per job
    and day, so an every-minute job failing all day sends one message, not 1,440."""
    from sanyi.notify.services import notify_staff, platform_admins

    admins = platform_admins()
    if not admins:
        log.error("scheduled job %s failed and there is no system administrator to tell", job.name)
        return
    day = timezone.localdate(run.slot)
    notify_staff(
        event="scheduler.job_failed",
        subject=f"定时任务失败：{job.title}",
        body=(
            f"定时任务“{job.name}”（{job.title}）于 "
            f"{timezone.localtime(run.slot):%Y-%m-%d %H:%M} 运行失败：\n{run.error}\n\n"
            "请在服务器上运行 sanyi scheduler status 查看，处理后可用 "
            f"sanyi scheduler run-job {job.name} 重新运行。"
        ),
        users=admins,
        dedupe_key=f"scheduler.failed:{job.name}:{day:%Y-%m-%d}",
    )
