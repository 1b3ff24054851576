"""What anyone may see: the one definition of a public publication, the public lists and
the public directory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from sanyi.openness.choices import (
    DisclosureAttribute,
    PublicationStatus,
)
from sanyi.openness.models import (
    Area,
    DirectoryEntry,
    Publication,
)
from sanyi.orgs.models import OrgUnit
from sanyi.orgs.tree import subtree_q

PUBLIC_STATUSES = (PublicationStatus.SCHEDULED, PublicationStatus.PUBLISHED)
# The columns the rule of ``publication_public_qs`` and ``is_public`` reads.
PUBLIC_RULE_FIELDS = ("attribute", "status", "publish_at")


def publication_public_qs(now: dt.datetime | None = None) -> QuerySet[Publication]:
    """Every publication a member of the public may see at ``now``."""
    now = now or timezone.now()
    return Publication.objects.filter(
        attribute=DisclosureAttribute.PROACTIVE,
        status__in=PUBLIC_STATUSES,
        publish_at__isnull=False,
        publish_at__lte=now,
    )


def public_among(
    ids: Iterable[int | str], *, fields: Sequence[str] = (), now: dt.datetime | None = None
) -> dict[int, Publication]:
    """The public records (``is_public``) among ``ids``, by id: the few of a page of search
    hits or of a form. Each is looked up by its id and the rule tested on the row read. As a
    filter on ``publication_public_qs`` SQLite reads the public list's index instead, every
    public record's entry (13 ms at 100,000 records) to keep ten. ``fields``: read only
    these (with the rule's own); all by default."""
    wanted = list(dict.fromkeys(int(pk) for pk in ids))
    if not wanted:
        return {}
    now = now or timezone.now()
    records = Publication.objects.all()
    if fields:
        records = records.only(*fields, *PUBLIC_RULE_FIELDS)
    found = records.in_bulk(wanted)
    return {pk: record for pk, record in found.items() if is_public(record, now=now)}


def next_public_release(now: dt.datetime) -> dt.datetime | None:
    """When the next scheduled record becomes public by the clock alone (the page cache
    starts a new generation then), or None. One query."""
    return Publication.objects.filter(
        attribute=DisclosureAttribute.PROACTIVE,
        status=PublicationStatus.SCHEDULED,
        publish_at__gt=now,
    ).aggregate(at=Min("publish_at"))["at"]


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


def publications_of_units_public(
    *, units: list[OrgUnit], limit: int = 5, now: dt.datetime | None = None
) -> list[Publication]:
    """The newest public publications published by exactly these units (a resident's
    community and subdistrict on the front door), newest first. One query."""
    if not units:
        return []
    return list(
        publication_public_qs(now)
        .filter(publisher__in=[unit.pk for unit in units])
        .select_related("publisher")
        .order_by("-publish_at", "-pk")[: max(1, min(limit, 50))]
    )
