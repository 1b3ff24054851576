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
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from sanyi.calendar.selectors import add_workdays
from sanyi.core.links import link_problem
from sanyi.openness.choices import (
    DisclosureAttribute,
    Level,
    LimitUnit,
    PublicationStatus,
)
from sanyi.openness.models import (
    Area,
    DirectoryEntry,
    Interpretation,
    NegativeListEntry,
    Publication,
)
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role, scope_paths, scope_q
from sanyi.orgs.tree import subtree_q

if TYPE_CHECKING:
    from sanyi.orgs.models import User

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


def is_openness_staff(user: User) -> bool:
    """Whether the user is a disclosure officer or supervisor anywhere."""
    return bool(scope_paths(user, OPENNESS_ROLES))


def is_disclosure_officer(user: User) -> bool:
    return bool(scope_paths(user, Role.DISCLOSURE_OFFICER))


def openness_units(*, viewer: User, officer_only: bool = False) -> QuerySet[OrgUnit]:
    """Active units in the viewer's disclosure scope, in tree order (for unit pickers)."""
    roles = Role.DISCLOSURE_OFFICER if officer_only else OPENNESS_ROLES
    return OrgUnit.objects.filter(scope_q(viewer, roles, "path"), is_active=True).order_by("path")


@dataclass(frozen=True)
class StaffPublicationFilters:
    status: str = ""
    unit: OrgUnit | None = None  # the publisher and everything below it
    area: Area | None = None
    entry: DirectoryEntry | None = None
    topic: str = ""
    document_kind: str = ""
    year: int | None = None  # publish year, or the year written for unpublished records
    text: str = ""  # words in the title


def publication_list(
    *, viewer: User, status: str | None = None, filters: StaffPublicationFilters | None = None
) -> QuerySet[Publication]:
    """Publications of the units where the viewer is a disclosure officer or supervisor,
    in every state, most recently changed first."""
    filters = filters or StaffPublicationFilters(status=status or "")
    qs = Publication.objects.filter(scope_q(viewer, OPENNESS_ROLES, "publisher__path"))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit is not None:
        subtree = OrgUnit.objects.filter(subtree_q(filters.unit.path, "path")).values("pk")
        qs = qs.filter(publisher__in=subtree)
    if filters.area is not None:
        qs = qs.filter(directory_entry__area=filters.area)
    if filters.entry is not None:
        qs = qs.filter(directory_entry=filters.entry)
    if filters.topic:
        qs = qs.filter(topic=filters.topic)
    if filters.document_kind:
        qs = qs.filter(document_kind=filters.document_kind)
    if filters.year:
        start = timezone.make_aware(dt.datetime(filters.year, 1, 1))
        end = timezone.make_aware(dt.datetime(filters.year + 1, 1, 1))
        qs = qs.filter(
            Q(publish_at__gte=start, publish_at__lt=end)
            | Q(
                publish_at__isnull=True,
                written_on__gte=dt.date(filters.year, 1, 1),
                written_on__lt=dt.date(filters.year + 1, 1, 1),
            )
        )
    for word in filters.text.split()[:5]:
        qs = qs.filter(title__contains=word)
    return qs.select_related("publisher", "directory_entry__area").order_by("-updated_at", "-pk")


def publication_staff_get(*, viewer: User, pk: int) -> Publication:
    """One publication in the viewer's scope; raises Publication.DoesNotExist otherwise."""
    return (
        Publication.objects.filter(scope_q(viewer, OPENNESS_ROLES, "publisher__path"))
        .select_related(
            "publisher",
            "directory_entry__area",
            "directory_entry__org_unit",
            "negative_entry",
            "created_by",
            "submitted_by",
            "reviewed_by",
        )
        .prefetch_related("attachments", "interpretations")
        .get(pk=pk)
    )


