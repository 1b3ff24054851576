"""Reading demand (需求分析): what residents look for and how far they get.

* the funnel per item: searches whose first result was the item's guide → guide views →
  application pages opened → online applications started → submitted → accepted;
* where online applicants give up: drafts idle for IDLE_DAYS, by the furthest step they
  reached (worked out from the draft itself, nothing is tracked);
* channel shift: the share of each channel among the cases received, month by month;
* peak hours at the windows: visits in person by weekday and hour.

Visibility: catalogue admins and supervisors (DEMAND_ROLES) see the items implemented by
the units in their scope, the visits at the centres of those units and the facts of those
units (``orgs.permissions.scope_q``). Search queries are anonymous and district-wide: every
reader sees the same ones. Every figure is a fixed number of grouped queries, whatever
the number of items or cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay, TruncMonth
from django.utils import timezone

from sanyi.analytics.models import BehaviourCount, BehaviourKind, DailyFact
from sanyi.cases.choices import CaseChannel, CaseStatus, MaterialStatus
from sanyi.cases.models import Case, CaseMaterial, PrecheckRound, Visit
from sanyi.catalog.choices import MaterialNecessity
from sanyi.catalog.models import ImplementationItem
from sanyi.orgs.models import Role, User
from sanyi.orgs.permissions import scope_paths, scope_q
from sanyi.search.models import SearchQueryLog

DEMAND_ROLES = (Role.CATALOG_ADMIN, Role.SUPERVISOR)
ITEM_KIND_PREFIX = "catalog.item:"  # SearchQueryLog.top_result of an item's guide
FUNNEL_LIMIT = 200


def can_read_demand(viewer: User | None) -> bool:
    return viewer is not None and bool(scope_paths(viewer, DEMAND_ROLES))


def require_demand_reader(viewer: User | None) -> None:
    if not can_read_demand(viewer):
        raise PermissionDenied("只有事项管理员和督查人员可以查看需求分析")


def items_in_scope(viewer: User) -> QuerySet[ImplementationItem]:
    """The items implemented by units in the viewer's scope."""
    return ImplementationItem.objects.filter(
        scope_q(viewer, DEMAND_ROLES, path_field="implementing_unit__path")
    )


@dataclass(frozen=True)
class Period:
    """The last ``days`` days up to ``now``."""

    days: int
    now: dt.datetime

    @property
    def since(self) -> dt.datetime:
        return self.now - dt.timedelta(days=self.days)

    @property
    def first_day(self) -> dt.date:
        return timezone.localdate(self.since)

    @property
    def last_day(self) -> dt.date:
        return timezone.localdate(self.now)


