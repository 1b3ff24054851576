"""Scheduled jobs of requests for information (run by ``sanyi scheduler run``)."""

from django.utils import timezone

from sanyi.calendar.jobs import every_workday_at
from sanyi.core.scheduler import register_job


def requests_check_clocks_job(*, now) -> str:
    from sanyi.disclosure_requests.services import requests_close_lapsed, requests_warn

    today = timezone.localdate(now)
    closed = requests_close_lapsed(today=today)
    warned = requests_warn(today=today)
    return f"终止逾期未补正或未缴费的申请 {closed} 件，期限预警 {warned} 条"


register_job(
    name="requests.check-clocks",
    title="依申请公开：终止逾期未补正、未缴费的申请，发出期限预警",
    schedule=every_workday_at(7, 10),
    func=requests_check_clocks_job,
)
