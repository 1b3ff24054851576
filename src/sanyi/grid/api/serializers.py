"""Serializers of the grid API: only what a doorstep task needs, personal data masked."""

from __future__ import annotations

from rest_framework import serializers

from sanyi.grid.models import Confirmation, EventCategory, EventStatus, Outcome


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


class GridEventStepOutput(serializers.Serializer):
    action = serializers.CharField(help_text="report/accept/route/close/to_case/offer")
    action_label = serializers.CharField(source="get_action_display")
    actor = serializers.CharField(source="actor.full_name")
    unit = serializers.CharField(source="unit.name")
    to_unit = serializers.CharField(source="to_unit.name", allow_null=True, default=None)
    note = serializers.CharField()
    at = serializers.DateTimeField()


class GridEventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.ChoiceField(choices=EventCategory.choices)
    category_label = serializers.CharField(source="get_category_display")
    status = serializers.ChoiceField(choices=EventStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    grid = serializers.CharField(source="grid.name")
    unit = serializers.CharField(source="unit.name", help_text="当前办理单位")
    place = serializers.CharField()
    applicant = serializers.CharField(
        source="applicant.display_name", allow_null=True, default=None, help_text="涉及居民（脱敏）"
    )
    arrived_on = serializers.DateField(help_text="送达当前单位的日期")
    due_on = serializers.DateField(help_text="当前单位的办理期限（5个工作日）")
    created_at = serializers.DateTimeField()


class GridEventDetailOutput(GridEventOutput):
    description = serializers.CharField()
    result = serializers.CharField()
    case_number = serializers.CharField(source="case.number", allow_null=True, default=None)
    offer_item = serializers.CharField()
    photos = serializers.IntegerField(source="photos.count")
    steps = GridEventStepOutput(many=True, source="steps.all")


class GridEventInput(serializers.Serializer):
    grid = serializers.IntegerField(help_text="网格（本人所在网格）的单位编号")
    category = serializers.ChoiceField(choices=EventCategory.choices)
    title = serializers.CharField(max_length=60)
    description = serializers.CharField(max_length=2000)
    place = serializers.CharField(max_length=200)
    applicant = serializers.IntegerField(required=False, allow_null=True, help_text="涉及居民")
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=3, help_text="现场照片，最多3张"
    )


EVENT_HOLDER_ACTIONS = [
    ("accept", "受理"),
    ("route", "转派"),
    ("close", "办结"),
    ("to_case", "转为办件"),
    ("offer", "转为主动服务"),
]


class GridEventActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=EVENT_HOLDER_ACTIONS)
    to_unit = serializers.IntegerField(required=False, allow_null=True, help_text="转派至的单位")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    result = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    case_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    item = serializers.CharField(required=False, allow_blank=True, max_length=200)
