from rest_framework import serializers

from sanyi.appointments.models import BookingStatus
from sanyi.core.numbers import IdQueryField


class SlotOutput(serializers.Serializer):
    id = serializers.IntegerField()
    center = serializers.IntegerField(source="center_id")
    window_group = serializers.CharField(source="schedule.name")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    free = serializers.IntegerField(help_text="还可预约的人数")


class SlotQuery(serializers.Serializer):
    day = serializers.DateField(required=False, help_text="只看这一天（YYYY-MM-DD）")


class BookingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="预约码，到窗口报给工作人员")
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    item = serializers.CharField(source="implementation_item.implementation_code")
    item_name = serializers.CharField()
    center = serializers.CharField(source="slot.center.name")
    window_group = serializers.CharField(source="slot.schedule.name")
    slot = serializers.IntegerField(source="slot_id")
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    ends_at = serializers.DateTimeField(source="slot.ends_at")
    checked_in_at = serializers.DateTimeField(allow_null=True)


class CounterBookingOutput(BookingOutput):
    applicant = serializers.CharField(source="person", help_text="凭手机号预约的姓名已脱敏")
    applicant_id = serializers.CharField(
        source="person_id", help_text="已脱敏；凭手机号预约时为脱敏的手机号"
    )


class BookingInput(serializers.Serializer):
    slot = serializers.IntegerField(help_text="时段id（见 /appointments/centers/{pk}/slots/）")
    implementation_code = serializers.CharField(max_length=36, help_text="事项的实施编码")


class MoveInput(serializers.Serializer):
    slot = serializers.IntegerField(help_text="新的时段id（同一服务中心）")


class CounterQuery(serializers.Serializer):
    center = IdQueryField(
        label="服务中心id", param="center", required=False, help_text="服务中心id；不填为第一个"
    )
    day = serializers.DateField(required=False, help_text="日期，不填为今天")


class PhoneCodeInput(serializers.Serializer):
    phone = serializers.CharField(max_length=20, help_text="11位手机号；验证码发到这个号码")


class PhoneCodeOutput(serializers.Serializer):
    detail = serializers.CharField()


class PhoneBookingInput(serializers.Serializer):
    name = serializers.CharField(max_length=60, help_text="姓名（不建立申请人档案）")
    phone = serializers.CharField(max_length=20)
    sms_code = serializers.CharField(max_length=6, help_text="发到这个手机号的短信验证码")
    slot = serializers.IntegerField(help_text="时段id（见 /appointments/centers/{pk}/slots/）")
    implementation_code = serializers.CharField(max_length=36, help_text="事项的实施编码")


class PhoneLookupInput(serializers.Serializer):
    code = serializers.CharField(max_length=8, help_text="预约码")
    phone = serializers.CharField(max_length=20, help_text="预约时所留的完整手机号")


class PhoneChangeInput(PhoneLookupInput):
    sms_code = serializers.CharField(
        max_length=6, help_text="改约或取消前新获取的、发到这个手机号的短信验证码"
    )


class PhoneMoveInput(PhoneChangeInput):
    slot = serializers.IntegerField(help_text="新的时段id（同一服务中心）")


class ScheduleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    center = serializers.IntegerField(source="center_id")
    center_name = serializers.CharField(source="center.name")
    name = serializers.CharField(help_text="窗口组")
    weekdays = serializers.CharField(help_text="星期几的数字，1=星期一 … 7=星期日")
    opens = serializers.TimeField()
    closes = serializers.TimeField()
    slot_minutes = serializers.IntegerField()
    capacity = serializers.IntegerField()
    is_active = serializers.BooleanField()


class PatternInput(serializers.Serializer):
    weekdays = serializers.RegexField(r"^[1-7]{1,7}$", help_text="如 12345；节假日没有时段")
    opens = serializers.TimeField()
    closes = serializers.TimeField()
    slot_minutes = serializers.IntegerField(min_value=5, max_value=240)
    capacity = serializers.IntegerField(min_value=1, max_value=100)


class ScheduleInput(PatternInput):
    center = serializers.IntegerField(help_text="服务中心id（须在您的管理范围内）")
    name = serializers.CharField(max_length=60)


class ManagedSlotOutput(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    booked = serializers.IntegerField()
    closed = serializers.BooleanField(source="is_closed")
    closed_reason = serializers.CharField()
    bookings = CounterBookingOutput(source="listed", many=True)


class ManagedSlotQuery(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="从这一天起，不填为今天")
    days = serializers.IntegerField(required=False, min_value=1, max_value=31, default=7)


class PatternOutput(serializers.Serializer):
    schedule = ScheduleOutput()
    slots_kept_above_capacity = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="已约人数多于新的可约人数的时段id：这些时段保留为已约人数",
    )


class PublishInput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class CountOutput(serializers.Serializer):
    count = serializers.IntegerField()


class CloseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="会告诉已预约的群众")
    slot = serializers.IntegerField(required=False, help_text="一个时段；不填则按 day 关闭整天")
    day = serializers.DateField(required=False)


class ReopenInput(serializers.Serializer):
    slot = serializers.IntegerField(required=False)
    day = serializers.DateField(required=False)
