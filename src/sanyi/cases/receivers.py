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


def connect() -> None:
    calendar_changed.connect(on_calendar_changed, dispatch_uid="cases.on_calendar_changed")
