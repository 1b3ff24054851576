"""Reading directories and publications.

``publication_public_qs(now)`` is the one definition of "public": every public surface
(list pages, the publication page, attachment downloads, feeds, the sitemap, search hits)
starts from it. A record is public when it is proactive, its status is scheduled or
published, and its publish time has come. Drafts, records in review or approved but not
published, on-request and not-disclosed records and revoked ones are never public.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sanyi.calendar.selectors import add_workdays
from sanyi.openness.choices import (
    DisclosureAttribute,
    LimitUnit,
    PublicationStatus,
)
from sanyi.openness.models import Area, DirectoryEntry, NegativeListEntry, Publication
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role, scope_q
from sanyi.orgs.tree import subtree_q

PUBLIC_STATUSES = (PublicationStatus.SCHEDULED, PublicationStatus.PUBLISHED)


def publication_public_qs(now: dt.datetime | None = None) -> QuerySet[Publication]:
    """Every publication a member of the public may see at ``now``."""
    now = now or timezone.now()
    return Publication.objects.filter(
        attribute=DisclosureAttribute.PROACTIVE,
        status__in=PUBLIC_STATUSES,
        publish_at__isnull=False,
        publish_at__lte=now,
    )


def is_public(publication: Publication, *, now: dt.datetime | None = None) -> bool:
    """The same rule as ``publication_public_qs`` for one loaded record."""
    now = now or timezone.now()
    return (
        publication.attribute == DisclosureAttribute.PROACTIVE
        and publication.status in PUBLIC_STATUSES
        and publication.publish_at is not None
        and publication.publish_at <= now
    )


@dataclass(frozen=True)
class PublicFilters:
    unit: OrgUnit | None = None  # the unit and everything below it
    level: str = ""
    area: Area | None = None
    entry: DirectoryEntry | None = None
    topic: str = ""
    year: int | None = None
    month: int | None = None


def publication_public_list(
    filters: PublicFilters, *, now: dt.datetime | None = None
) -> QuerySet[Publication]:
    """Public publications matching the browse filters, newest first, with what list
    pages show (publisher) joined in."""
    qs = publication_public_qs(now).select_related("publisher")
    if filters.unit is not None:
        # A subquery of unit ids rather than a join on paths: the public index holds
        # the publisher, so counting a unit's records reads the index alone.
        subtree = OrgUnit.objects.filter(subtree_q(filters.unit.path, "path")).values("pk")
        qs = qs.filter(publisher__in=subtree)
    if filters.level:
        qs = qs.filter(directory_entry__level=filters.level)
    if filters.area is not None:
        qs = qs.filter(directory_entry__area=filters.area)
    if filters.entry is not None:
        qs = qs.filter(directory_entry=filters.entry)
    if filters.topic:
        qs = qs.filter(topic=filters.topic)
    if filters.year:
        start_month = filters.month or 1
        start = timezone.make_aware(dt.datetime(filters.year, start_month, 1))
        if filters.month:
            end_year, end_month = (
                (filters.year + 1, 1) if filters.month == 12 else (filters.year, filters.month + 1)
            )
        else:
            end_year, end_month = filters.year + 1, 1
        end = timezone.make_aware(dt.datetime(end_year, end_month, 1))
        qs = qs.filter(publish_at__gte=start, publish_at__lt=end)
    return qs.order_by("-publish_at", "-pk")


def publication_public_get(pk: int, *, now: dt.datetime | None = None) -> Publication | None:
    return (
        publication_public_qs(now)
        .select_related("publisher", "directory_entry__area")
        .filter(pk=pk)
        .first()
    )


def publication_public_years(*, now: dt.datetime | None = None) -> list[int]:
    # datetimes(), not dates(): the year is that of the local (Beijing) publish time.
    moments = publication_public_qs(now).datetimes("publish_at", "year", order="DESC")
    return [m.year for m in moments]


def public_units_with_counts(*, now: dt.datetime | None = None) -> list[tuple[OrgUnit, int]]:
    """Units that have public publications, in tree order, with how many (their own)."""
    counts = dict(
        publication_public_qs(now)
        .values_list("publisher")
        .annotate(n=Count("pk"))
        .values_list("publisher", "n")
    )
    units = OrgUnit.objects.filter(pk__in=counts).order_by("path")
    return [(unit, counts[unit.pk]) for unit in units]


def area_list_public() -> QuerySet[Area]:
    return Area.objects.filter(is_active=True).annotate(
        entry_count=Count("entries", filter=Q(entries__is_active=True))
    )


def directory_entries_public(*, area: Area) -> QuerySet[DirectoryEntry]:
    """The published standard directory of one area (directories themselves are public)."""
    return (
        DirectoryEntry.objects.filter(area=area, is_active=True)
        .select_related("org_unit")
        .order_by("level", "sequence", "pk")
    )


# Staff -----------------------------------------------------------------------------------

OPENNESS_ROLES = (Role.DISCLOSURE_OFFICER, Role.SUPERVISOR)


def publication_list(*, viewer, status: str | None = None) -> QuerySet[Publication]:
    """Publications of the units where the viewer is a disclosure officer or supervisor."""
    qs = Publication.objects.filter(scope_q(viewer, OPENNESS_ROLES, "publisher__path"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("publisher").order_by("-updated_at", "-pk")


@dataclass(frozen=True)
class DuplicateEntry:
    """The same directory entry kept at more than one level (重复公开、多地公开)."""

    area: Area
    item_l1: str
    item_l2: str
    levels: list[str]
    entries: list[DirectoryEntry]


def directory_duplicates(*, viewer) -> list[DuplicateEntry]:
    """Entries (same area, level-1 and level-2 name) that appear at two or more levels,
    among the directories in the viewer's scope."""
    scoped = DirectoryEntry.objects.filter(scope_q(viewer, OPENNESS_ROLES), is_active=True)
    keys = (
        scoped.values("area", "item_l1", "item_l2")
        .annotate(levels=Count("level", distinct=True))
        .filter(levels__gt=1)
        .values_list("area", "item_l1", "item_l2")
    )
    key_set = set(keys)
    if not key_set:
        return []
    q = Q()
    for area_id, l1, l2 in key_set:
        q |= Q(area_id=area_id, item_l1=l1, item_l2=l2)
    grouped: dict[tuple, list[DirectoryEntry]] = defaultdict(list)
    for entry in scoped.filter(q).select_related("area", "org_unit").order_by("level", "pk"):
        grouped[(entry.area_id, entry.item_l1, entry.item_l2)].append(entry)
    return [
        DuplicateEntry(
            area=entries[0].area,
            item_l1=key[1],
            item_l2=key[2],
            levels=sorted({e.level for e in entries}),
            entries=entries,
        )
        for key, entries in sorted(grouped.items(), key=lambda kv: kv[0])
    ]


