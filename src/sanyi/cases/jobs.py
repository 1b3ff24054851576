"""Scheduled jobs of the cases app (run by ``sanyi scheduler run``)."""

from django.utils import timezone

from sanyi.calendar.jobs import every_workday_at
from sanyi.core.scheduler import register_job


def cases_warnings_job(*, now) -> str:
    from sanyi.cases.services import case_update_warnings

    counts = case_update_warnings(today=timezone.localdate(now))
    return f"黄灯 {counts['yellow']} 件，红灯 {counts['red']} 件，本次变化 {counts['changed']} 件"


register_job(
    name="cases.warnings",
    title="办件预警：更新黄灯、红灯并通知承办人和督查人员",
    schedule=every_workday_at(7, 0),
    func=cases_warnings_job,
)


def cases_bundles_job(*, now) -> str:
    from sanyi.cases.services import bundles_start_waiting

    return f"一件事：{bundles_start_waiting()} 个等待前序办件的事项已处理"


register_job(
    name="cases.bundles",
    title="一件事：前序办件办结后，开始办理等待它的事项（补漏）",
    schedule=every_workday_at(7, 30),
    func=cases_bundles_job,
)
