"""Scheduled jobs of the disclosure app (run by ``sanyi scheduler run``)."""

from django.utils import timezone

from sanyi.calendar.jobs import every_workday_at
from sanyi.core.scheduler import register_job


def openness_check_timeliness_job(*, now) -> str:
    from sanyi.openness.services import publication_overdue_alert

    count = publication_overdue_alert(today=timezone.localdate(now))
    return f"逾期未公开的信息 {count} 条"


register_job(
    name="openness.check-timeliness",
    title="政务公开：提醒逾期未公开的信息",
    schedule=every_workday_at(7, 20),
    func=openness_check_timeliness_job,
)
