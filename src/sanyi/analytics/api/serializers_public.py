"""Query and answer of the public statistics endpoint: sums and rates only."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from sanyi.analytics.selectors_public import period_years
from sanyi.analytics.web.forms_public import UNIT_LEVELS


class PublicStatisticsQuery(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        help_text="年份，今年或前两年；不填为今年",
        error_messages={"invalid": "年份（year）应为四位数字，例如 2026"},
    )
    month = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=12,
        help_text="月份 1–12；不填为全年（今年截至今天）",
        error_messages={
            "invalid": "月份（month）应为 1 到 12 的整数",
            "min_value": "月份（month）应为 1 到 12 的整数",
            "max_value": "月份（month）应为 1 到 12 的整数",
        },
    )
    level = serializers.ChoiceField(
        choices=UNIT_LEVELS,
        required=False,
        help_text="单位表的层级：subdistrict 街道/乡镇（默认）或 community 社区/村",
        error_messages={"invalid_choice": "单位层级（level）只能是 subdistrict 或 community"},
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="只列名称或实施单位含这些字的事项",
        error_messages={"max_length": "查找事项（q）不能超过40个字"},
    )

    def validate_year(self, value: int) -> int:
        years = period_years(timezone.localdate())
        if value not in years:
            raise serializers.ValidationError(
                f"年份（year）只能是{years[-1]}年到{years[0]}年之间的年份"
            )
        return value

    def validate(self, attrs: dict) -> dict:
        today = timezone.localdate()
        year, month = attrs.get("year") or today.year, attrs.get("month")
        if month and (year, month) > (today.year, today.month):
            message = f"月份（month）：{year}年{month}月还没有到"
            raise serializers.ValidationError({"month": message})
        return attrs


class PublicStatRowOutput(serializers.Serializer):
    name = serializers.CharField(help_text="单位或事项名称")
    parent = serializers.CharField(help_text="所属街道/乡镇（社区行）或实施单位（事项行）")
    concluded = serializers.IntegerField(help_text="办结件数")
    on_time_rate = serializers.FloatField(
        allow_null=True, help_text="按时办结率（%）；样本不足（少于5件）时为 null"
    )
    one_visit_rate = serializers.FloatField(allow_null=True, help_text="最多跑一次率（%）")
    zero_visit_rate = serializers.FloatField(allow_null=True, help_text="零跑动率（%）")
    ratings = serializers.IntegerField(help_text="评价数")
    good_rating_rate = serializers.FloatField(
        allow_null=True, help_text="好评率（%）；评价少于5条时为 null"
    )


class PublicStatisticsOutput(serializers.Serializer):
    start = serializers.DateField(help_text="统计开始日期")
    end = serializers.DateField(help_text="统计截止日期")
    level = serializers.CharField(help_text="单位表的层级")
    min_sample = serializers.IntegerField(help_text="少于这么多件（条）时不计算比例")
    units = PublicStatRowOutput(many=True)
    total = PublicStatRowOutput(help_text="全区合计")
    items = PublicStatRowOutput(many=True, help_text="办结件数最多的事项（至多30个）")
