"""Serializers of the grid API: only what a doorstep task needs, personal data masked."""

from __future__ import annotations

from rest_framework import serializers

from sanyi.grid.models import Confirmation, Outcome


class GridTaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="环节名称，如入户调查")
    case_number = serializers.CharField(source="case.number")
    item = serializers.CharField(source="case.implementation_item.base_item.name")
    grid = serializers.CharField(source="unit.name")
    applicant = serializers.CharField(
        source="case.applicant.display_name", help_text="姓名（脱敏）"
    )
    applicant_id = serializers.CharField(
        source="case.applicant.masked_id", help_text="证件号码（脱敏）"
    )
    phone = serializers.CharField(source="case.applicant.masked_phone", help_text="手机号（脱敏）")
    address = serializers.CharField(source="case.applicant.address")
    due_on = serializers.DateField(allow_null=True, help_text="环节期限（按工作日计算）")


class GridVisitInput(serializers.Serializer):
    visited_at = serializers.DateTimeField(help_text="走访时间")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=4, help_text="现场照片，最多4张"
    )
    keep_location = serializers.BooleanField(
        required=False, default=False, help_text="保留照片位置"
    )
    confirmation = serializers.ChoiceField(choices=Confirmation.choices)
    code = serializers.CharField(required=False, allow_blank=True, max_length=6)
    signature = serializers.FileField(required=False, help_text="居民手写签名（PNG）")


class GridVisitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    task = serializers.IntegerField(source="task_id")
    visited_at = serializers.DateTimeField()
    outcome = serializers.CharField()
    confirmation = serializers.CharField()
    photos = serializers.IntegerField(source="photos.count")


class GridSupervisionQuery(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="开始日期，默认本月1日")
    end = serializers.DateField(required=False, help_text="结束日期，默认今天")

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and start > end:
            raise serializers.ValidationError({"end": "结束日期不能早于开始日期"})
        if start and end and (end - start).days > 366:
            raise serializers.ValidationError({"end": "统计期间不能超过一年"})
        return attrs


class GridSupervisionOfficerOutput(serializers.Serializer):
    officer = serializers.CharField(source="officer.__str__", help_text="网格员姓名")
    grids = serializers.ListField(child=serializers.CharField(), help_text="所在网格")
    visits = serializers.IntegerField(help_text="走访合计（上门办件+走访台账）")
    case_visits = serializers.IntegerField(help_text="上门办件走访次数")
    household_visits = serializers.IntegerField(help_text="走访台账次数")
    on_time = serializers.IntegerField(help_text="按期完成的上门环节")
    late = serializers.IntegerField(help_text="超期完成的上门环节")


class GridSupervisionGridOutput(serializers.Serializer):
    grid = serializers.CharField(source="grid.name")
    households = serializers.IntegerField(help_text="住户数")
    due_soon = serializers.IntegerField(help_text="7天内到期的住户")
    overdue = serializers.IntegerField(help_text="已超期的住户")
    never = serializers.IntegerField(help_text="尚未走访的住户")


class GridSupervisionOutput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    officers = GridSupervisionOfficerOutput(many=True)
    grids = GridSupervisionGridOutput(many=True)
