"""Serializers of the grid API: only what a doorstep task needs, personal data masked."""

from __future__ import annotations

from rest_framework import serializers

from sanyi.grid.models import (
    AssistStatus,
    Confirmation,
    ConsentMethod,
    EventCategory,
    EventStatus,
    Outcome,
)


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


# --- help to apply (帮办代办) ---------------------------------------------------------------


class GridResidentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name", help_text="姓名（脱敏）")
    id_number = serializers.CharField(source="masked_id", help_text="证件号码（脱敏）")
    phone = serializers.CharField(source="masked_phone", help_text="手机号（脱敏）")
    grid = serializers.CharField(source="grid.name")


class GridAssistItemOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="base_item.name")
    implementation_code = serializers.CharField()
    unit = serializers.CharField(source="implementing_unit.name")


class GridAssistStartInput(serializers.Serializer):
    applicant = serializers.IntegerField(help_text="居民（本网格居民列表中的id）")
    item = serializers.IntegerField(help_text="事项（可网上申请的事项列表中的id）")


class GridAssistMaterialOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    required = serializers.BooleanField()
    provided = serializers.SerializerMethodField()

    def get_provided(self, obj) -> bool:
        return bool(obj.file)


class GridAssistOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AssistStatus.choices)
    applicant = serializers.CharField(source="applicant.display_name", help_text="姓名（脱敏）")
    item = serializers.CharField(source="item.base_item.name")
    consent_method = serializers.CharField(help_text="居民同意方式：sms 或 photo；未同意时为空")
    consented_at = serializers.DateTimeField(allow_null=True)
    case_number = serializers.CharField(source="case.number", allow_null=True, default=None)
    channel = serializers.CharField(
        source="case.assisted_text", allow_null=True, default=None, help_text="网格员代办（姓名）"
    )
    materials = serializers.SerializerMethodField()

    def get_materials(self, obj) -> list[dict]:
        from sanyi.grid.services import assist_materials

        return GridAssistMaterialOutput(assist_materials(obj), many=True).data


class GridAssistCodeOutput(serializers.Serializer):
    phone = serializers.CharField(help_text="验证码发往的手机号（脱敏）")


class GridAssistConsentInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    code = serializers.CharField(required=False, allow_blank=True, max_length=6)
    authorisation = serializers.FileField(required=False, help_text="居民签字的授权书照片")


class GridAssistSubmitInput(serializers.Serializer):
    materials = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="各照片对应的材料id，与photos同序",
    )
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="材料照片"
    )

    def validate(self, attrs):
        if len(attrs.get("materials", [])) != len(attrs.get("photos", [])):
            raise serializers.ValidationError({"materials": "材料id和照片的数量应相同"})
        return attrs


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
    events_open = serializers.IntegerField(help_text="网格内上报、尚未办结的事件")
    events_closed = serializers.IntegerField(help_text="网格内上报、已办结的事件")


class GridSupervisionOutput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    officers = GridSupervisionOfficerOutput(many=True)
    grids = GridSupervisionGridOutput(many=True)
