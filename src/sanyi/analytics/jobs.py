"""Scheduled jobs of analytics (run by ``sanyi scheduler run``)."""

import datetime as dt

from django.utils import timezone

from sanyi.core.actors import SCHEDULER
from sanyi.core.scheduler import DailyAt, EveryMinutes, register_job


def analytics_rollup_job(*, now) -> str:
    from sanyi.analytics.services import rollup_rebuild

    today = timezone.localdate(now)
    # Yesterday too: what happened late in the evening, and the run after midnight.
    result = rollup_rebuild(start=today - dt.timedelta(days=1), end=today, actor=SCHEDULER)
    return f"日统计：重算昨天和今天，{result.rows}行"


register_job(
    name="analytics.rollup",
    title="数据分析：每小时重算昨天和今天的日统计",
    schedule=EveryMinutes(60),
    func=analytics_rollup_job,
)


def analytics_behaviour_purge_job(*, now) -> str:
    from sanyi.analytics.services import RETENTION_DAYS, behaviour_purge

    deleted = behaviour_purge(today=timezone.localdate(now), actor=SCHEDULER)
    return f"行为日计数：删除{RETENTION_DAYS}天以前的{deleted}行"


register_job(
    name="analytics.behaviour-purge",
    title="数据分析：每天删除两年以前的行为日计数",
    schedule=DailyAt(at=dt.time(3, 50)),
    func=analytics_behaviour_purge_job,
)
