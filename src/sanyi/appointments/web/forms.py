from __future__ import annotations

from django import forms

from sanyi.core.forms import DateInput


class BookForm(forms.Form):
    item = forms.TypedChoiceField(label="办理事项", coerce=int, choices=())
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


class MoveForm(forms.Form):
    slot = forms.TypedChoiceField(label="改约到", coerce=int, choices=(), widget=forms.RadioSelect)

    def __init__(self, *args, slots=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(s.pk, slot_label(s)) for s in slots]
        self.fields["slot"].error_messages["required"] = "请选择新的时段"
        self.fields["slot"].error_messages["invalid_choice"] = "这个时段已约满或已过去，请重新选择"


class DayForm(forms.Form):
    day = forms.DateField(label="日期", required=False, widget=DateInput)


def slot_label(slot) -> str:
    from django.utils import timezone

    start = timezone.localtime(slot.starts_at)
    end = timezone.localtime(slot.ends_at)
    return f"{start:%m月%d日} {start:%H:%M}-{end:%H:%M}（{slot.schedule.name}，余{slot.free}个）"
