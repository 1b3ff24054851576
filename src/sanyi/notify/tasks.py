"""Background work of the notify app (django-tasks)."""

from django_tasks import task


@task()
def deliver_outbox(outbox_ids: list[int]) -> dict[str, int]:
    """Deliver the given outbox rows now (queued after the transaction that wrote them)."""
    from sanyi.notify.services import outbox_deliver

    counts: dict[str, int] = {}
    for pk in outbox_ids:
        result = outbox_deliver(outbox_id=pk) or "skipped"
        counts[str(result)] = counts.get(str(result), 0) + 1
    return counts


@task()
def deliver_due() -> dict[str, int]:
    """The sweeper: send every due row the worker missed (run it every minute or so)."""
    from sanyi.notify.services import outbox_deliver_due

    return outbox_deliver_due()
