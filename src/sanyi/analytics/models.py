"""Daily facts (日统计): the rollups every dashboard reads instead of the raw rows.

One row per day (or month) × unit × implementation item × channel, holding counts only (sums, never
rates: a rate over a period is the quotient of two summed counts). Rows are written by
``rollup_day`` alone, which replaces a whole day at once and then its month's
sums; nothing else writes here.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from sanyi.cases.choices import CaseChannel


class FactCounts(models.Model):
    """The key (unit, item, channel) and the counts shared by the daily and monthly facts."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    item = models.ForeignKey(
        "catalog.ImplementationItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="实施事项",
    )
    channel = models.CharField(
        "申请渠道", max_length=16, choices=CaseChannel.choices, blank=True, default=""
    )

    received = models.PositiveIntegerField("收件", default=0)
    accepted = models.PositiveIntegerField("受理", default=0)
    concluded = models.PositiveIntegerField("办结", default=0)
    concluded_on_time_promised = models.PositiveIntegerField("承诺时限内办结", default=0)
    concluded_on_time_statutory = models.PositiveIntegerField("法定时限内办结", default=0)
    handling_workdays_sum = models.PositiveIntegerField("办理工作日合计", default=0)
    visits = models.PositiveIntegerField("到现场次数", default=0)
    zero_visit = models.PositiveIntegerField("零跑动办结", default=0)
    one_visit = models.PositiveIntegerField("最多跑一次办结", default=0)
    precheck_rounds = models.PositiveIntegerField("预审退回次数", default=0)
    correction_notices = models.PositiveIntegerField("受理时一次性告知次数", default=0)
    ratings = models.PositiveIntegerField("评价", default=0)
    ratings_good = models.PositiveIntegerField("好评", default=0)
    ratings_bad = models.PositiveIntegerField("到期差评整改", default=0)
    ratings_bad_rectified_on_time = models.PositiveIntegerField("差评按期整改", default=0)
    requests_answered = models.PositiveIntegerField("依申请公开办结", default=0)
    requests_on_time = models.PositiveIntegerField("依申请公开按期答复", default=0)
    publications_timed = models.PositiveIntegerField("有公开时限的信息发布", default=0)
    publications_on_time = models.PositiveIntegerField("按时限公开", default=0)
    grid_visits = models.PositiveIntegerField("网格走访", default=0)
    events_reported = models.PositiveIntegerField("网格事件上报", default=0)
    events_closed = models.PositiveIntegerField("网格事件办结", default=0)

    class Meta:
        abstract = True


