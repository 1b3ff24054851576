"""Background work of requests for information (django-tasks)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def requests_check_clocks(today: str | None = None) -> dict[str, int]:
    """Daily: close requests whose correction or payment deadline has passed, then send the
    yellow and red warnings (each once per request, state and due date)."""
    from sanyi.disclosure_requests.services import requests_close_lapsed, requests_warn

    day = dt.date.fromisoformat(today) if today else None
    closed = requests_close_lapsed(today=day)
    warned = requests_warn(today=day)
    return {"closed": closed, "warned": warned}


@task()
def requests_recompute(years: list[int], change_id: int | None = None) -> int:
    """After a calendar change: recompute the due dates of the open requests."""
    from sanyi.calendar.models import CalendarChange
    from sanyi.disclosure_requests.services import requests_recompute_open

    change = CalendarChange.objects.filter(pk=change_id).first() if change_id else None
    return requests_recompute_open(years=set(years), change=change)


def on_calendar_changed(sender, *, years, actor=None, change=None, **kwargs) -> None:
    """Receiver of ``sanyi.calendar.signals.calendar_changed``: enqueue the recompute."""
    requests_recompute.enqueue(sorted(int(y) for y in years), getattr(change, "pk", None))


def due_preview(years: set[int], actor) -> list:
    """The open requests whose reply due dates a calendar change moves (old → new), for the
    calendar's preview: run inside its rolled-back transaction, after the new holidays."""
    from django.urls import reverse

    from sanyi.core.registry import DueMove
    from sanyi.disclosure_requests.models import InfoRequest
    from sanyi.disclosure_requests.services import requests_recompute_open

    before = dict(
        InfoRequest.objects.filter(clock_start_on__isnull=False).values_list("pk", "reply_due_on")
    )
    requests_recompute_open(years=years, actor=actor)
    after = InfoRequest.objects.filter(pk__in=before).order_by("reply_due_on", "pk")
    return [
        DueMove(
            kind="依申请公开",
            label=f"{row.number} 答复期限",
            url=reverse("workbench:disclosure_requests:detail", args=[row.pk]),
            old=before[row.pk],
            new=row.reply_due_on,
        )
        for row in after.only("pk", "number", "reply_due_on")
        if before[row.pk] != row.reply_due_on
    ]
