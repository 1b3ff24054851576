"""Background work of the audit app."""

from django_tasks import task

from sanyi.audit.selectors import audit_chain_verify


@task()
def audit_chain_verify_task() -> dict:
    """Check the whole chain against its head, for queueing by hand. The nightly check is
    the scheduler job ``audit.verify`` (``sanyi.audit.jobs``), which also alerts on a break.
    Returns every field of ChainReport (ok, checked, broken_seq, code, reason, reason_en,
    head_seq, head_hash, last_seq, keys, checkpoints)."""
    return audit_chain_verify().as_dict()
