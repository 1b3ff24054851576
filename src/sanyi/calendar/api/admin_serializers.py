"""Bodies and answers of the calendar administration endpoints (system admins only)."""

from __future__ import annotations

from rest_framework import serializers

from sanyi.calendar.corrections import CORRECTION_KINDS, MAX_REASON
from sanyi.calendar.models import CalendarChange, CalendarYear


class CalendarNoticeOutput(serializers.ModelSerializer):
    class Meta:
        model = CalendarYear
        fields = [
            "year",
            "notice_title",
            "notice_number",
            "published_on",
            "source",
            "notes",
            "loaded_at",
        ]
        read_only_fields = fields


class CalendarNoticeDetailsInput(serializers.Serializer):
    notice_title = serializers.CharField(
        max_length=200,
        help_text="通知标题",
        error_messages={"blank": "通知标题（notice_title）不能为空"},
    )
    notice_number = serializers.CharField(
        max_length=60,
        help_text="发文字号，例如“国办发明电〔2025〕7号”",
        error_messages={"blank": "发文字号（notice_number）不能为空"},
    )
    published_on = serializers.DateField(
        help_text="发布日期",
        error_messages={"invalid": "发布日期（published_on）应为 YYYY-MM-DD 格式的日期"},
    )
    # A declared field named like a Field attribute; DRF's metaclass takes it off the class.
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=300, required=False, allow_blank=True, default="", help_text="来源"
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="", help_text="备注")


class CalendarChangeOutput(serializers.ModelSerializer):
    action_display = serializers.CharField(
        source="get_action_display", read_only=True, help_text="操作的中文名称"
    )

    class Meta:
        model = CalendarChange
        fields = ["id", "created_at", "actor_label", "action", "action_display", "years", "dates"]
        fields += ["summary"]
        read_only_fields = fields


class CalendarDayChangeOutput(serializers.Serializer):
    date = serializers.DateField(help_text="日期")
    before = serializers.CharField(help_text="原来的类别，中文")
    after = serializers.CharField(help_text="更正或载入后的类别，中文")


class CalendarDueMoveOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="类别：办件、依申请公开")
    label = serializers.CharField(help_text="编号和标题")  # type: ignore[assignment]
    url = serializers.CharField(help_text="工作台页面地址")
    old = serializers.DateField(allow_null=True, help_text="原期限")
    new = serializers.DateField(allow_null=True, help_text="新期限")


class CalendarNoticePreviewOutput(serializers.Serializer):
    year = serializers.IntegerField(help_text="通知的年份")
    replaces = serializers.CharField(
        allow_null=True, help_text="将替换的已载入通知的发文字号；该年尚未载入时为 null"
    )
    days = CalendarDayChangeOutput(many=True, help_text="类别变化的日期")
    moves = CalendarDueMoveOutput(many=True, help_text="期限将变化的在办事项")


class CalendarDayCorrectionInput(serializers.Serializer):
    date = serializers.DateField(
        help_text="要更正的日期",
        error_messages={
            "required": "缺少日期（date）",
            "invalid": "日期（date）应为 YYYY-MM-DD 格式",
        },
    )
    kind = serializers.ChoiceField(
        choices=CORRECTION_KINDS,
        help_text="更正为：holiday 节假日；makeup_workday 调休上班；normal 平日（按星期计算）",
        error_messages={
            "required": "缺少类别（kind）",
            "invalid_choice": "类别（kind）应为 holiday、makeup_workday 或 normal",
        },
    )
    name = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="节日名称，例如“春节”；normal 时不填",
    )
    reason = serializers.CharField(
        max_length=MAX_REASON,
        help_text="更正原因，记入变更记录和操作日志",
        error_messages={
            "required": "缺少更正原因（reason）",
            "blank": "更正原因（reason）不能为空",
        },
    )


class CalendarDayCorrectionOutput(serializers.Serializer):
    date = serializers.DateField(help_text="日期")
    kind = serializers.CharField(help_text="更正后的类别")
    name = serializers.CharField(help_text="节日名称；平日为空")
    reason = serializers.CharField(help_text="更正原因")
    before = serializers.CharField(help_text="更正前，中文")
    after = serializers.CharField(help_text="更正后，中文")
    moves = CalendarDueMoveOutput(many=True, help_text="期限变化（预览）或已变化的在办事项")
