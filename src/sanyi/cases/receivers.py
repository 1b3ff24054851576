"""Signal receivers of the cases app (connected in CasesConfig.ready)."""

from __future__ import annotations

import logging

from sanyi.calendar.signals import calendar_changed

log = logging.getLogger(__name__)


def on_calendar_changed(sender, *, years, actor=None, change=None, **kwargs) -> None:
    """Enqueue the recompute of open cases' due dates for the changed years."""
    from sanyi.cases.tasks import cases_recompute_due

    label = actor if isinstance(actor, str) else "系统：节假日调整"
    cases_recompute_due.enqueue(
        sorted(int(y) for y in years), change.pk if change is not None else None, label
    )


def due_preview(years: set[int], actor) -> list:
    """The open cases whose due dates a calendar change moves, for the calendar's preview.

    Called inside the preview's rolled-back transaction, after the new holidays are
    written: it runs the same recompute the change will run and reports old → new.
    """
    from django.urls import reverse

    from sanyi.cases.choices import OPEN_STATUSES
    from sanyi.cases.models import Case
    from sanyi.cases.services import cases_recompute_for_years
    from sanyi.core.registry import DueMove

    fields = ("pk", "promised_due_on", "statutory_due_on")
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    before = {row[0]: row[1:] for row in open_cases.values_list(*fields)}
    cases_recompute_for_years(years=years, actor=actor, note="节假日安排调整（预览）")
    moved = [
        case
        for case in open_cases.filter(pk__in=before)
        .select_related("implementation_item__base_item")
        .order_by("promised_due_on", "pk")
        if before[case.pk] != (case.promised_due_on, case.statutory_due_on)
    ]
    return [
        DueMove(
            kind="办件",
            label=f"{case.number} {case.implementation_item.base_item.name}",
            url=reverse("workbench:cases:work_case", args=[case.pk]),
            old=before[case.pk][0] or before[case.pk][1],
            new=case.promised_due_on or case.statutory_due_on,
        )
        for case in moved
    ]


def connect() -> None:
    from sanyi.core.registry import register_due_preview

    calendar_changed.connect(on_calendar_changed, dispatch_uid="cases.on_calendar_changed")
    register_due_preview("cases", due_preview)
