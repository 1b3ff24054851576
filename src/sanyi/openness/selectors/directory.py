"""The workbench's reading of the directory: entries in directory order, the negative list
and possible duplicates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, Value, When

from sanyi.openness.choices import (
    Level,
)
from sanyi.openness.models import (
    Area,
    DirectoryEntry,
    NegativeListEntry,
)
from sanyi.openness.selectors.staff import OPENNESS_ROLES
from sanyi.orgs.models import OrgUnit, User
from sanyi.orgs.permissions import scope_q
from sanyi.orgs.tree import subtree_q

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