# Timeliness ------------------------------------------------------------------------------


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


def publication_overdue(*, viewer, today: dt.date) -> dict[tuple[str, OrgUnit], list[OverdueItem]]:
    """Proactive records that were not public by their publish-by date, grouped by
    (level, responsible org unit): still unpublished after the date, or published late."""
    candidates = (
        Publication.objects.filter(
            scope_q(viewer, OPENNESS_ROLES, "publisher__path"),
            attribute=DisclosureAttribute.PROACTIVE,
            formed_on__isnull=False,
            directory_entry__time_limit_days__isnull=False,
        )
        .exclude(status=PublicationStatus.REVOKED)
        .select_related("publisher", "directory_entry__org_unit")
        .order_by("formed_on", "pk")
    )
    grouped: dict[tuple[str, OrgUnit], list[OverdueItem]] = defaultdict(list)
    for publication in candidates:
        entry = publication.directory_entry
        due = publish_by(entry, publication.formed_on)
        if due is None:
            continue
        published_on = (
            timezone.localdate(publication.publish_at)
            if publication.status in PUBLIC_STATUSES and publication.publish_at
            else None
        )
        reference = published_on or today
        if reference <= due.date:
            continue
        grouped[(entry.level, entry.org_unit)].append(
            OverdueItem(publication, due, published_on, (reference - due.date).days)
        )
    return dict(grouped)


# Audit history -------------------------------------------------------------------------


def _history_check(queryset, unit_of):
    """A workbench history check: disclosure officers and supervisors of the unit."""

    def check(user, object_id: str) -> bool:
        if not str(object_id).isdigit():
            raise Http404("对象不存在")
        obj = queryset.filter(pk=int(object_id)).first()
        if obj is None:
            raise Http404("对象不存在")
        return has_role(user, OPENNESS_ROLES, unit_of(obj))

    return check


HISTORY_CHECKS = {
    "openness.publication": _history_check(
        Publication.objects.select_related("publisher"), lambda p: p.publisher
    ),
    "openness.directoryentry": _history_check(
        DirectoryEntry.objects.select_related("org_unit"), lambda e: e.org_unit
    ),
    "openness.negativelistentry": _history_check(
        NegativeListEntry.objects.select_related("org_unit"), lambda e: e.org_unit
    ),
}
