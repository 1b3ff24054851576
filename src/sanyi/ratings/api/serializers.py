from rest_framework import serializers

from sanyi.ratings.choices import ReturnVisitResult


class RatingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField(source="case.number")
    item = serializers.CharField(source="item.base_item.name")
    level = serializers.IntegerField(help_text="5 非常满意 … 1 非常不满意")
    level_label = serializers.CharField(source="get_level_display")
    channel = serializers.CharField(help_text="online 网上评价 / offline 窗口评价器")
    criteria = serializers.DictField(child=serializers.IntegerField())
    comment = serializers.CharField()
    rated_at = serializers.DateTimeField()
    unit = serializers.CharField(source="unit.name")
    handling_unit = serializers.CharField(source="handling_unit.name")
    window = serializers.CharField(source="window.__str__", allow_null=True, default=None)
    excluded = serializers.BooleanField(help_text="申诉成立，不计入统计")


class RectificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField(source="rating.case.number")
    level = serializers.IntegerField(source="rating.level")
    unit = serializers.CharField(source="unit.name")
    status = serializers.CharField()
    opened_on = serializers.DateField()
    due_on = serializers.DateField()
    return_visit_on = serializers.DateField(allow_null=True)
    return_visit_result = serializers.CharField()
    return_visit_note = serializers.CharField()
    measures = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)


class StatRowOutput(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    count = serializers.IntegerField()
    average = serializers.FloatField()
    by_level = serializers.DictField(child=serializers.IntegerField())
    satisfied = serializers.IntegerField()
    bad = serializers.IntegerField()
    rectified = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField()
    rectified_rate = serializers.FloatField()


class StatsQuery(serializers.Serializer):
    by = serializers.ChoiceField(
        choices=["unit", "handling_unit", "item", "window"], default="unit", required=False
    )
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class ReturnVisitInput(serializers.Serializer):
    result = serializers.ChoiceField(choices=ReturnVisitResult.choices)
    note = serializers.CharField()


class CompleteInput(serializers.Serializer):
    measures = serializers.CharField()


class AppealInput(serializers.Serializer):
    reason = serializers.CharField()


class AppealDecisionInput(serializers.Serializer):
    upheld = serializers.BooleanField()
    note = serializers.CharField()


class AppealOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    reason = serializers.CharField()
    decision_note = serializers.CharField()
