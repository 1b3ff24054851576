"""Reading ratings: statistics per unit, item and window; rectification worklists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from sanyi.cases.models import Case
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import has_role, scope_paths, scope_q
from sanyi.ratings.choices import AppealStatus, RectificationStatus
from sanyi.ratings.models import Rating, RatingAppeal, Rectification

if TYPE_CHECKING:
    from sanyi.orgs.models import OrgUnit, User

STAFF_ROLES = (Role.APPROVER, Role.SUPERVISOR, Role.WINDOW_CLERK)
FOLLOW_UP_ROLES = (Role.APPROVER, Role.SUPERVISOR)


def can_read_ratings(viewer: User) -> bool:
    """Whether the user holds a role that reads ratings anywhere (else: refuse, not an empty
    list, as every other staff list does)."""
    return bool(scope_paths(viewer, STAFF_ROLES))


def can_follow_up(viewer: User) -> bool:
    """Whether the user holds a role that sees rectifications anywhere."""
    return bool(scope_paths(viewer, FOLLOW_UP_ROLES))


def may_rectify(viewer: User, unit: OrgUnit) -> bool:
    """Whether the user may follow up a bad rating of ``unit`` (return visit, completion
    on the rated unit; appeal on the handling unit). The services' rule, asked by views
    before they read the input, so a caller without the role gets 403, not a 400."""
    return has_role(viewer, FOLLOW_UP_ROLES, unit)


def may_decide_appeal(viewer: User, rectification: Rectification) -> bool:
    """Whether the user may decide an appeal against this rectification's rating."""
    return has_role(viewer, Role.SUPERVISOR, rectification.rating.handling_unit)


GROUPS = {
    "unit": ("unit_id", "unit__name"),
    "handling_unit": ("handling_unit_id", "handling_unit__name"),
    "item": ("item_id", "item__base_item__name"),
    "window": ("window_id", "window__name"),
}


@dataclass(frozen=True)
class StatRow:
    key: int | None
    label: str
    count: int
    average: float
    by_level: dict[int, int]  # 5..1
    satisfied: int  # 4 and 5
    bad: int  # 1 and 2
    rectified: int

    @property
    def satisfaction_rate(self) -> float:
        return self.satisfied / self.count if self.count else 0.0

    @property
    def rectified_rate(self) -> float:
        return self.rectified / self.bad if self.bad else 1.0


def ratings_visible_to(viewer: User) -> QuerySet[Rating]:
    return Rating.objects.filter(
        scope_q(viewer, STAFF_ROLES, "unit__path")
        | scope_q(viewer, STAFF_ROLES, "handling_unit__path")
    )


def rating_search(
    viewer: User, *, level: int | None = None, case_number: str = ""
) -> QuerySet[Rating]:
    """The ratings ``viewer`` may read, newest first, of one level (1–5) when given and of
    cases whose number contains ``case_number``."""
    qs = (
        ratings_visible_to(viewer)
        .select_related("case", "item__base_item", "unit", "window__center")
        .order_by("-rated_at", "-id")
    )
    if level is not None:
        qs = qs.filter(level=level)
    if case_number:
        qs = qs.filter(case__number__icontains=case_number)
    return qs


def rating_pad_cases(viewer: User) -> QuerySet[Case]:
    """Cases whose rating pad ``viewer`` may open at a window: those accepted in the unit
    subtree of a window-clerk role of theirs."""
    return Case.objects.filter(scope_q(viewer, Role.WINDOW_CLERK, "unit__path")).select_related(
        "implementation_item__base_item", "applicant", "window"
    )


def rating_stats(
    *,
    by: str = "unit",
    start: dt.date | None = None,
    end: dt.date | None = None,
    queryset: QuerySet[Rating] | None = None,
) -> list[StatRow]:
    """Counts, average, level distribution, satisfaction and rectification per group.

    Ratings taken out by an upheld appeal are not counted. One query.
    """
    if by not in GROUPS:
        raise ValueError(f"unknown grouping: {by}")
    key, label = GROUPS[by]
    qs = (Rating.objects.all() if queryset is None else queryset).filter(excluded=False)
    if start:
        qs = qs.filter(rated_on__gte=start)
    if end:
        qs = qs.filter(rated_on__lte=end)
    rows = (
        qs.values(key, label)
        .annotate(
            n=Count("id"),
            avg=Avg("level"),
            l5=Count("id", filter=Q(level=5)),
            l4=Count("id", filter=Q(level=4)),
            l3=Count("id", filter=Q(level=3)),
            l2=Count("id", filter=Q(level=2)),
            l1=Count("id", filter=Q(level=1)),
            done=Count(
                "id",
                filter=Q(level__lte=2, rectification__status=RectificationStatus.DONE),
            ),
        )
        .order_by("-n", label)
    )
    return [
        StatRow(
            key=row[key],
            label=row[label] or "（网上评价，无窗口）",
            count=row["n"],
            average=round(float(row["avg"] or 0), 2),
            by_level={5: row["l5"], 4: row["l4"], 3: row["l3"], 2: row["l2"], 1: row["l1"]},
            satisfied=row["l5"] + row["l4"],
            bad=row["l2"] + row["l1"],
            rectified=row["done"],
        )
        for row in rows
    ]


def rating_totals(rows: list[StatRow]) -> StatRow:
    count = sum(r.count for r in rows)
    by_level = {k: sum(r.by_level[k] for r in rows) for k in (5, 4, 3, 2, 1)}
    return StatRow(
        key=None,
        label="合计",
        count=count,
        average=round(sum(k * v for k, v in by_level.items()) / count, 2) if count else 0.0,
        by_level=by_level,
        satisfied=by_level[5] + by_level[4],
        bad=by_level[2] + by_level[1],
        rectified=sum(r.rectified for r in rows),
    )


def rectifications_visible_to(viewer: User) -> QuerySet[Rectification]:
    return Rectification.objects.filter(
        scope_q(viewer, FOLLOW_UP_ROLES, "unit__path")
    ).select_related("rating__case", "rating__item__base_item", "rating__applicant", "unit")


def rectification_worklist(viewer: User, *, status: str = "open") -> QuerySet[Rectification]:
    qs = rectifications_visible_to(viewer)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due_on", "id")


def is_overdue(rectification: Rectification, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if rectification.status == RectificationStatus.OPEN:
        return rectification.due_on < today
    if rectification.status == RectificationStatus.DONE:
        return bool(
            rectification.completed_on and rectification.completed_on > rectification.due_on
        )
    return False


def pending_appeals_for(viewer: User) -> QuerySet[RatingAppeal]:
    return (
        RatingAppeal.objects.filter(
            scope_q(viewer, (Role.SUPERVISOR,), "rating__handling_unit__path"),
            status=AppealStatus.PENDING,
        )
        # the worklist links each appeal to its rectification
        .select_related(
            "rating__case", "rating__rectification", "filed_by", "rating__handling_unit"
        )
        .order_by("filed_at")
    )


def published_rectifications(*, limit: int = 20) -> QuerySet[Rectification]:
    """Finished rectifications as the public page shows them (no personal data)."""
    return (
        Rectification.objects.filter(status=RectificationStatus.DONE)
        .select_related("rating__item__base_item", "unit")
        .order_by("-completed_on", "-id")[:limit]
    )
