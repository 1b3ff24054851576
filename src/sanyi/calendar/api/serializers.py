"""Query parameters and answers of the working-day calendar endpoints.

Every parameter's error messages name it, in Chinese and by its parameter name, so a
caller sees at once which one to fix.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rest_framework import serializers

from sanyi.calendar.models import CalendarDay, DayKind

# What kind of day a date is, as /calendar/workday/ reports it (named in the schema as
# CalendarWorkdayKindEnum through SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
WORKDAY_KINDS = [
    ("weekday", "周一至周五"),
    ("weekend", "周六、周日"),
    ("holiday", "法定节假日"),
    ("makeup_workday", "调休上班日"),
]
MAX_WORKDAYS = 5000  # about twenty years: far beyond any statutory or promised limit
DATE_FORMAT_HINT = "YYYY-MM-DD 格式的日期，例如 2026-09-21"


def _date_field(label: str, name: str, help_text: str) -> serializers.DateField:
    return serializers.DateField(
        input_formats=["%Y-%m-%d"],
        help_text=help_text,
        error_messages={
            "required": f"缺少{label}（{name}），应为 {DATE_FORMAT_HINT}",
            "null": f"缺少{label}（{name}），应为 {DATE_FORMAT_HINT}",
            "invalid": f"{label}（{name}）应为 {DATE_FORMAT_HINT}",
            "datetime": f"{label}（{name}）应为日期，不带时间",
        },
    )


def _parse_stop(text: str, position: int) -> tuple[date, date]:
    where = f"第{position}个计时暂停（stop）"
    stopped, sep, restarted = text.partition(":")
    if not sep:
        raise serializers.ValidationError(
            f"{where}应写成“暂停日期:恢复日期”，例如 2026-09-22:2026-09-30", code="invalid"
        )
    try:
        stopped_on, restarted_on = date.fromisoformat(stopped), date.fromisoformat(restarted)
    except ValueError:
        raise serializers.ValidationError(
            f"{where}的两个日期都应为 YYYY-MM-DD 格式，例如 2026-09-22:2026-09-30",
            code="invalid",
        ) from None
    if restarted_on < stopped_on:
        raise serializers.ValidationError(
            f"{where}的恢复日期 {restarted_on.isoformat()} 早于暂停日期 {stopped_on.isoformat()}",
            code="invalid",
        )
    return stopped_on, restarted_on


class _StopsMixin(serializers.Serializer):
    stop = serializers.ListField(
        child=serializers.CharField(max_length=21),
        required=False,
        default=list,
        max_length=50,
        help_text=(
            "计时暂停（挂起），写成“暂停日期:恢复日期”，可重复给出。暂停日当天照常计算，"
            "此后直到恢复日（含）都不计算，恢复日的次日起继续计算"
        ),
        error_messages={"max_length": "计时暂停（stop）最多 50 个"},
    )

    def validate_stop(self, value: list[str]) -> list[tuple[date, date]]:
        return [_parse_stop(text, k) for k, text in enumerate(value, start=1)]


class CalendarDaysQuery(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=1950,
        max_value=2200,
        help_text="年份，例如 2026",
        error_messages={
            "required": "缺少年份（year），例如 2026",
            "invalid": "年份（year）应为四位数字，例如 2026",
            "min_value": "年份（year）不能早于 1950",
            "max_value": "年份（year）不能晚于 2200",
        },
    )


class CalendarWorkdayQuery(serializers.Serializer):
    date = _date_field("日期", "date", "要查询的日期")


class CalendarDeadlineQuery(_StopsMixin):
    start = _date_field(
        "起算日期", "start", "起算日期（如收件或受理之日）。当日不计入，次日起算第 1 个工作日"
    )
    days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_WORKDAYS,
        help_text="期限，单位：个工作日",
        error_messages={
            "required": "缺少工作日数（days），例如 20",
            "invalid": "工作日数（days）应为整数，例如 20",
            "min_value": "工作日数（days）不能为负数",
            "max_value": f"工作日数（days）不能超过 {MAX_WORKDAYS}",
        },
    )
    roll = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "起算日不是工作日时，是否视为下一个工作日收到（true/false）。不填时按系统设置（默认是）"
        ),
        error_messages={"invalid": "顺延起算日（roll）只能是 true 或 false"},
    )


class CalendarBetweenQuery(_StopsMixin):
    """``from`` is a Python keyword, so the field is declared as ``from_`` and renamed."""

    from_ = _date_field("开始日期", "from", "开始日期（不计入）")
    to = _date_field("结束日期", "to", "结束日期（计入）")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        return {
            "from": fields.pop("from_"),
            "to": fields.pop("to"),
            "stop": fields.pop("stop"),
        }


class CalendarDayOutput(serializers.ModelSerializer):
    kind_display = serializers.CharField(
        source="get_kind_display", read_only=True, help_text="类别的中文名称"
    )

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "kind_display", "name"]
        read_only_fields = fields
        extra_kwargs = {
            "date": {"help_text": "日期"},
            "kind": {
                "help_text": "类别："
                + "；".join(f"{value} {label}" for value, label in DayKind.choices)
            },
            "name": {"help_text": "节日名称；调休上班日填所属的节日"},
        }


class CalendarYearOutput(serializers.Serializer):
    year = serializers.IntegerField(help_text="年份")
    loaded = serializers.BooleanField(help_text="该年的国务院节假日安排通知是否已载入")
    provisional = serializers.BooleanField(
        help_text="为 true 时该年通知尚未载入，该年的工作日暂按周一至周五计算"
    )
    notice_title = serializers.CharField(allow_null=True, help_text="通知标题；未载入时为 null")
    notice_number = serializers.CharField(allow_null=True, help_text="发文字号；未载入时为 null")
    published_on = serializers.DateField(allow_null=True, help_text="通知发布日期；未载入时为 null")
    days = CalendarDayOutput(many=True, help_text="该年的法定节假日和调休上班日，按日期排列")


class CalendarWorkdayOutput(serializers.Serializer):
    date = serializers.DateField(help_text="查询的日期")
    is_workday = serializers.BooleanField(help_text="是否工作日")
    day_kind = serializers.ChoiceField(choices=WORKDAY_KINDS, help_text="日子的类别")
    holiday_name = serializers.CharField(
        allow_null=True, help_text="节假日或调休上班日所属的节日名称；其他日子为 null"
    )
    reason = serializers.CharField(help_text="为什么是（或不是）工作日，中文说明")
    provisional = serializers.BooleanField(
        help_text="为 true 时该年节假日安排尚未载入，暂按周一至周五判断"
    )


class CalendarStopOutput(serializers.Serializer):
    stopped_on = serializers.DateField(help_text="暂停日期（当天照常计算）")
    restarted_on = serializers.DateField(help_text="恢复日期（当天不计算）")


class CalendarDeadlineOutput(serializers.Serializer):
    start = serializers.DateField(help_text="起算日期")
    days = serializers.IntegerField(help_text="期限，单位：个工作日")
    due_date = serializers.DateField(help_text="到期日：第 days 个工作日")
    provisional = serializers.BooleanField(
        help_text="为 true 时计算涉及尚未载入节假日安排的年份，到期日是暂定的，载入后可能变化"
    )
    roll_nonworking_start = serializers.BooleanField(
        help_text="本次计算是否把非工作日的起算日顺延到下一个工作日"
    )
    stops = CalendarStopOutput(many=True, help_text="计入的计时暂停")


class CalendarBetweenOutput(serializers.Serializer):
    from_ = serializers.DateField(help_text="开始日期（不计入）")
    to = serializers.DateField(help_text="结束日期（计入）")
    workdays = serializers.IntegerField(
        help_text="开始日期之后到结束日期（含）之间的工作日个数，扣除计时暂停；结束日期早于开始日期时为负数"
    )
    provisional = serializers.BooleanField(
        help_text="为 true 时区间涉及尚未载入节假日安排的年份，结果是暂定的"
    )
    stops = CalendarStopOutput(many=True, help_text="扣除的计时暂停")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        return {"from": fields.pop("from_"), **fields}
