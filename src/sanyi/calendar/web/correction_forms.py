"""Forms for correcting the calendar by hand: one day, and a loaded notice's details."""

from __future__ import annotations

from django import forms

from sanyi.calendar.corrections import CORRECTION_KINDS, MAX_REASON
from sanyi.calendar.models import CalendarYear
from sanyi.core.forms import DateInput


class DayCorrectionForm(forms.Form):
    date = forms.DateField(
        label="日期",
        widget=DateInput,
        error_messages={"required": "请填写要更正的日期", "invalid": "日期格式应为2027-01-01"},
    )
    kind = forms.ChoiceField(
        label="更正为",
        choices=CORRECTION_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择这一天更正为什么"},
    )
    name = forms.CharField(
        label="节日名称",
        required=False,
        max_length=40,
        help_text="节假日或调休上班日所属的节日，例如“春节”；更正为平日时不填",
    )
    reason = forms.CharField(
        label="更正原因",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如“国务院办公厅补充通知（国办发明电〔2027〕1号）”，记入变更记录和操作日志",
        error_messages={"required": "请填写更正原因"},
    )


class NoticeDetailsForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["notice_title", "notice_number", "published_on", "source", "notes"]
        widgets = {"published_on": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "notice_title": {"required": "请填写通知标题"},
            "notice_number": {"required": "请填写发文字号"},
            "published_on": {"required": "请填写发布日期", "invalid": "日期格式应为2026-11-10"},
        }
