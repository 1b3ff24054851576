"""What each case figure counts, written once for the rollup and the drill-down lists.

The rollup sums these conditions for one day; the drill-down list (办件明细) applies the
same conditions over a period, so the cases listed behind a figure are the cases the
figure counted. Every condition is a ``Q`` on ``cases.Case`` (ratings and
rectifications are reached through the case), with the day or period as bounds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from sanyi.cases.choices import CaseChannel, CaseStatus
from sanyi.ratings.choices import BAD_LEVEL

ON_TIME_PROMISED = Q(promised_due_on__isnull=True) | Q(promised_due_on__gte=F("concluded_on"))
ON_TIME_STATUTORY = Q(statutory_due_on__isnull=True) | Q(statutory_due_on__gte=F("concluded_on"))
ZERO_VISIT = Q(visits=0)
ONE_VISIT = Q(visits__lte=1)
RATED_GOOD = Q(rating__level__gt=BAD_LEVEL)
# A rectification counts as on time when it was completed by its due date.
RECTIFIED_ON_TIME = Q(
    rating__rectification__completed_on__isnull=False,
    rating__rectification__completed_on__lte=F("rating__rectification__due_on"),
)


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local days ``start`` to ``end`` (inclusive) as an aware half-open interval."""
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return lo, hi


def received_q(start: dt.date, end: dt.date) -> Q:
    """Received in the period: online cases by submission time, window and post cases by
    the time the clerk started them; cancelled cases are left out."""
    lo, hi = bounds(start, end)
    online = Q(channel=CaseChannel.ONLINE, submitted_at__gte=lo, submitted_at__lt=hi)
    counter = ~Q(channel=CaseChannel.ONLINE) & Q(created_at__gte=lo, created_at__lt=hi)
    return (online | counter) & ~Q(status=CaseStatus.CANCELLED)


def accepted_q(start: dt.date, end: dt.date) -> Q:
    return Q(accepted_on__gte=start, accepted_on__lte=end)


def concluded_q(start: dt.date, end: dt.date) -> Q:
    return Q(concluded_on__gte=start, concluded_on__lte=end)


def rated_q(start: dt.date, end: dt.date) -> Q:
    """Rated in the period and not excluded by an upheld appeal."""
    return Q(rating__rated_on__gte=start, rating__rated_on__lte=end, rating__excluded=False)


def rectification_due_q(start: dt.date, end: dt.date) -> Q:
    """A bad rating (not excluded) whose rectification fell due in the period."""
    return Q(
        rating__rectification__due_on__gte=start,
        rating__rectification__due_on__lte=end,
        rating__excluded=False,
    )


@dataclass(frozen=True)
class Drill:
    """One drill-down: its title, the condition over a period, and which unit and item
    fields the figure was counted under (ratings count under the rating's unit and item)."""

    label: str
    period: str  # received / accepted / concluded / rated / rectification
    extra: Q | None = None
    negate: bool = False
    by_rating: bool = False

    def q(self, start: dt.date, end: dt.date) -> Q:
        base = PERIODS[self.period](start, end)
        if self.extra is None:
            return base
        return base & (~self.extra if self.negate else self.extra)


PERIODS = {
    "received": received_q,
    "accepted": accepted_q,
    "concluded": concluded_q,
    "rated": rated_q,
    "rectification": rectification_due_q,
}

DRILLS: dict[str, Drill] = {
    "received": Drill("收件", "received"),
    "accepted": Drill("受理", "accepted"),
    "concluded": Drill("办结", "concluded"),
    "concluded_on_time_promised": Drill("承诺时限内办结", "concluded", ON_TIME_PROMISED),
    "concluded_late": Drill("超承诺时限办结", "concluded", ON_TIME_PROMISED, negate=True),
    "concluded_on_time_statutory": Drill("法定时限内办结", "concluded", ON_TIME_STATUTORY),
    "concluded_late_statutory": Drill(
        "超法定时限办结", "concluded", ON_TIME_STATUTORY, negate=True
    ),
    "zero_visit": Drill("零跑动办结", "concluded", ZERO_VISIT),
    "one_visit": Drill("最多跑一次办结", "concluded", ONE_VISIT),
    "more_visits": Drill("跑动两次以上办结", "concluded", ONE_VISIT, negate=True),
    "ratings": Drill("评价", "rated", by_rating=True),
    "ratings_good": Drill("好评", "rated", RATED_GOOD, by_rating=True),
    "ratings_not_good": Drill("差评", "rated", RATED_GOOD, negate=True, by_rating=True),
    "ratings_bad": Drill("到期差评整改", "rectification", by_rating=True),
    "ratings_bad_rectified_on_time": Drill(
        "差评按期整改", "rectification", RECTIFIED_ON_TIME, by_rating=True
    ),
    "ratings_bad_late": Drill(
        "差评未按期整改", "rectification", RECTIFIED_ON_TIME, negate=True, by_rating=True
    ),
}
