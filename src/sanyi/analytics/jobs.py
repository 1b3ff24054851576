"""Scheduled jobs of analytics (run by ``sanyi scheduler run``)."""

import datetime as dt

from django.utils import timezone

from sanyi.core.actors import SCHEDULER
from sanyi.core.scheduler import EveryMinutes, register_job


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
