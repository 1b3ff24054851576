"""Timeliness: by when a record must be published (publish-by dates) and which are overdue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from sanyi.calendar.selectors import add_workdays
from sanyi.openness.choices import (
    DisclosureAttribute,
    LimitUnit,
    PublicationStatus,
)
from sanyi.openness.models import (
    DirectoryEntry,
    Publication,
)
from sanyi.openness.selectors.public import PUBLIC_STATUSES
from sanyi.openness.selectors.staff import OPENNESS_ROLES
from sanyi.orgs.models import OrgUnit, User
from sanyi.orgs.permissions import scope_q
from sanyi.orgs.tree import subtree_q


@dataclass(frozen=True)
class PublishBy:
    date: dt.date
    provisional: bool


def publish_by(entry: DirectoryEntry, formed_on: dt.date) -> PublishBy | None:
    """The last day to publish information of ``entry`` formed or changed on ``formed_on``."""
    if entry.time_limit_days is None:
        return None
    if entry.time_limit_unit == LimitUnit.NATURAL_DAYS:
        return PublishBy(formed_on + dt.timedelta(days=entry.time_limit_days), False)
    deadline = add_workdays(formed_on, entry.time_limit_days)
    return PublishBy(deadline.date, deadline.provisional)


@dataclass(frozen=True)
class OverdueItem:
    publication: Publication
    due: PublishBy
    published_on: dt.date | None  # None: still not published
    days_late: int  # calendar days after the due date (today, or the late publish date)


class Timeliness:
    """How a record with a time limit stands against its publish-by date."""

    ON_TIME = "on_time"  # published on or before the date
    LATE = "late"  # published after the date
    OVERDUE = "overdue"  # the date has passed and it is still not published
    PENDING = "pending"  # not yet published, the date has not passed

    LABELS = {ON_TIME: "按时公开", LATE: "逾期公开", OVERDUE: "已逾期未公开", PENDING: "未到期"}


@dataclass(frozen=True)
class TimelinessRow:
    publication: Publication
    due: PublishBy
    published_on: dt.date | None
    state: str
    days_late: int  # calendar days past the due date (0 when on time or pending)

    @property
    def state_label(self) -> str:
        return Timeliness.LABELS[self.state]


def _timed_candidates(qs: QuerySet[Publication]) -> QuerySet[Publication]:
    """Proactive records formed or changed on a known date under an entry with a time limit."""
    return (
        qs.filter(
            attribute=DisclosureAttribute.PROACTIVE,
            formed_on__isnull=False,
            directory_entry__time_limit_days__isnull=False,
        )
        .exclude(status=PublicationStatus.REVOKED)
        .select_related("publisher", "directory_entry__org_unit", "directory_entry__area")
        .order_by("formed_on", "pk")
    )


def _timeliness_row(publication: Publication, today: dt.date) -> TimelinessRow | None:
    entry, formed_on = publication.directory_entry, publication.formed_on
    if entry is None or formed_on is None:  # not a candidate (see _timed_candidates)
        return None
    due = publish_by(entry, formed_on)
    if due is None:
        return None
    published_on = (
        timezone.localdate(publication.publish_at)
        if publication.status in PUBLIC_STATUSES and publication.publish_at
        else None
    )
    if published_on is not None:
        late = (published_on - due.date).days
        state = Timeliness.LATE if late > 0 else Timeliness.ON_TIME
    else:
        late = (today - due.date).days
        state = Timeliness.OVERDUE if late > 0 else Timeliness.PENDING
    return TimelinessRow(publication, due, published_on, state, max(late, 0))


@dataclass(frozen=True)
class TimelinessFilters:
    level: str = ""
    unit: OrgUnit | None = None  # the responsible body and everything below it
    state: str = ""


def publication_timeliness(
    *, viewer: User, today: dt.date, filters: TimelinessFilters | None = None
) -> dict[tuple[str, OrgUnit], list[TimelinessRow]]:
    """Every record with a time limit in the viewer's scope, measured against its
    publish-by date on working days, grouped by (level, responsible body) in tree order."""
    filters = filters or TimelinessFilters()
    qs = Publication.objects.filter(scope_q(viewer, OPENNESS_ROLES, "publisher__path"))
    if filters.level:
        qs = qs.filter(directory_entry__level=filters.level)
    if filters.unit is not None:
        qs = qs.filter(subtree_q(filters.unit.path, "directory_entry__org_unit__path"))
    if filters.state in (Timeliness.OVERDUE, Timeliness.PENDING):
        qs = qs.exclude(status__in=PUBLIC_STATUSES)
    elif filters.state in (Timeliness.ON_TIME, Timeliness.LATE):
        qs = qs.filter(status__in=PUBLIC_STATUSES)
    grouped: dict[tuple[str, OrgUnit], list[TimelinessRow]] = defaultdict(list)
    for publication in _timed_candidates(qs):
        row = _timeliness_row(publication, today)
        entry = publication.directory_entry
        if row is None or entry is None or (filters.state and row.state != filters.state):
            continue
        grouped[(entry.level, entry.org_unit)].append(row)
    return dict(sorted(grouped.items(), key=lambda kv: (kv[0][1].path, kv[0][0])))


def publication_overdue(
    *, viewer: User, today: dt.date
) -> dict[tuple[str, OrgUnit], list[OverdueItem]]:
    """Proactive records that were not public by their publish-by date, grouped by
    (level, responsible org unit): still unpublished after the date, or published late."""
    grouped: dict[tuple[str, OrgUnit], list[OverdueItem]] = {}
    for key, rows in publication_timeliness(viewer=viewer, today=today).items():
        items = [
            OverdueItem(r.publication, r.due, r.published_on, r.days_late)
            for r in rows
            if r.state in (Timeliness.LATE, Timeliness.OVERDUE)
        ]
        if items:
            grouped[key] = items
    return grouped


def publications_unpublished_past_due(*, today: dt.date) -> list[TimelinessRow]:
    """Across the whole system: records whose publish-by date has passed and that are
    still not published (for the overdue alerts, which run without a viewer)."""
    unpublished = Publication.objects.exclude(status__in=PUBLIC_STATUSES)
    rows = (_timeliness_row(p, today) for p in _timed_candidates(unpublished))
    return [r for r in rows if r is not None and r.state == Timeliness.OVERDUE]
