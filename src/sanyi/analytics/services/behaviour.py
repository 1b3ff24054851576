"""Counting what residents do on the public site (行为分析), and forgetting old counts.

Only daily counts per item and kind are written (``BehaviourCount``): no session id, no
address, no browser, no account. docs/adr/0027-behaviour-analytics.md says why.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F

from sanyi.analytics.models import BehaviourCount, BehaviourKind
from sanyi.audit.services import audit_record
from sanyi.catalog.models import ImplementationItem
from sanyi.core.actors import Actor

# Counts older than this are deleted by the daily job (analytics.behaviour-purge).
RETENTION_DAYS = 2 * 366


def behaviour_count_add(*, kind: str, implementation_code: str, day: dt.date) -> bool:
    """Add one session to the day's count of ``kind`` for the item; False (and nothing
    written) when no item has that code.

    One UPDATE in the usual case (the item found by its code inside it); the first count
    of a day inserts the row, and a concurrent first insert falls back to the UPDATE. Not
    audited: a page view is not an act of anyone's, and an audit row per view would
    outgrow everything else.
    """
    if kind not in BehaviourKind.values:
        raise ValueError(f"unknown behaviour kind: {kind}")
    todays = BehaviourCount.objects.filter(
        day=day, kind=kind, item__implementation_code=implementation_code
    )
    if todays.update(sessions=F("sessions") + 1):
        return True
    item_id = (
        ImplementationItem.objects.filter(implementation_code=implementation_code)
        .values_list("pk", flat=True)
        .first()
    )
    if item_id is None:
        return False
    try:
        with transaction.atomic():
            BehaviourCount.objects.create(day=day, item_id=item_id, kind=kind, sessions=1)
    except IntegrityError:
        todays.update(sessions=F("sessions") + 1)
    return True


@transaction.atomic
def behaviour_purge(*, today: dt.date, actor: Actor) -> int:
    """Delete the counts of days more than RETENTION_DAYS before ``today``; returns how
    many rows went."""
    cutoff = today - dt.timedelta(days=RETENTION_DAYS)
    deleted, _ = BehaviourCount.objects.filter(day__lt=cutoff).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="analytics.behaviour_purge",
            object_type="analytics.behaviourcount",
            object_id=f"{cutoff:%Y-%m-%d}",
            note=f"删除{cutoff:%Y-%m-%d}以前的行为日计数，{deleted}行",
        )
    return deleted