def publication_counts(*, viewer: User) -> dict[str, int]:
    """How many publications in the viewer's scope are in each status."""
    rows = (
        Publication.objects.filter(scope_q(viewer, OPENNESS_ROLES, "publisher__path"))
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = dict.fromkeys(PublicationStatus.values, 0)
    counts.update(dict(rows))
    return counts


def review_queue(*, viewer: User) -> QuerySet[Publication]:
    """Records waiting for a confidentiality check that the viewer may do: in the scope
    where the viewer is a disclosure officer, written and submitted by someone else."""
    return (
        Publication.objects.filter(
            scope_q(viewer, Role.DISCLOSURE_OFFICER, "publisher__path"),
            status=PublicationStatus.IN_REVIEW,
        )
        .exclude(created_by=viewer)
        .exclude(submitted_by=viewer)
        .select_related("publisher")
        .order_by("updated_at", "pk")
    )


# Directory order: area, then district → subdistrict → community, then body, then 序号.
LEVEL_RANK = Case(
    *(When(level=code, then=Value(rank)) for rank, code in enumerate(Level.values)),
    default=Value(len(Level.values)),
)
DIRECTORY_ORDER = (
    "area__sort_order", "area__code", LEVEL_RANK, "org_unit__path", "sequence", "pk",
)  # fmt: skip


@dataclass(frozen=True)
class DirectoryFilters:
    unit: OrgUnit | None = None  # the responsible body and everything below it
    level: str = ""
    area: Area | None = None
    active: bool | None = None
    text: str = ""


def directory_entry_list(
    *, viewer: User, filters: DirectoryFilters | None = None
) -> QuerySet[DirectoryEntry]:
    """Directory entries whose responsible body is in the viewer's scope."""
    filters = filters or DirectoryFilters()
    qs = DirectoryEntry.objects.filter(scope_q(viewer, OPENNESS_ROLES))
    if filters.unit is not None:
        qs = qs.filter(subtree_q(filters.unit.path, "org_unit__path"))
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.area is not None:
        qs = qs.filter(area=filters.area)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    for word in filters.text.split()[:5]:
        qs = qs.filter(Q(item_l1__contains=word) | Q(item_l2__contains=word))
    return qs.select_related("area", "org_unit").order_by(*DIRECTORY_ORDER)


def directory_entry_get(*, viewer: User, pk: int) -> DirectoryEntry:
    return (
        DirectoryEntry.objects.filter(scope_q(viewer, OPENNESS_ROLES))
        .select_related("area", "org_unit")
        .get(pk=pk)
    )


def negative_entry_list(
    *, viewer: User, unit: OrgUnit | None = None
) -> QuerySet[NegativeListEntry]:
    qs = NegativeListEntry.objects.filter(scope_q(viewer, OPENNESS_ROLES))
    if unit is not None:
        qs = qs.filter(subtree_q(unit.path, "org_unit__path"))
    return qs.select_related("org_unit", "area").order_by("org_unit__path", "title", "pk")


def negative_entry_get(*, viewer: User, pk: int) -> NegativeListEntry:
    return (
        NegativeListEntry.objects.filter(scope_q(viewer, OPENNESS_ROLES))
        .select_related("org_unit", "area")
        .get(pk=pk)
    )


def negative_entries_for(unit: OrgUnit) -> QuerySet[NegativeListEntry]:
    """Active negative-list entries that apply to ``unit`` (its own and its ancestors')."""
    return NegativeListEntry.objects.filter(
        org_unit_id__in=unit.ancestor_ids, is_active=True
    ).order_by("title")


@dataclass(frozen=True)
class DuplicateEntry:
    """The same directory entry kept at more than one level (重复公开、多地公开)."""

    area: Area
    item_l1: str
    item_l2: str
    levels: list[str]
    entries: list[DirectoryEntry]


def directory_duplicates(*, viewer: User) -> list[DuplicateEntry]:
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
    due = publish_by(publication.directory_entry, publication.formed_on)
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
        if row is None or (filters.state and row.state != filters.state):
            continue
        entry = publication.directory_entry
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


# Link hygiene --------------------------------------------------------------------------


@dataclass(frozen=True)
class UnsafeLink:
    what: str  # "政府信息" or "政策解读"
    pk: int
    title: str
    field: str
    label: str
    value: str
    problem: str


def unsafe_links() -> list[UnsafeLink]:
    """Stored links a public page would render that are not http(s) or relative.

    Services refuse these on write (core.links); this finds rows saved before that rule
    or written straight into the database, for ``sanyi openness check-links``.
    """
    found = []
    sources = (
        ("政府信息", Publication.objects.exclude(source_url=""), "source_url", "原文链接"),
        ("政策解读", Interpretation.objects.exclude(video_url=""), "video_url", "视频地址"),
    )
    for what, qs, field, label in sources:
        for pk, title, value in qs.order_by("pk").values_list("pk", "title", field).iterator():
            problem = link_problem(value, absolute=True)
            if problem:
                found.append(UnsafeLink(what, pk, title, field, label, value, problem))
    return found


# Audit history -------------------------------------------------------------------------


def _history_check(
    queryset: QuerySet[Any], unit_of: Callable[[Any], OrgUnit]
) -> Callable[[User, str], bool]:
    """A workbench history check: disclosure officers and supervisors of the unit."""

    def check(user: User, object_id: str) -> bool:
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
