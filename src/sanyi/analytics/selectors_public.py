"""Public statistics (办件统计公开): what anyone may read about how the district serves.

Unlike ``analytics.selectors`` these functions take no viewer: they answer the same to
everyone, and so they only ever return sums of the daily facts by unit or by item, never
a case, an applicant or anything that points at one. Every figure is a sum of the facts'
counts over the period (``analytics.selectors.district_sums``: whole months from the
monthly facts, the ends from the daily facts); every rate is the quotient of two sums.

A rate over fewer than ``MIN_SAMPLE`` cases is not shown (样本不足): with one or two
cases a rate says more about those few people than about the unit (a community with one
bad rating this month would show "好评率 0%", and neighbours know who that was), and it
swings from 0 % to 100 % on a single case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from sanyi.analytics.selectors import district_sums
from sanyi.catalog.models import ImplementationItem
from sanyi.orgs.models import OrgKind, OrgUnit

# Below this many cases (or ratings) a rate is withheld: see the module docstring.
MIN_SAMPLE = 5
# The counts the public tables add up: nothing else leaves this module.
PUBLIC_MEASURES = (
    "concluded",
    "concluded_on_time_promised",
    "one_visit",
    "zero_visit",
    "ratings",
    "ratings_good",
)
LEVELS = {
    OrgKind.DISTRICT: "全区",
    OrgKind.SUBDISTRICT: "街道/乡镇",
    OrgKind.COMMUNITY: "社区/村",
}
ITEM_LIMIT = 30


@dataclass(frozen=True)
class Rate:
    """``part`` of ``whole``; ``percent`` is None when the sample is too small to show."""

    part: int
    whole: int

    @property
    def enough(self) -> bool:
        return self.whole >= MIN_SAMPLE

    @property
    def percent(self) -> float | None:
        if not self.enough:
            return None
        return round(100 * self.part / self.whole, 1)


@dataclass
class StatRow:
    """One line of a public table: a unit or an item and its summed counts."""

    name: str
    parent: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PUBLIC_MEASURES, 0))

    def add(self, sums: dict) -> None:
        """Add one row of ``district_sums``."""
        for name in PUBLIC_MEASURES:
            self.counts[name] += sums.get(name) or 0

    @property
    def concluded(self) -> int:
        return self.counts["concluded"]

    @property
    def on_time(self) -> Rate:
        return Rate(self.counts["concluded_on_time_promised"], self.concluded)

    @property
    def one_visit(self) -> Rate:
        return Rate(self.counts["one_visit"], self.concluded)

    @property
    def zero_visit(self) -> Rate:
        return Rate(self.counts["zero_visit"], self.concluded)

    @property
    def good(self) -> Rate:
        return Rate(self.counts["ratings_good"], self.counts["ratings"])

    def as_dict(self) -> dict:
        """The row as plain data (the API and the download use this)."""

        def pct(rate: Rate) -> float | None:
            return rate.percent

        return {
            "name": self.name,
            "parent": self.parent,
            "concluded": self.concluded,
            "on_time_rate": pct(self.on_time),
            "one_visit_rate": pct(self.one_visit),
            "zero_visit_rate": pct(self.zero_visit),
            "ratings": self.counts["ratings"],
            "good_rating_rate": pct(self.good),
        }


def _owner(path: str, roots: list[tuple[str, StatRow]]) -> StatRow | None:
    """The row whose unit's subtree holds ``path`` (roots never nest within one level)."""
    for prefix, row in roots:
        if path.startswith(prefix):
            return row
    return None


def unit_table(*, start: dt.date, end: dt.date, level: str) -> tuple[list[StatRow], StatRow]:
    """One row per active unit of ``level`` (its whole subtree counted), and the total of
    the whole district. Three queries: the units, and the facts summed per unit (whole
    months from the monthly facts, the ends of the period from the daily facts)."""
    units = list(
        OrgUnit.objects.filter(kind=level, is_active=True).select_related("parent").order_by("path")
    )
    rows = [(u.path, StatRow(name=u.name, parent=_parent_name(u, level))) for u in units]
    total = StatRow(name="全区合计")
    for sums in district_sums(start=start, end=end, by=("unit__path",)):
        total.add(sums)
        owner = _owner(sums["unit__path"], rows)
        if owner is not None:
            owner.add(sums)
    return [row for _, row in rows], total


def _parent_name(unit: OrgUnit, level: str) -> str:
    if level == OrgKind.COMMUNITY and unit.parent is not None:
        return unit.parent.name
    return ""


def item_table(
    *, start: dt.date, end: dt.date, search: str = "", limit: int = ITEM_LIMIT
) -> list[StatRow]:
    """The items with the most concluded cases in the period (those whose name or
    implementing unit contains ``search`` when given), largest first. Three queries: the
    facts summed per item (whole months and the ends), and the names of those shown."""
    where = Q(item__isnull=False)
    if search:
        where &= Q(item__base_item__name__icontains=search) | Q(
            item__implementing_unit__name__icontains=search
        )
    # Items with ratings but nothing concluded in the period are left out.
    grouped = [
        r
        for r in district_sums(start=start, end=end, by=("item_id",), where=where)
        if r["concluded"]
    ]
    names = {
        pk: (name, unit)
        for pk, name, unit in ImplementationItem.objects.filter(
            pk__in=[r["item_id"] for r in grouped]
        ).values_list("pk", "base_item__name", "implementing_unit__name")
    }
    grouped.sort(key=lambda r: (-r["concluded"], names[r["item_id"]][0], r["item_id"]))
    rows = []
    for sums in grouped[:limit]:
        name, unit = names[sums["item_id"]]
        row = StatRow(name=name, parent=unit)
        row.add(sums)
        rows.append(row)
    return rows


def period_bounds(*, year: int, month: int | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of ``year`` (or of its ``month``), cut at ``today``."""
    if month:
        start = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        end = following - dt.timedelta(days=1)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return start, min(end, today)


def period_years(today: dt.date) -> list[int]:
    """The years a visitor may choose: this year and the two before, newest first."""
    return [today.year - n for n in range(3)]
