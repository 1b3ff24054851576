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


class NoticeDetailsForm(forms.Form):
    """A loaded notice's details; its days are corrected one by one (DayCorrectionForm)."""

    notice_title = forms.CharField(
        label="通知标题", max_length=200, error_messages={"required": "请填写通知标题"}
    )
    notice_number = forms.CharField(
        label="发文字号",
        max_length=60,
        help_text="例如：国办发明电〔2025〕7号",
        error_messages={"required": "请填写发文字号"},
    )
    published_on = forms.DateField(
        label="发布日期",
        widget=DateInput,
        error_messages={"required": "请填写发布日期", "invalid": "日期格式应为2026-11-10"},
    )
    source = forms.CharField(
        label="来源", max_length=300, required=False, help_text="通知的出处，例如中国政府网的网址"
    )
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def initial_from(cls, row: CalendarYear) -> dict:
        return {name: getattr(row, name) for name in cls.base_fields}
