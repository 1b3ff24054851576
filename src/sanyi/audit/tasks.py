"""Background work of the audit app."""

from django_tasks import task

from sanyi.audit.selectors import audit_chain_verify


@task()
def audit_chain_verify_task() -> dict:
    """Check the whole hash chain, for queueing by hand. The nightly check is the scheduler
    job ``audit.verify`` (``sanyi.audit.jobs``), which also alerts on a break."""
    report = audit_chain_verify()
    return {"ok": report.ok, "checked": report.checked, "broken_seq": report.broken_seq}
