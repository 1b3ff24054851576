"""Popular services on the front door: the published items residents apply for and search
for most, each linked to the guide that applies where the resident lives.

Application counts belong to the cases app, which sits above the catalogue; the caller
reads them there (``cases.selectors.applied_item_counts``) and hands them in, so the
catalogue never imports cases. Search counts come from the search app's query log:
only what residents typed and found something for, matched to published item names. No
query text ever reaches the page, only item names, so nothing typed into the box can be
shown to others.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count

from sanyi.catalog.public._common import _published
from sanyi.search.models import SearchQueryLog

# How many of the most asked searches are matched against item names.
SEARCHES_READ = 50
# A search shorter than this (证, 办) would match half the catalogue.
MIN_SEARCH_LENGTH = 2


@dataclass(frozen=True)
class PopularItem:
    """One popular service: its name, the guide to open and why it is popular."""

    name: str
    implementation_code: str
    applied: int
    searched: int


@dataclass(frozen=True)
class _Implementation:
    base_item_id: int
    name: str
    code: str
    unit_path: str


def searched_item_counts(*, names: Mapping[int, str], since: dt.datetime) -> dict[int, int]:
    """How often residents searched for each item since ``since``: every search that found
    something and whose words appear in the item's name counts once for that item.
    ``names`` maps base item ids to names. One query."""
    # Imported here: the indexing module reads this package when it loads.
    from sanyi.catalog.indexing import ITEM_KIND

    rows = (
        SearchQueryLog.objects.filter(
            created_at__gte=since, result_count__gt=0, kinds__contains=ITEM_KIND
        )
        .exclude(text="")
        .values("text")
        .annotate(n=Count("pk"))
        .order_by("-n", "text")[:SEARCHES_READ]
    )
    counts: Counter[int] = Counter()
    for row in rows:
        text = row["text"].strip()
        if len(text) < MIN_SEARCH_LENGTH:
            continue
        for base_item_id, name in names.items():
            if text in name:
                counts[base_item_id] += row["n"]
    return dict(counts)


def _implementations() -> dict[int, list[_Implementation]]:
    rows = _published().values_list(
        "implementation_item__base_item_id",
        "implementation_item__base_item__name",
        "implementation_item__implementation_code",
        "implementation_item__implementing_unit__path",
    )
    found: dict[int, list[_Implementation]] = {}
    for base_item_id, name, code, path in rows:
        found.setdefault(base_item_id, []).append(_Implementation(base_item_id, name, code, path))
    return found


def _guide_for(implementations: list[_Implementation], area_path: str) -> _Implementation | None:
    """The implementation a resident of ``area_path`` uses: the deepest one whose unit is
    the resident's own unit or above it. Without an area, the one highest in the tree."""
    if not area_path:
        return min(implementations, key=lambda i: (len(i.unit_path), i.code))
    mine = [i for i in implementations if area_path.startswith(i.unit_path)]
    if not mine:
        return None  # only other communities or subdistricts offer it
    return max(mine, key=lambda i: (len(i.unit_path), i.code))


def popular_items(
    *,
    applied: Mapping[int, int],
    since: dt.datetime,
    area_path: str = "",
    limit: int = 8,
) -> list[PopularItem]:
    """The most applied-for and searched-for published items, most used first, each with
    the guide that applies in the area at ``area_path`` (an org path; empty for anywhere).
    ``applied`` is ``{base_item_id: applications}``. Items a resident of the area cannot
    use are left out. Public data, the same for every viewer. Two queries."""
    implementations = _implementations()
    names = {pk: rows[0].name for pk, rows in implementations.items()}
    searched = searched_item_counts(names=names, since=since)
    scores: Counter[int] = Counter()
    for base_item_id, n in applied.items():
        if base_item_id in implementations:
            scores[base_item_id] += n
    for base_item_id, n in searched.items():
        scores[base_item_id] += n
    popular: list[PopularItem] = []
    for base_item_id, _score in sorted(scores.items(), key=lambda kv: (-kv[1], names[kv[0]])):
        guide = _guide_for(implementations[base_item_id], area_path)
        if guide is None:
            continue
        popular.append(
            PopularItem(
                name=guide.name,
                implementation_code=guide.code,
                applied=applied.get(base_item_id, 0),
                searched=searched.get(base_item_id, 0),
            )
        )
        if len(popular) >= limit:
            break
    return popular