class DailyFact(FactCounts):
    """The figures of one day for one unit, item and channel.

    Case facts (``item`` set, ``channel`` the case's channel). ``unit`` is the case's
    receiving unit (``Case.unit``, the accepting centre's unit once accepted):

    * ``received``: cases received that day: online cases by their submission time,
      window and post cases by the time the clerk started them (cancelled ones left out);
    * ``accepted``: cases accepted that day (``accepted_on``);
    * ``concluded``: cases concluded that day (``concluded_on``);
    * ``concluded_on_time_promised`` / ``concluded_on_time_statutory``: of those, concluded
      on or before ``promised_due_on`` / ``statutory_due_on`` (or without such a date);
    * ``handling_workdays_sum``: of those, the working days from acceptance to conclusion
      (the district calendar, stopped days taken off; 0 without an acceptance date);
      divide by ``concluded`` for the average;
    * ``visits``: of those, the times the applicant came in person (``Case.visits``);
      ``zero_visit`` / ``one_visit``: of those, the ones with no visit at all / with at
      most one (最多跑一次);
    * ``precheck_rounds``: online pre-check notices (预审退回) issued that day;
      ``correction_notices``: one-time correction notices issued at acceptance that day;
    * ``ratings`` / ``ratings_good``: ratings given that day (``rated_on``), not excluded
      by an upheld appeal / of those, rated 基本满意 or better; the rating's unit and item.
    * ``ratings_bad`` / ``ratings_bad_rectified_on_time``: bad ratings (not excluded) whose
      rectification (差评整改) fell due that day / of those, rectified by the due date; the
      rating's unit, item and the case's channel.

    Unit facts (``item`` empty, ``channel`` ""):

    * ``requests_answered`` / ``requests_on_time``: information disclosure requests
      (依申请公开) the agency concluded that day / of those, by the reply due date;
    * ``publications_timed`` / ``publications_on_time``: proactive records under a
      directory entry with a time limit (公开时限) published that day / of those, published
      by their publish-by date (the responsible body of the directory entry is the unit);
    * ``grid_visits``: doorstep visits for a case step plus routine household visits made
      in the grid that day (the grid is the unit);
    * ``events_reported`` / ``events_closed``: grid event reports made in / closed for
      the grid that day.
    """

    day = models.DateField("日期")

    class Meta:
        verbose_name = "日统计"
        verbose_name_plural = "日统计"
        # Two partial constraints, because NULL items are distinct in a plain unique index.
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "item", "channel"],
                condition=Q(item__isnull=False),
                name="dailyfact_item_key",
            ),
            models.UniqueConstraint(
                fields=["day", "unit", "channel"],
                condition=Q(item__isnull=True),
                name="dailyfact_unit_key",
            ),
        ]
        indexes = [
            models.Index(fields=["day"], name="dailyfact_day"),
            models.Index(fields=["unit", "day"], name="dailyfact_unit_day"),
            models.Index(fields=["item", "day"], name="dailyfact_item_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.unit_id}/{self.item_id or '-'}/{self.channel or '-'}"


class MonthlyFact(FactCounts):
    """The daily facts of one calendar month summed per unit, item and channel.

    Written by the rollup from the daily facts whenever a day of the month is recomputed,
    never from the raw rows, so the two always agree. Dashboards over long periods read
    whole months here and only the partial months at either end from the daily facts: a
    year is at most twelve rows per key instead of 365.
    """

    month = models.DateField("月份", help_text="该月1日")

    class Meta:
        verbose_name = "月统计"
        verbose_name_plural = "月统计"
        constraints = [
            models.UniqueConstraint(
                fields=["month", "unit", "item", "channel"],
                condition=Q(item__isnull=False),
                name="monthlyfact_item_key",
            ),
            models.UniqueConstraint(
                fields=["month", "unit", "channel"],
                condition=Q(item__isnull=True),
                name="monthlyfact_unit_key",
            ),
        ]
        indexes = [
            models.Index(fields=["month"], name="monthlyfact_month"),
            models.Index(fields=["unit", "month"], name="monthlyfact_unit_month"),
            models.Index(fields=["item", "month"], name="monthlyfact_item_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.unit_id}/{self.item_id or '-'}/{self.channel or '-'}"


# The measures, in the order of the fields (selectors and the CLI sum these).
MEASURES: tuple[str, ...] = (
    "received",
    "accepted",
    "concluded",
    "concluded_on_time_promised",
    "concluded_on_time_statutory",
    "handling_workdays_sum",
    "visits",
    "zero_visit",
    "one_visit",
    "precheck_rounds",
    "correction_notices",
    "ratings",
    "ratings_good",
    "ratings_bad",
    "ratings_bad_rectified_on_time",
    "requests_answered",
    "requests_on_time",
    "publications_timed",
    "publications_on_time",
    "grid_visits",
    "events_reported",
    "events_closed",
)


class BehaviourKind(models.TextChoices):
    """What residents did on the public site that analytics counts (docs/analytics.md,
    "行为分析")."""

    GUIDE_VIEW = "guide_view", "查看办事指南"
    APPLY_VIEW = "apply_view", "打开网上申请页"


class BehaviourCount(models.Model):
    """How many browser sessions did one thing with one item on one day (行为日计数).

    Counts only: no session id, no address, no browser, no account, no time finer than
    the day. A browser counts once per day, kind and item (the middleware remembers what
    it counted today in a cookie of the browser's, ADR 0033), so a reload does not count
    twice.
    """

    day = models.DateField("日期")
    item = models.ForeignKey(
        "catalog.ImplementationItem",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="实施事项",
    )
    kind = models.CharField("行为", max_length=16, choices=BehaviourKind.choices)
    sessions = models.PositiveIntegerField("访问次数", default=0)

    class Meta:
        verbose_name = "行为日计数"
        verbose_name_plural = "行为日计数"
        constraints = [
            models.UniqueConstraint(fields=["day", "item", "kind"], name="behaviour_count_key"),
        ]
        indexes = [models.Index(fields=["kind", "day"], name="behaviour_kind_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.item_id} {self.kind} {self.sessions}"
