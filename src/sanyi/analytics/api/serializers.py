"""Serializers of the dashboard API (unique names: AnalyticsDashboard*)."""

from __future__ import annotations

from rest_framework import serializers

from sanyi.analytics.dashboard import LEVELS, PRESETS, RATE_NAMES
from sanyi.analytics.models import MEASURES
from sanyi.cases.choices import CaseChannel
from sanyi.core.numbers import IdQueryField


class AnalyticsDashboardQuery(serializers.Serializer):
    preset = serializers.ChoiceField(
        choices=list(PRESETS), required=False, help_text="统计期间；给出时不看start和end"
    )
    start = serializers.DateField(required=False, help_text="开始日期，默认本月1日")
    end = serializers.DateField(required=False, help_text="结束日期，默认今天")
    level = serializers.ChoiceField(
        choices=list(LEVELS), required=False, help_text="各单位表格列出的层级；默认下一级单位"
    )
    unit = IdQueryField(label="单位编号", param="unit", required=False)
    item = IdQueryField(label="实施事项编号", param="item", required=False)
    theme = serializers.CharField(required=False, help_text="事项主题（办事指南的主题分类）")
    channel = serializers.ChoiceField(
        choices=CaseChannel.choices, required=False, help_text="申请渠道"
    )


def _figure_fields() -> dict[str, serializers.Field]:
    fields: dict[str, serializers.Field] = {
        name: serializers.IntegerField() for name in (*MEASURES, "concluded_late")
    }
    fields.update(
        {name: serializers.FloatField(allow_null=True) for name in RATE_NAMES},
    )
    return fields


AnalyticsDashboardFigures = type(
    "AnalyticsDashboardFigures",
    (serializers.Serializer,),
    {**_figure_fields(), "__doc__": "计数（件、次）和比率（百分比，无数据时为null）"},
)


class AnalyticsDashboardKpi(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    suffix = serializers.CharField(help_text="单位：件、次、%、个工作日")
    detail = serializers.CharField()
    drill = serializers.CharField(help_text="办件明细的指标名（空：没有办件明细）")


class AnalyticsDashboardDay(serializers.Serializer):
    day = serializers.DateField()
    received = serializers.IntegerField()
    accepted = serializers.IntegerField()
    concluded = serializers.IntegerField()


class AnalyticsDashboardChannel(serializers.Serializer):
    channel = serializers.CharField()
    label = serializers.CharField()
    received = serializers.IntegerField()


class AnalyticsDashboardUnit(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit = serializers.CharField()
    figures = AnalyticsDashboardFigures()


class AnalyticsDashboardItem(serializers.Serializer):
    item_id = serializers.IntegerField()
    item = serializers.CharField()
    promised_days = serializers.IntegerField(allow_null=True, help_text="承诺时限（工作日）")
    figures = AnalyticsDashboardFigures()


class AnalyticsDashboardOutput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    scope = serializers.CharField(help_text="统计范围")
    figures = AnalyticsDashboardFigures()
    avg_promised_days = serializers.FloatField(allow_null=True)
    kpis = AnalyticsDashboardKpi(many=True)
    grain = serializers.ChoiceField(
        choices=[("day", "每日"), ("month", "每月")],
        help_text="days 的粒度：三个月以内每日一点，更长的按月（day 为该月1日）",
    )
    days = AnalyticsDashboardDay(many=True)
    channels = AnalyticsDashboardChannel(many=True)
    units = AnalyticsDashboardUnit(many=True)
    items = AnalyticsDashboardItem(many=True)
