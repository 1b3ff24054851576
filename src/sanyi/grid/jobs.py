"""Scheduled jobs of grid work (run by ``sanyi scheduler run``)."""

import datetime as dt

from django.utils import timezone

from sanyi.core.actors import SCHEDULER
from sanyi.core.scheduler import DailyAt, register_job


def grid_visit_reminders_job(*, now) -> str:
    from sanyi.grid.services import visit_reminders_send

    sent = visit_reminders_send(actor=SCHEDULER, today=timezone.localdate(now))
    return f"待走访提醒 {sent} 条"


register_job(
    name="grid.visit_reminders",
    title="走访台账：提醒网格员7天内到期和已超期的住户",
    schedule=DailyAt(at=dt.time(7, 45)),
    func=grid_visit_reminders_job,
)
