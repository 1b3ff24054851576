"""Background work of the disclosure app (django-tasks)."""

from django_tasks import task


@task()
def publication_mark_due(publication_id: int | None = None) -> int:
    """Run at a scheduled record's publish time: record it as published and index it.
    Visibility never waits for this task (see ``selectors.publication_public_qs``)."""
    from sanyi.openness.services import publication_publish_due

    return publication_publish_due()
