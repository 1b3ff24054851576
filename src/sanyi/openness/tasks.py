"""Background work of the disclosure app (django-tasks)."""

from django_tasks import task


@task()
def publication_mark_due(publication_id: int | None = None) -> int:
    """Run at a scheduled record's publish time: record it as published and index it.
    Visibility never waits for this task (see ``selectors.publication_public_qs``)."""
    from sanyi.openness.services import publication_publish_due

    return publication_publish_due()


@task()
def publication_overdue_check() -> int:
    """Alert the responsible bodies of records past their publish-by date, for queueing by
    hand; each working day the scheduler job ``openness.check-timeliness`` does it."""
    from sanyi.openness.services import publication_overdue_alert

    return publication_overdue_alert()
