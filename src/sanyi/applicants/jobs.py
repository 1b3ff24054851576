"""Scheduled jobs of the applicants app (run by ``sanyi scheduler run``)."""

import datetime as dt

from sanyi.core.scheduler import DailyAt, register_job


def applicants_purge_codes_job(*, now) -> str:
    from sanyi.applicants.services import signin_codes_purge

    return f"删除过期的登录验证码记录 {signin_codes_purge(now=now)} 条"


register_job(
    name="applicants.purge-codes",
    title="删除7天前的登录验证码记录",
    schedule=DailyAt(at=dt.time(3, 30)),
    func=applicants_purge_codes_job,
)
