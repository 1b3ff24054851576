"""Scheduled jobs of proactive offers (run by ``sanyi scheduler run``)."""

import datetime as dt

from django.utils import timezone

from sanyi.core.actors import SCHEDULER
from sanyi.core.scheduler import DailyAt, register_job


def proactive_run_job(*, now) -> str:
    from sanyi.proactive.services import proactive_run

    made = proactive_run(on=timezone.localdate(now), actor=SCHEDULER)
    return f"主动服务推送 {len(made)} 条"


register_job(
    name="proactive.run",
    title="主动服务：按已发布的规则向符合条件的居民推送可申请的事项",
    schedule=DailyAt(at=dt.time(9, 0)),
    func=proactive_run_job,
)
