"""Serializers of the case API (staff integrations). Names start with "Case" so the
schema's components stay apart from other apps'."""

from __future__ import annotations

from rest_framework import serializers

from sanyi.cases.choices import (
    AcceptanceDecision,
    CaseChannel,
    Decision,
    DeliveryMethod,
    StopReason,
    TaskAction,
    VisitPurpose,
    WarningLevel,
)
from sanyi.cases.models import Case, CaseEvent, CaseMaterial, CaseTask
from sanyi.core.numbers import IdQueryField

CHECK_RESULTS = [("ok", "合格"), ("to_fix", "需补正")]
WORKLIST_SCOPES = [("mine", "我的待办"), ("unit", "本单位待办"), ("subtree", "辖区待办")]


class CaseMaterialOutput(serializers.ModelSerializer):
    status_label = serializers.CharField(
        source="status_text", help_text="审核结果（未提交的非必需材料为“未提交（非必需）”）"
    )
    has_file = serializers.SerializerMethodField(help_text="是否已提供文件或证照")

    class Meta:
        model = CaseMaterial
        fields = [
            "id", "name", "position", "required", "origin", "status", "status_label",
            "problem", "content_type", "size", "pages", "sha256", "follow_up_due_on",
            "follow_up_received_on", "has_file",
        ]  # fmt: skip

    def get_has_file(self, obj) -> bool:
        return bool(obj.file) or obj.licence_id is not None


class CaseSummaryOutput(serializers.ModelSerializer):
    item_code = serializers.CharField(source="implementation_item.implementation_code")
    item_name = serializers.CharField(source="implementation_item.base_item.name")
    applicant = serializers.CharField(source="applicant.display_name", help_text="申请人（脱敏）")
    applicant_id_number = serializers.CharField(
        source="applicant.masked_id", help_text="证件号码（脱敏）"
    )
    status_label = serializers.CharField(source="get_status_display")
    current_unit = serializers.IntegerField(source="current_unit_id", help_text="当前办理单位编号")
    current_unit_name = serializers.CharField(source="current_unit.name")

    class Meta:
        model = Case
        fields = [
            "id", "number", "short_number", "item_code", "item_name", "applicant",
            "applicant_id_number", "channel", "status", "status_label", "current_unit",
            "current_unit_name",
            "accepted_on", "statutory_due_on", "promised_due_on", "due_provisional",
            "warning_level", "concluded_on", "visits", "created_at",
        ]  # fmt: skip


class CaseClockOutput(serializers.Serializer):
    elapsed = serializers.IntegerField(help_text="已用工作日（不含暂停）")
    stopped = serializers.IntegerField(help_text="暂停的工作日")
    remaining = serializers.IntegerField(allow_null=True, help_text="距承诺期限的工作日")
    used_share = serializers.FloatField(allow_null=True, help_text="已用时限比例")
    warning_level = serializers.CharField()
    provisional = serializers.BooleanField(help_text="期限是否暂定（节假日安排未载入）")
    statutory_due_on = serializers.DateField(allow_null=True)
    promised_due_on = serializers.DateField(allow_null=True)
    running = serializers.BooleanField(help_text="是否正在计时")


