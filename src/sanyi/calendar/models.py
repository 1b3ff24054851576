"""The working-day calendar as data: one row per year whose State Council holiday notice
is loaded, one row per special day (a holiday, or a make-up working day), and a record of
every change. Weekends and weekdays are not stored; ``workdays.WorkCalendar`` derives them.

Only ``calendar.services`` writes these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class CalendarYear(models.Model):
    """A year whose holiday notice is loaded; dates in other years are provisional."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    notice_title = models.CharField("通知标题", max_length=200)
    notice_number = models.CharField(
        "发文字号", max_length=60, help_text="例如：国办发明电〔2025〕7号"
    )
    published_on = models.DateField("发布日期")
    source = models.CharField(
        "来源", max_length=300, blank=True, help_text="通知的出处，例如中国政府网的网址"
    )
    notes = models.TextField("备注", blank=True)
    loaded_at = models.DateTimeField("载入时间")

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = "年度节假日安排"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1950) & Q(year__lte=2200), name="calendar_year_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "节假日"
    MAKEUP_WORKDAY = "makeup_workday", "调休上班"


class CalendarDay(models.Model):
    """A holiday, or a weekend day worked to make up for one (调休上班)."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=16, choices=DayKind.choices)
    name = models.CharField(
        "节日", max_length=40, help_text="节日名称，例如“春节”；调休上班日填所属的节日"
    )

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "makeup_workday"]), name="calendar_day_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="calendar_day_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}（{self.name}）"


class CalendarChangeAction(models.TextChoices):
    YEAR_LOAD = "year_load", "载入年度通知"
    YEAR_UPDATE = "year_update", "修改通知信息"
    YEAR_REMOVE = "year_remove", "撤下年度安排"
    DAY_SET = "day_set", "设置日期"
    DAY_REMOVE = "day_remove", "删除日期"


class CalendarChange(models.Model):
    """One change to the calendar: who, when, which years and dates, and what.

    The newest id doubles as the calendar's version number (see ``selectors``).
    """

    created_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="操作人",
    )
    actor_label = models.CharField("操作人", max_length=100)
    action = models.CharField("操作", max_length=16, choices=CalendarChangeAction.choices)
    years = models.JSONField("涉及年份", default=list)
    dates = models.JSONField("涉及日期", default=list, blank=True)
    summary = models.TextField("说明")

    class Meta:
        verbose_name = "日历变更记录"
        verbose_name_plural = "日历变更记录"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"
