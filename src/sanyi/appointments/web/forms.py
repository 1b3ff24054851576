from __future__ import annotations

from django import forms

from sanyi.core.forms import DateInput, LongSelect


class BookForm(forms.Form):
    item = forms.TypedChoiceField(label="办理事项", coerce=int, choices=(), widget=LongSelect)
    slot = forms.TypedChoiceField(
        label="预约时段", coerce=int, choices=(), widget=forms.RadioSelect
    )

    def __init__(self, *args, items=(), slots=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "请选择事项")] + [(i.pk, n) for i, n in items]
        self.fields["slot"].choices = [(s.pk, slot_label(s)) for s in slots]
        self.fields["item"].error_messages["required"] = "请选择办理事项"
        self.fields["slot"].error_messages["required"] = "请选择预约时段"
        self.fields["slot"].error_messages["invalid_choice"] = "这个时段已约满或已过去，请重新选择"


class PhoneBookForm(BookForm):
    """Booking by mobile without signing in: name and mobile, the SMS code, item and slot.
    No ID number: the booking creates no profile and the window checks the papers."""

    name = forms.CharField(label="姓名", max_length=60)
    phone = forms.CharField(label="手机号", max_length=20)
    code = forms.CharField(label="短信验证码", max_length=6, required=False)

    field_order = ["name", "phone", "item", "slot", "code"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["name"].error_messages["required"] = "请填写姓名"
        self.fields["phone"].error_messages["required"] = "请填写手机号"
        self.fields["phone"].widget.attrs.update(inputmode="numeric", autocomplete="tel")
        self.fields["code"].widget.attrs.update(inputmode="numeric", autocomplete="one-time-code")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code:
            raise forms.ValidationError("请填写短信验证码，没有的请先点“获取验证码”")
        return code


class FindForm(forms.Form):
    code = forms.CharField(label="预约码", max_length=8)
    last4 = forms.CharField(label="手机号后四位", min_length=4, max_length=4)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = "请填写预约码"
        self.fields["last4"].error_messages["required"] = "请填写手机号后四位"
        self.fields["last4"].error_messages["min_length"] = "请填写手机号后四位数字"
        self.fields["last4"].widget.attrs.update(inputmode="numeric")

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class MoveForm(forms.Form):
    slot = forms.TypedChoiceField(label="改约到", coerce=int, choices=(), widget=forms.RadioSelect)

    def __init__(self, *args, slots=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(s.pk, slot_label(s)) for s in slots]
        self.fields["slot"].error_messages["required"] = "请选择新的时段"
        self.fields["slot"].error_messages["invalid_choice"] = "这个时段已约满或已过去，请重新选择"


class SmsCodeForm(forms.Form):
    """The fresh SMS code a phone booking's change needs (sent to the booking's mobile)."""

    sms_code = forms.CharField(label="短信验证码", max_length=6)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sms_code"].error_messages["required"] = (
            "请填写短信验证码，没有的请先点“获取验证码”"
        )
        self.fields["sms_code"].widget.attrs.update(
            inputmode="numeric", autocomplete="one-time-code"
        )


class PhoneMoveForm(MoveForm, SmsCodeForm):
    """Moving a phone booking: the new slot and the fresh SMS code."""


class DayForm(forms.Form):
    day = forms.DateField(label="日期", required=False, widget=DateInput)


def slot_label(slot) -> str:
    from django.utils import timezone

    start = timezone.localtime(slot.starts_at)
    end = timezone.localtime(slot.ends_at)
    return f"{start:%m月%d日} {start:%H:%M}-{end:%H:%M}（{slot.schedule.name}，余{slot.free}个）"


WEEKDAY_CHOICES = [(str(n), f"星期{'一二三四五六日'[n - 1]}") for n in range(1, 8)]


class PatternForm(forms.Form):
    """A window group's weekly pattern: which days, the hours, slot length and places."""

    weekdays = forms.MultipleChoiceField(
        label="每周哪几天",
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="节假日没有时段；调休上班日在选了星期一到五时照常开放。",
    )
    opens = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    slot_minutes = forms.IntegerField(label="每段分钟数", min_value=5, max_value=240)
    capacity = forms.IntegerField(label="每段可约人数", min_value=1, max_value=100)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        names = {
            "weekdays": "请至少选择星期几中的一天",
            "opens": "请填写开始时间",
            "closes": "请填写结束时间",
            "slot_minutes": "请填写每段分钟数（5到240）",
            "capacity": "请填写每段可约人数（1到100）",
        }
        for name, text in names.items():
            field = self.fields[name]
            field.error_messages.update(required=text, invalid=text)
            for key in ("min_value", "max_value"):
                field.error_messages[key] = text


class ScheduleForm(PatternForm):
    center = forms.TypedChoiceField(label="服务中心", coerce=int, choices=())
    name = forms.CharField(label="窗口组名称", max_length=60)

    field_order = ["center", "name", "weekdays", "opens", "closes", "slot_minutes", "capacity"]

    def __init__(self, *args, centers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["center"].choices = [(c.pk, c.name) for c in centers]
        self.fields["center"].error_messages["required"] = "请选择服务中心"
        self.fields["name"].error_messages["required"] = "请填写窗口组名称，例如“综合窗口”"


class PublishForm(forms.Form):
    start = forms.DateField(label="从", widget=DateInput)
    end = forms.DateField(label="到", widget=DateInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].error_messages.update(
            required="请填写开始日期", invalid="开始日期格式不对"
        )
        self.fields["end"].error_messages.update(
            required="请填写结束日期", invalid="结束日期格式不对"
        )


class CloseForm(forms.Form):
    reason = forms.CharField(label="关闭原因", max_length=200)
    day = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "请填写关闭原因（会告诉已预约的群众）"
