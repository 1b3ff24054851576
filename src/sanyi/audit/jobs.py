"""Scheduled jobs of the audit app (run by ``sanyi scheduler run``)."""

from __future__ import annotations

import datetime as dt
from datetime import datetime

from sanyi.audit.selectors import audit_chain_verify
from sanyi.core.scheduler import DailyAt, JobFailed, register_job


def audit_verify_job(*, now: datetime) -> str:
    """Recompute the whole hash chain. A break fails the run, which alerts the system
    administrators (the failure handler of the notify app)."""
    report = audit_chain_verify()
    if not report.ok:
        raise JobFailed(
            f"审计留痕在第 {report.broken_seq} 条记录处断链：{report.reason}"
            f"（此前 {report.checked} 条完好）"
        )
    return f"ok（{report.checked} 条记录）"


register_job(
    name="audit.verify",
    title="校验审计留痕的哈希链，发现断链即告警",
    schedule=DailyAt(at=dt.time(2, 0)),
    func=audit_verify_job,
    lease=dt.timedelta(hours=3),
)