class CaseTaskOutput(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number")
    item_name = serializers.CharField(source="case.implementation_item.base_item.name")
    applicant = serializers.CharField(source="case.applicant.display_name")
    unit_name = serializers.CharField(source="unit.name")
    assignee_name = serializers.SerializerMethodField()
    warning_level = serializers.CharField(source="case.warning_level")

    class Meta:
        model = CaseTask
        fields = [
            "id", "case", "case_number", "item_name", "applicant", "position", "name",
            "unit", "unit_name", "role", "assignee", "assignee_name", "status",
            "budget_days", "started_on", "due_on", "action", "opinion", "warning_level",
        ]  # fmt: skip

    def get_assignee_name(self, obj) -> str:
        return str(obj.assignee) if obj.assignee_id else ""


class CaseDetailOutput(CaseSummaryOutput):
    materials = CaseMaterialOutput(many=True, read_only=True)
    tasks = CaseTaskOutput(many=True, read_only=True)
    clock = serializers.SerializerMethodField()

    class Meta(CaseSummaryOutput.Meta):
        fields = [
            *CaseSummaryOutput.Meta.fields,
            "form_data", "acceptance_decision", "acceptance_reason", "acceptance_basis",
            "center", "window", "extension_days", "stopped_days", "decision",
            "decision_reason", "decision_basis", "delivery_method", "delivered_at",
            "materials", "tasks", "clock",
        ]  # fmt: skip

    def get_clock(self, obj) -> CaseClockOutput:
        from dataclasses import asdict

        from sanyi.cases.selectors import case_clock

        return CaseClockOutput(asdict(case_clock(obj))).data


class CaseEventOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    unit_name = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "kind_label", "at", "on", "actor_label", "unit_name", "note",
                  "detail", "public"]  # fmt: skip

    def get_unit_name(self, obj) -> str:
        return obj.unit.name if obj.unit_id else ""


class CaseCreateInput(serializers.Serializer):
    applicant = serializers.IntegerField(min_value=1, help_text="申请人编号")
    item = serializers.CharField(help_text="实施编码")
    channel = serializers.ChoiceField(choices=CaseChannel.choices)
    variant = serializers.IntegerField(required=False, min_value=1, help_text="业务办理项编号")
    form_data = serializers.DictField(required=False, help_text="申请表内容")


class CaseUploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="PDF、JPG或PNG")


class CaseCheckRow(serializers.Serializer):
    material = serializers.IntegerField(min_value=1, help_text="办件材料编号")
    status = serializers.ChoiceField(choices=CHECK_RESULTS)
    problem = serializers.CharField(required=False, allow_blank=True, default="")


class CasePrecheckInput(serializers.Serializer):
    results = CaseCheckRow(many=True)
    reply_days = serializers.IntegerField(required=False, min_value=1, max_value=60)


class CaseDeficiencyRow(serializers.Serializer):
    material = serializers.IntegerField(min_value=1)
    due_on = serializers.DateField()


class CaseAcceptInput(serializers.Serializer):
    window = serializers.IntegerField(min_value=1, help_text="受理窗口编号")
    decision = serializers.ChoiceField(choices=AcceptanceDecision.choices)
    materials = CaseCheckRow(many=True, required=False, help_text="窗口核验的材料")
    deficiencies = CaseDeficiencyRow(many=True, required=False, help_text="容缺后补的材料")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    basis = serializers.CharField(required=False, allow_blank=True, default="")


class CaseTaskActInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=TaskAction.choices)
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    to_unit = serializers.IntegerField(required=False, min_value=1, help_text="转交单位编号")
    basis = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="不同意（disagree）时不予准予的法律依据；不填则引用办事指南所列的设定依据",
    )


class CaseClockStopInput(serializers.Serializer):
    reason = serializers.ChoiceField(choices=StopReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseExtensionInput(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=60)
    reason = serializers.CharField()
    requested_by = serializers.IntegerField(min_value=1, help_text="申请延期的工作人员编号")


class CaseConclusionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    basis = serializers.CharField(required=False, allow_blank=True, default="")
    licence_valid_until = serializers.DateField(required=False, help_text="证照有效期止")


class CaseDeliveryInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    window = serializers.IntegerField(required=False, min_value=1)
    tracking_number = serializers.CharField(required=False, allow_blank=True, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    recipient_name = serializers.CharField(required=False, allow_blank=True, default="")


class CaseVisitInput(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=VisitPurpose.choices)
    window = serializers.IntegerField(required=False, min_value=1)


class CaseTaskQuery(serializers.Serializer):
    scope = serializers.ChoiceField(choices=WORKLIST_SCOPES, required=False, default="mine")
    item = IdQueryField(label="实施事项编号", param="item", required=False)
    warning = serializers.ChoiceField(choices=WarningLevel.choices, required=False)
    due_before = serializers.DateField(required=False)
