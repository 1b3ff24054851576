"""Background work of the cases app (django-tasks)."""

from django_tasks import task


@task()
def cases_recompute_due(years: list[int], change_id: int | None = None, actor: str = "") -> int:
    """After a holiday-calendar change: recompute the due dates of open cases whose clocks
    touch the changed years, recording old → new on each case that moved."""
    from sanyi.cases.services import cases_recompute_for_years

    note = f"节假日安排调整（变更记录#{change_id}）" if change_id else "节假日安排调整"
    return cases_recompute_for_years(years=years, actor=actor or "系统：节假日调整", note=note)


@task()
def cases_update_warnings() -> dict:
    """Yellow and red lights and their notifications, for queueing by hand; each working
    day the scheduler job ``cases.warnings`` (``sanyi.cases.jobs``) does it."""
    from sanyi.cases.services import case_update_warnings

    return case_update_warnings()