def rate(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole per cent (rounded down), None without a whole."""
    return part * 100 // whole if whole else None


@dataclass
class FunnelRow:
    item: ImplementationItem
    searched: int = 0  # searches whose first result was the item's guide
    guide_views: int = 0  # sessions that opened the guide (once a day each)
    apply_views: int = 0  # sessions that opened the online application page
    started: int = 0  # online applications started (drafts included)
    submitted: int = 0  # of those, submitted
    returned: int = 0  # of the submitted, returned by an online pre-check at least once
    accepted: int = 0  # of those started, accepted

    @property
    def start_rate(self) -> int | None:
        return rate(self.started, self.guide_views)

    @property
    def submit_rate(self) -> int | None:
        return rate(self.submitted, self.started)

    @property
    def returned_rate(self) -> int | None:
        return rate(self.returned, self.submitted)

    @property
    def accept_rate(self) -> int | None:
        return rate(self.accepted, self.submitted)

    @property
    def weight(self) -> int:
        return self.searched + self.guide_views + self.started


def _searched(period: Period) -> dict[str, int]:
    """Implementation code → searches in the period whose first result was its guide."""
    rows = (
        SearchQueryLog.objects.filter(
            created_at__gte=period.since,
            created_at__lte=period.now,
            top_result__startswith=ITEM_KIND_PREFIX,
        )
        .values("top_result")
        .annotate(n=Count("id"))
        .values_list("top_result", "n")
    )
    return {top[len(ITEM_KIND_PREFIX) :]: n for top, n in rows}


def _views(viewer: User, period: Period) -> dict[tuple[int, str], int]:
    rows = (
        BehaviourCount.objects.filter(
            item__in=items_in_scope(viewer),
            day__gte=period.first_day,
            day__lte=period.last_day,
        )
        .values("item_id", "kind")
        .annotate(n=Sum("sessions"))
        .values_list("item_id", "kind", "n")
    )
    return {(item_id, kind): n for item_id, kind, n in rows}


def online_cases(viewer: User, period: Period) -> QuerySet[Case]:
    """Online applications started in the period for items in the viewer's scope."""
    return Case.objects.filter(
        channel=CaseChannel.ONLINE,
        created_at__gte=period.since,
        created_at__lte=period.now,
        implementation_item__in=items_in_scope(viewer),
    )


def _case_counts(viewer: User, period: Period) -> dict[int, dict[str, int]]:
    returned = PrecheckRound.objects.filter(case=OuterRef("pk"), at_acceptance=False)
    rows = (
        online_cases(viewer, period)
        .annotate(was_returned=Exists(returned))
        .order_by()
        .values("implementation_item_id")
        .annotate(
            started=Count("id"),
            submitted=Count("id", filter=Q(submitted_at__isnull=False)),
            returned=Count("id", filter=Q(submitted_at__isnull=False, was_returned=True)),
            accepted=Count("id", filter=Q(accepted_on__isnull=False)),
        )
    )
    return {r.pop("implementation_item_id"): r for r in rows}


def funnel(*, viewer: User, period: Period) -> list[FunnelRow]:
    """The funnel of every item in the viewer's scope that someone searched for, looked
    at or applied for in the period, busiest first (at most FUNNEL_LIMIT items)."""
    require_demand_reader(viewer)
    searched = _searched(period)
    views = _views(viewer, period)
    cases = _case_counts(viewer, period)
    ids = {item_id for item_id, _ in views} | set(cases)
    items = (
        items_in_scope(viewer)
        .filter(Q(pk__in=ids) | Q(implementation_code__in=list(searched)))
        .select_related("base_item", "implementing_unit")
    )
    rows = []
    for item in items:
        row = FunnelRow(
            item=item,
            searched=searched.get(item.implementation_code, 0),
            guide_views=views.get((item.pk, BehaviourKind.GUIDE_VIEW), 0),
            apply_views=views.get((item.pk, BehaviourKind.APPLY_VIEW), 0),
            **cases.get(item.pk, {}),
        )
        rows.append(row)
    rows.sort(key=lambda r: (-r.weight, r.item.implementation_code))
    return rows[:FUNNEL_LIMIT]


# --- where online applicants give up ----------------------------------------------------

# A draft untouched this long counts as given up.
IDLE_DAYS = 7


class DraftStep(models.TextChoices):
    """The furthest step of the online form a draft reached (cases/web/applicant.py:
    apply_start → case_edit with its form → material uploads → submit)."""

    OPENED = "opened", "刚开始，申请表没有填写"
    FORM = "form", "填了申请表，没有上传材料"
    MATERIALS = "materials", "上传了部分必要材料"
    SUBMIT = "submit", "材料已齐全，没有提交"


def _material_count(*conditions: Q) -> Coalesce:
    """The number of the draft's required checklist rows the applicant must provide that
    match ``conditions`` (a subquery); shared and deferrable materials are left out."""
    rows = (
        CaseMaterial.objects.filter(*conditions, case=OuterRef("pk"), required=True)
        .exclude(status=MaterialStatus.SHARED)
        .exclude(material__necessity=MaterialNecessity.DEFERRABLE)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _provided_q() -> Q:
    return ~Q(file="") | Q(licence__isnull=False)


def abandoned_drafts(viewer: User, period: Period) -> QuerySet[Case]:
    """Online drafts started in the period, still drafts, and neither saved nor given a
    file for IDLE_DAYS, each annotated with ``step`` (a DraftStep value)."""
    idle_since = period.now - dt.timedelta(days=IDLE_DAYS)
    recent_upload = CaseMaterial.objects.filter(case=OuterRef("pk"), uploaded_at__gte=idle_since)
    provided = CaseMaterial.objects.filter(_provided_q(), case=OuterRef("pk"))
    return (
        online_cases(viewer, period)
        .filter(status=CaseStatus.DRAFT, updated_at__lt=idle_since)
        .exclude(Exists(recent_upload))
        .annotate(
            needed=_material_count(),
            done=_material_count(_provided_q()),
            any_provided=Exists(provided),
            filled=Q(form_data__has_key="phone"),
        )
        .annotate(
            step=SqlCase(
                When(Q(done__gte=F("needed"), any_provided=True), then=Value(DraftStep.SUBMIT)),
                When(Q(needed=0, filled=True), then=Value(DraftStep.SUBMIT)),
                When(any_provided=True, then=Value(DraftStep.MATERIALS)),
                When(filled=True, then=Value(DraftStep.FORM)),
                default=Value(DraftStep.OPENED),
                output_field=CharField(),
            )
        )
    )


@dataclass
class StepCount:
    step: DraftStep
    count: int
    share: int | None


@dataclass
class Abandonment:
    total: int
    steps: list[StepCount]
    # item id → step → drafts, for the recommendations
    by_item: dict[int, dict[str, int]]


def abandonment(*, viewer: User, period: Period) -> Abandonment:
    """How many online drafts were given up, and at which step (one grouped query)."""
    require_demand_reader(viewer)
    rows = (
        abandoned_drafts(viewer, period)
        .order_by()
        .values("implementation_item_id", "step")
        .annotate(n=Count("id"))
        .values_list("implementation_item_id", "step", "n")
    )
    by_item: dict[int, dict[str, int]] = {}
    per_step = dict.fromkeys(DraftStep.values, 0)
    for item_id, step, n in rows:
        by_item.setdefault(item_id, {})[step] = n
        per_step[step] += n
    total = sum(per_step.values())
    steps = [StepCount(DraftStep(s), n, rate(n, total)) for s, n in per_step.items()]
    return Abandonment(total=total, steps=steps, by_item=by_item)


# --- channel shift ----------------------------------------------------------------------

SHIFT_MONTHS = 12


@dataclass
class MonthShare:
    month: dt.date
    total: int
    counts: dict[str, int]  # channel → cases received

    def share(self, channel: str) -> int | None:
        return rate(self.counts.get(channel, 0), self.total)

    @property
    def cells(self) -> list[tuple[str, str, int, int | None]]:
        """(channel, label, count, share) in the order of CaseChannel."""
        return [
            (c.value, c.label, self.counts.get(c.value, 0), self.share(c.value))
            for c in CaseChannel
        ]


def _month_start(day: dt.date, back: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def channel_shift(*, viewer: User, today: dt.date, months: int = SHIFT_MONTHS) -> list[MonthShare]:
    """Cases received per channel, month by month, for the last ``months`` months up to
    ``today`` (from the daily facts of the units in the viewer's scope); oldest first."""
    require_demand_reader(viewer)
    first = _month_start(today, months - 1)
    rows = (
        DailyFact.objects.filter(
            scope_q(viewer, DEMAND_ROLES, path_field="unit__path"),
            item__isnull=False,
            day__gte=first,
            day__lte=today,
        )
        .annotate(month=TruncMonth("day"))
        .order_by()
        .values("month", "channel")
        .annotate(n=Sum("received"))
        .values_list("month", "channel", "n")
    )
    counts: dict[dt.date, dict[str, int]] = {}
    for month, channel, n in rows:
        month_day = month.date() if isinstance(month, dt.datetime) else month
        counts.setdefault(month_day, {})[channel] = n or 0
    out = []
    for back in range(months - 1, -1, -1):
        month = _month_start(today, back)
        by_channel = counts.get(month, {})
        out.append(MonthShare(month, sum(by_channel.values()), by_channel))
    return out


# --- peak hours at the windows ----------------------------------------------------------

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@dataclass
class PeakHours:
    hours: list[int]
    rows: list[tuple[str, list[tuple[int, int]]]]  # weekday label, [(visits, level 0–4)]
    total: int
    busiest: tuple[str, int, int] | None  # weekday label, hour, visits


def _level(n: int, top: int) -> int:
    return 0 if not n or not top else min(4, 1 + (n * 4 - 1) // top)


def peak_hours(*, viewer: User, period: Period) -> PeakHours:
    """Visits in person at the windows of the viewer's centres, by weekday and local hour
    (one grouped query); hours 8 to 18 at least, widened to any hour with visits."""
    require_demand_reader(viewer)
    rows = (
        Visit.objects.filter(
            scope_q(viewer, DEMAND_ROLES, path_field="window__center__org_unit__path"),
            window__isnull=False,
            at__gte=period.since,
            at__lte=period.now,
        )
        .annotate(weekday=ExtractIsoWeekDay("at"), hour=ExtractHour("at"))
        .order_by()
        .values("weekday", "hour")
        .annotate(n=Count("id"))
        .values_list("weekday", "hour", "n")
    )
    grid = {(wd, h): n for wd, h, n in rows}
    seen_hours = {h for _, h in grid}
    hours = list(range(min({8, *seen_hours}), max({18, *seen_hours}) + 1))
    top = max(grid.values(), default=0)
    table = [
        (label, [(grid.get((wd, h), 0), _level(grid.get((wd, h), 0), top)) for h in hours])
        for wd, label in enumerate(WEEKDAYS, start=1)
    ]
    busiest = None
    if top:
        wd, h = min(k for k, n in grid.items() if n == top)
        busiest = (WEEKDAYS[wd - 1], h, top)
    return PeakHours(hours=hours, rows=table, total=sum(grid.values()), busiest=busiest)
