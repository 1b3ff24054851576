"""The supervisors' dashboard (数据驾驶舱): its figures, series and tables, read from the
facts (``analytics.selectors.sums``, which applies the viewer's scope and takes whole
months from the monthly facts) by a fixed handful of aggregate queries,
whatever the number of facts. The series is per day for a period of up to
``DAILY_SERIES_DAYS`` days and per month beyond, so a year is twelve points read from the
monthly facts rather than 365 read from the daily ones.

Every rate is the quotient of two summed counts over the period (see docs/analytics.md
for each figure's definition); a rate with nothing to divide is ``None`` (shown as "—").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from sanyi.analytics.models import MEASURES
from sanyi.analytics.selectors import sums
from sanyi.cases.choices import CaseChannel
from sanyi.catalog.choices import LimitUnit, VersionStatus
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.orgs.models import OrgKind, OrgUnit, Role, User
from sanyi.orgs.permissions import scope_paths, scope_q, scope_roots
from sanyi.orgs.tree import subtree_q

# Who may open the dashboard: supervisors, and approvers as the heads of their units.
DASHBOARD_ROLES = (Role.SUPERVISOR, Role.APPROVER)
LEVELS = (
    (OrgKind.DISTRICT, "区"),
    (OrgKind.SUBDISTRICT, "街道"),
    (OrgKind.COMMUNITY, "社区"),
)
PRESETS = (
    ("this_month", "本月"),
    ("last_month", "上月"),
    ("this_quarter", "本季度"),
    ("this_year", "本年"),
    ("last_12_months", "近12个月"),
)
TOP_ITEMS = 10
# Longer periods get one point a month in the series.
DAILY_SERIES_DAYS = 92


def may_view(viewer: User) -> bool:
    return bool(scope_paths(viewer, DASHBOARD_ROLES))


def preset_period(name: str, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days of a named period, up to today (本月 by default)."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    if name == "last_month":
        end = month_start - dt.timedelta(days=1)
        return end.replace(day=1), end
    if name == "this_quarter":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
    if name == "this_year":
        return today.replace(month=1, day=1), today
    if name == "last_12_months":
        year, month = (today.year - 1, today.month + 1) if today.month < 12 else (today.year, 1)
        return dt.date(year, month, 1), today
    return month_start, today


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    unit: OrgUnit | None = None
    level: str = ""
    item: ImplementationItem | None = None
    theme: str = ""
    channel: str = ""

    def query(self) -> dict[str, str]:
        """The filters as GET parameters (for links to drill-downs and exports)."""
        params = {"start": f"{self.start:%Y-%m-%d}", "end": f"{self.end:%Y-%m-%d}"}
        extra = {
            "unit": str(self.unit.pk) if self.unit else "",
            "level": self.level,
            "item": str(self.item.pk) if self.item else "",
            "theme": self.theme,
            "channel": self.channel,
        }
        params.update({k: v for k, v in extra.items() if v})
        return params


def rate(part: int, whole: int) -> float | None:
    """``part / whole`` as a percentage with one decimal, None when ``whole`` is 0."""
    return round(part * 100 / whole, 1) if whole else None


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 1) if whole else None


@dataclass(frozen=True)
class Figures:
    """The dashboard's figures over summed counts (``counts`` holds every measure)."""

    counts: Mapping[str, int]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.counts[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def on_time_promised(self) -> float | None:
        return rate(self.counts["concluded_on_time_promised"], self.counts["concluded"])

    @property
    def on_time_statutory(self) -> float | None:
        return rate(self.counts["concluded_on_time_statutory"], self.counts["concluded"])

    @property
    def concluded_late(self) -> int:
        return self.counts["concluded"] - self.counts["concluded_on_time_promised"]

    @property
    def avg_workdays(self) -> float | None:
        return ratio(self.counts["handling_workdays_sum"], self.counts["concluded"])

    @property
    def one_visit_rate(self) -> float | None:
        return rate(self.counts["one_visit"], self.counts["concluded"])

    @property
    def zero_visit_rate(self) -> float | None:
        return rate(self.counts["zero_visit"], self.counts["concluded"])

    @property
    def precheck_pass_rate(self) -> float | None:
        """Online cases received that passed pre-check the first time, estimated as
        1 − pre-check notices / online cases received (never below 0)."""
        online = self.counts.get("received_online", 0)
        if not online:
            return None
        return max(rate(online - self.counts["precheck_rounds"], online) or 0.0, 0.0)

    @property
    def good_rate(self) -> float | None:
        return rate(self.counts["ratings_good"], self.counts["ratings"])

    @property
    def rectified_on_time_rate(self) -> float | None:
        return rate(self.counts["ratings_bad_rectified_on_time"], self.counts["ratings_bad"])

    @property
    def publications_on_time_rate(self) -> float | None:
        return rate(self.counts["publications_on_time"], self.counts["publications_timed"])

    @property
    def requests_on_time_rate(self) -> float | None:
        return rate(self.counts["requests_on_time"], self.counts["requests_answered"])

    def as_dict(self) -> dict[str, Any]:
        rates = {name: getattr(self, name) for name in RATE_NAMES}
        return {**dict(self.counts), "concluded_late": self.concluded_late, **rates}


RATE_NAMES = (
    "on_time_promised",
    "on_time_statutory",
    "avg_workdays",
    "one_visit_rate",
    "zero_visit_rate",
    "precheck_pass_rate",
    "good_rate",
    "rectified_on_time_rate",
    "publications_on_time_rate",
    "requests_on_time_rate",
)


@dataclass(frozen=True)
class DayPoint:
    day: dt.date
    received: int
    accepted: int
    concluded: int


@dataclass(frozen=True)
class BreakdownRow:
    unit: OrgUnit
    figures: Figures


@dataclass(frozen=True)
class ItemRow:
    item: ImplementationItem
    figures: Figures
    promised_days: int | None  # the promised limit in working days, when it is one


@dataclass
class Dashboard:
    filters: Filters
    figures: Figures
    days: list[DayPoint]
    channels: list[tuple[str, str, int]]  # (code, label, received)
    units: list[BreakdownRow]
    items: list[ItemRow]
    avg_promised_days: float | None = None
    grain: str = "day"  # of ``days``: "day", or "month" (each point the month's first day)


Rows = list[dict[str, Any]]


def _counts(row: Mapping[str, Any]) -> dict[str, int]:
    return {name: row.get(name) or 0 for name in MEASURES}


def theme_items(theme: str) -> list[int]:
    """The implementation items whose published guide lists ``theme`` among its themes
    for persons or for businesses (one query)."""
    rows = ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
    return [
        item_id
        for item_id, person, business in rows.values_list(
            "implementation_item_id", "themes_person", "themes_business"
        )
        if theme in (person or []) or theme in (business or [])
    ]


def filter_q(filters: Filters) -> Q:
    """The facts behind the dashboard within the viewer's scope: the unit's subtree, the
    item or the theme's items, the channel."""
    where = Q()
    if filters.unit is not None:
        where &= subtree_q(filters.unit.path, "unit__path")
    if filters.item is not None:
        where &= Q(item=filters.item)
    if filters.theme:
        where &= Q(item_id__in=theme_items(filters.theme))
    if filters.channel:
        where &= Q(channel=filters.channel)
    return where


def _read(viewer: User, filters: Filters, where: Q, by: tuple[str, ...]) -> Rows:
    return sums(viewer, start=filters.start, end=filters.end, by=by, where=where)


def _totals(by_channel: Rows) -> Figures:
    """The period's figures, summed from the rows per channel (received online is the
    online row's)."""
    counts = dict.fromkeys(MEASURES, 0)
    for row in by_channel:
        for name in MEASURES:
            counts[name] += row[name]
    counts["received_online"] = sum(
        r["received"] for r in by_channel if r["channel"] == CaseChannel.ONLINE
    )
    return Figures(counts)


def series_grain(filters: Filters) -> str:
    """ "day" for a period of up to DAILY_SERIES_DAYS days, else "month"."""
    return "day" if (filters.end - filters.start).days < DAILY_SERIES_DAYS else "month"


def _next(point: dt.date, grain: str) -> dt.date:
    if grain == "day":
        return point + dt.timedelta(days=1)
    return (point + dt.timedelta(days=32)).replace(day=1)


def _group(rows: Rows, key: str) -> Rows:
    """``rows`` (grouped by several keys) summed again by ``key`` alone."""
    out: dict[Any, dict[str, Any]] = {}
    for row in rows:
        into = out.setdefault(row[key], {key: row[key], **dict.fromkeys(MEASURES, 0)})
        for name in MEASURES:
            into[name] += row[name]
    return list(out.values())


def _days(by_time: Rows, filters: Filters) -> list[DayPoint]:
    grain = series_grain(filters)
    rows = {r[grain]: r for r in _group(by_time, grain)}
    first = filters.start if grain == "day" else filters.start.replace(day=1)
    points, point = [], first
    while point <= filters.end:
        r = rows.get(point, {})
        points.append(
            DayPoint(point, r.get("received", 0), r.get("accepted", 0), r.get("concluded", 0))
        )
        point = _next(point, grain)
    return points


def _channels(by_channel: Rows) -> list[tuple[str, str, int]]:
    got = {r["channel"]: r["received"] for r in by_channel if r["channel"]}
    return [(code, str(label), got.get(code) or 0) for code, label in CaseChannel.choices]


def breakdown_units(viewer: User, filters: Filters) -> list[OrgUnit]:
    """The rows of the per-unit table: the units of the chosen level in the viewer's scope
    (under the chosen unit), else the chosen unit's children, else the viewer's top units'
    children (one query, or two for the top units)."""
    qs = OrgUnit.objects.filter(scope_q(viewer, Role.values, path_field="path"), is_active=True)
    if filters.level:
        qs = qs.filter(kind=filters.level)
        if filters.unit is not None:
            qs = qs.filter(path__startswith=filters.unit.path)
    elif filters.unit is not None:
        qs = qs.filter(parent=filters.unit)
    else:
        roots = scope_roots(viewer, Role.values)
        qs = qs.filter(parent__in=[r.pk for r in roots])
    return list(qs.order_by("path"))


def _units(by_path: Rows, rows: list[OrgUnit]) -> list[BreakdownRow]:
    """Each row unit's subtree sums, from the facts grouped by their unit's path."""
    result = []
    for unit in rows:
        counts = dict.fromkeys(MEASURES, 0)
        for row in by_path:
            if row["unit__path"].startswith(unit.path):
                for name in MEASURES:
                    counts[name] += row[name]
        result.append(BreakdownRow(unit, Figures(counts)))
    return result


def _promised_days(item_ids: Iterable[int]) -> dict[int, int]:
    """Each item's promised limit in working days, from its published guide."""
    rows = ItemVersion.objects.filter(
        implementation_item_id__in=list(item_ids),
        status=VersionStatus.PUBLISHED,
        promised_limit_unit=LimitUnit.WORKING_DAY,
    )
    pairs = rows.values_list("implementation_item_id", "promised_limit_value")
    return {item_id: days for item_id, days in pairs if days}


def _items(by_item: Rows) -> tuple[list[ItemRow], float | None]:
    """The items with the most cases received, and the average promised limit weighted
    by the cases concluded (over every item with a limit in working days)."""
    grouped = [r for r in by_item if r["item_id"] is not None]
    grouped.sort(key=lambda r: (-r["received"], -r["concluded"], r["item_id"]))
    limits = _promised_days(r["item_id"] for r in grouped)
    weighted = [(r["concluded"], limits[r["item_id"]]) for r in grouped if r["item_id"] in limits]
    done = sum(n for n, _ in weighted)
    avg = round(sum(n * d for n, d in weighted) / done, 1) if done else None
    top = grouped[:TOP_ITEMS]
    names = ImplementationItem.objects.select_related("base_item")
    by_id = names.in_bulk([r["item_id"] for r in top])
    rows = [
        ItemRow(by_id[r["item_id"]], Figures(_counts(r)), limits.get(r["item_id"]))
        for r in top
        if r["item_id"] in by_id
    ]
    return rows, avg


def dashboard(viewer: User, filters: Filters) -> Dashboard:
    """Everything the dashboard page, its export and the API show: two reads of the facts
    (by time and channel, by unit and item), each summed again for the tables."""
    where = filter_q(filters)
    grain = series_grain(filters)
    by_time = _read(viewer, filters, where, (grain, "channel"))
    by_place = _read(viewer, filters, where, ("unit__path", "item_id"))
    by_channel = _group(by_time, "channel")
    items, avg_promised = _items(_group(by_place, "item_id"))
    return Dashboard(
        filters=filters,
        figures=_totals(by_channel),
        days=_days(by_time, filters),
        channels=_channels(by_channel),
        units=_units(_group(by_place, "unit__path"), breakdown_units(viewer, filters)),
        items=items,
        avg_promised_days=avg_promised,
        grain=grain,
    )


def scope_label(viewer: User, filters: Filters) -> str:
    """What the figures cover: the chosen unit, else the units of the viewer's scope."""
    if filters.unit is not None:
        return filters.unit.name
    return "、".join(u.name for u in scope_roots(viewer, Role.values)) or "—"


@dataclass(frozen=True)
class Kpi:
    """One card: the figure, what it is made of, and the drill-down behind it."""

    key: str
    label: str
    value: float | int | None
    suffix: str
    detail: str
    drill: str = ""  # a measure of analytics.definitions.DRILLS


def _kpis_cases(f: Figures, avg_promised: float | None) -> list[Kpi]:
    promised = f"，承诺时限平均{avg_promised}个工作日" if avg_promised is not None else ""
    return [
        Kpi("received", "收件", f.received, "件", f"网上申请{f.received_online}件", "received"),
        Kpi("accepted", "受理", f.accepted, "件", "期间内受理的办件", "accepted"),
        Kpi("concluded", "办结", f.concluded, "件", "期间内办结的办件", "concluded"),
        Kpi(
            "on_time_promised",
            "承诺时限内办结率",
            f.on_time_promised,
            "%",
            f"办结{f.concluded}件，超承诺时限{f.concluded_late}件",
            "concluded_late",
        ),
        Kpi(
            "on_time_statutory",
            "法定时限内办结率",
            f.on_time_statutory,
            "%",
            f"法定时限内办结{f.concluded_on_time_statutory}件",
            "concluded_late_statutory",
        ),
        Kpi(
            "avg_workdays",
            "平均办理工作日",
            f.avg_workdays,
            "个工作日",
            f"从受理到办结，扣除中止天数{promised}",
            "concluded",
        ),
        Kpi(
            "one_visit_rate",
            "最多跑一次率",
            f.one_visit_rate,
            "%",
            f"到现场不超过1次{f.one_visit}件",
            "more_visits",
        ),
        Kpi(
            "zero_visit_rate",
            "零跑动率",
            f.zero_visit_rate,
            "%",
            f"不用到现场{f.zero_visit}件",
            "zero_visit",
        ),
    ]


def _kpis_quality(f: Figures) -> list[Kpi]:
    return [
        Kpi(
            "precheck_pass_rate",
            "网上预审一次通过率",
            f.precheck_pass_rate,
            "%",
            f"网上申请{f.received_online}件，预审退回{f.precheck_rounds}次",
        ),
        Kpi(
            "correction_notices",
            "受理时一次性告知",
            f.correction_notices,
            "次",
            "窗口受理时一次性告知补正的次数",
        ),
        Kpi(
            "good_rate",
            "好评率",
            f.good_rate,
            "%",
            f"评价{f.ratings}次，基本满意及以上{f.ratings_good}次",
            "ratings_not_good",
        ),
        Kpi(
            "rectified_on_time_rate",
            "差评按期整改率",
            f.rectified_on_time_rate,
            "%",
            f"到期整改{f.ratings_bad}件，按期整改{f.ratings_bad_rectified_on_time}件",
            "ratings_bad_late",
        ),
        Kpi(
            "publications_on_time_rate",
            "信息按时公开率",
            f.publications_on_time_rate,
            "%",
            f"有公开时限的信息发布{f.publications_timed}条，按时{f.publications_on_time}条",
        ),
        Kpi(
            "requests_on_time_rate",
            "依申请公开按期答复率",
            f.requests_on_time_rate,
            "%",
            f"答复{f.requests_answered}件，按期{f.requests_on_time}件",
        ),
        Kpi("grid_visits", "网格走访", f.grid_visits, "次", "上门办件和走访台账"),
        Kpi(
            "events_closed",
            "网格事件办结",
            f.events_closed,
            "件",
            f"上报{f.events_reported}件",
        ),
    ]


def kpis(board: Dashboard) -> list[Kpi]:
    """The cards of the dashboard, in the order the page, the export and the API show."""
    return _kpis_cases(board.figures, board.avg_promised_days) + _kpis_quality(board.figures)
