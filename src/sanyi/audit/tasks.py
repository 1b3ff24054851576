"""Background work of the audit app."""

from django_tasks import task

from sanyi.audit.selectors import audit_chain_verify


@task()
def audit_chain_verify_task() -> dict:
    """Check the whole hash chain; scheduled nightly so tampering is noticed early."""
    report = audit_chain_verify()
    return {"ok": report.ok, "checked": report.checked, "broken_seq": report.broken_seq}
