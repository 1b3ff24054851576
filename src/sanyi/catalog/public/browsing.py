"""The catalogue home: browse lists by department, level and theme, and search suggestions."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from sanyi.catalog.choices import (
    VersionStatus,
)
from sanyi.catalog.models import ImplementationItem, LifeEvent
from sanyi.catalog.public._common import PUBLIC_LEVELS, _published
from sanyi.orgs.models import OrgKind, OrgUnit
from sanyi.search.models import Synonym


@dataclass(frozen=True)
class BrowseEntry:
    label: str
    value: str
    count: int


@dataclass
class CatalogueOverview:
    total: int
    levels: list[BrowseEntry]
    themes_person: list[BrowseEntry]
    themes_business: list[BrowseEntry]
    departments: list[BrowseEntry]
    life_events: list[BrowseEntry]
    updated_at: dt.datetime | None


def department_of(item: ImplementationItem) -> OrgUnit | None:
    """The department a resident would name for an item: the implementing unit when it is
    a department, the department a station belongs to, else the department that delegated
    the item down. Needs implementing_unit__parent and delegated_from loaded."""
    unit = item.implementing_unit
    if unit.kind == OrgKind.DEPARTMENT:
        return unit
    if unit.kind == OrgKind.STATION and unit.parent_id and unit.parent.kind == OrgKind.DEPARTMENT:
        return unit.parent
    if item.delegated_from_id and item.delegated_from.kind == OrgKind.DEPARTMENT:
        return item.delegated_from
    return None


def catalogue_overview() -> CatalogueOverview:
    """Counts for the catalogue home: by level, theme, department and life event. Public
    data, the same for every viewer. Four queries."""
    rows = list(
        _published().select_related(
            "implementation_item__implementing_unit__parent",
            "implementation_item__delegated_from",
        )
    )
    levels: Counter = Counter()
    person: Counter = Counter()
    business: Counter = Counter()
    departments: Counter = Counter()
    order: dict[str, int] = {}
    for version in rows:
        item = version.implementation_item
        levels[item.level] += 1
        person.update(set(version.themes_person or []))
        business.update(set(version.themes_business or []))
        dept = department_of(item)
        if dept is not None:
            departments[dept.name] += 1
            order.setdefault(dept.name, dept.sort_order)
    events = (
        LifeEvent.objects.annotate(
            # Distinct base items: 生育登记 in six subdistricts is one thing to do.
            live=Count(
                "items__base_item",
                filter=Q(items__versions__status=VersionStatus.PUBLISHED),
                distinct=True,
            )
        )
        .filter(live__gt=0)
        .order_by("sort_order", "name")
    )
    return CatalogueOverview(
        total=len(rows),
        levels=[
            BrowseEntry(label, code, levels[code])
            for code, label in PUBLIC_LEVELS.items()
            if levels[code]
        ],
        themes_person=[BrowseEntry(t, t, n) for t, n in sorted(person.items(), key=_by_count)],
        themes_business=[BrowseEntry(t, t, n) for t, n in sorted(business.items(), key=_by_count)],
        departments=[
            BrowseEntry(name, name, n)
            for name, n in sorted(departments.items(), key=lambda kv: (order[kv[0]], kv[0]))
        ],
        life_events=[BrowseEntry(e.name, str(e.pk), e.live) for e in events],
        updated_at=max((v.published_at for v in rows), default=None),
    )


def _by_count(pair: tuple[str, int]) -> tuple[int, str]:
    return (-pair[1], pair[0])


# Everyday words most residents come for, offered first when they are in the synonym table.
EVERYDAY_WORDS = (
    "低保", "生孩子", "退休", "开店", "医保", "结婚", "办身份证", "失业金", "高龄补贴",
    "残疾证", "居住证", "公租房",
)  # fmt: skip


def search_suggestions(limit: int = 12) -> list[str]:
    """Everyday words worth trying when a search is empty or finds nothing: the residents'
    words of the synonym table (the everyday ones first), each of which leads to official
    item names."""
    terms = list(
        Synonym.objects.filter(is_active=True).order_by("term").values_list("term", flat=True)
    )
    rank = {word: n for n, word in enumerate(EVERYDAY_WORDS)}
    terms.sort(key=lambda t: rank.get(t, len(rank)))
    return terms[:limit]
