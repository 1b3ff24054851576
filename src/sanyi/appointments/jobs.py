"""Scheduled jobs of the appointments app (run by ``sanyi scheduler run``)."""

import datetime as dt

from sanyi.core.actors import SCHEDULER
from sanyi.core.scheduler import DailyAt, EveryMinutes, register_job


def appointments_slots_job(*, now) -> str:
    from django.utils import timezone

    from sanyi.appointments.services import phone_codes_purge, slots_generate

    added = slots_generate(actor=SCHEDULER, today=timezone.localtime(now).date())
    purged = phone_codes_purge(now=now)
    return f"新增预约时段 {added} 个，删除过期的手机验证码 {purged} 条"


def appointments_no_show_job(*, now) -> str:
    from sanyi.appointments.services import bookings_mark_no_show

    return f"记为未到的预约 {bookings_mark_no_show(actor=SCHEDULER, now=now)} 个"


def appointments_remind_job(*, now) -> str:
    from sanyi.appointments.services import bookings_remind

    return f"发出预约提醒 {bookings_remind(now=now)} 条"


register_job(
    name="appointments.slots",
    title="发布今后两周的预约时段，删除过期的手机验证码",
    schedule=DailyAt(at=dt.time(1, 10)),
    func=appointments_slots_job,
)
register_job(
    name="appointments.no-shows",
    title="时段结束仍未签到的预约记为未到",
    schedule=EveryMinutes(minutes=15),
    func=appointments_no_show_job,
)
register_job(
    name="appointments.remind",
    title="前一天发出预约提醒短信",
    schedule=DailyAt(at=dt.time(16, 0)),
    func=appointments_remind_job,
)
