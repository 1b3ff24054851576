"""Serializers of the demand analysis API (figures only, no personal data)."""

from __future__ import annotations

from rest_framework import serializers

PERIOD_CHOICES = (7, 30, 90, 365)


class DemandPeriodQuery(serializers.Serializer):
    days = serializers.ChoiceField(
        choices=PERIOD_CHOICES,
        required=False,
        default=30,
        help_text="最近几天：7、30、90或365",
        error_messages={"invalid_choice": "最近几天（days）只能是7、30、90或365"},
    )


class DemandFunnelOutput(serializers.Serializer):
    implementation_code = serializers.CharField(source="item.implementation_code")
    name = serializers.CharField(source="item.base_item.name", help_text="事项名称")
    unit = serializers.CharField(source="item.implementing_unit.name", help_text="实施单位")
    searched = serializers.IntegerField(help_text="搜索结果第一条是这个事项的搜索次数")
    guide_views = serializers.IntegerField(help_text="查看办事指南（同一浏览器一天一次）")
    apply_views = serializers.IntegerField(help_text="打开网上申请页（同一浏览器一天一次）")
    started = serializers.IntegerField(help_text="这段时间新建的网上申请，含草稿")
    submitted = serializers.IntegerField(help_text="其中已提交的")
    returned = serializers.IntegerField(help_text="提交的申请中至少被网上预审退回一次的")
    accepted = serializers.IntegerField(help_text="其中已受理的")
    start_rate = serializers.IntegerField(
        allow_null=True, help_text="开始网上申请占看指南的百分比（取整）"
    )
    submit_rate = serializers.IntegerField(allow_null=True, help_text="提交占开始的百分比")
    returned_rate = serializers.IntegerField(allow_null=True, help_text="预审退回占提交的百分比")
    accept_rate = serializers.IntegerField(allow_null=True, help_text="受理占提交的百分比")


class DemandQueryOutput(serializers.Serializer):
    text = serializers.CharField(help_text="搜索词")
    count = serializers.IntegerField(help_text="次数")
    zero_result_count = serializers.IntegerField(help_text="其中没搜到的次数")
    poor_result_count = serializers.IntegerField(help_text="其中搜不准的次数")
    last_searched_at = serializers.DateTimeField(help_text="最近一次")


class DemandQueriesOutput(serializers.Serializer):
    top = DemandQueryOutput(many=True, help_text="搜得最多的词")
    poor = DemandQueryOutput(many=True, help_text="搜不到、搜不准的词")


class DemandRecommendationOutput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["search", "precheck", "views", "abandon"],
        help_text="search 搜索词；precheck 预审退回多；views 看指南多申请少；abandon 草稿放弃多",
    )
    text = serializers.CharField(help_text="建议")
    count = serializers.IntegerField(help_text="建议背后的次数或件数")
    url = serializers.CharField(help_text="去处理的工作台页面（有权限时），否则为空")
    link_label = serializers.CharField()
