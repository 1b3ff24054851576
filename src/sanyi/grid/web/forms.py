"""Forms of the grid pages: the visit record, the visit log, the supervision period and
the mapping upload."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from sanyi.grid.models import Confirmation, Outcome
from sanyi.grid.selectors import DueFilter
from sanyi.grid.supervision_selectors import period_default


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class VisitForm(forms.Form):
    visited_at = forms.DateTimeField(
        label="走访时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    outcome = forms.ChoiceField(label="结果", choices=Outcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(
        label="情况记录", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultipleFileField(
        label="现场照片（最多4张）",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    keep_location = forms.BooleanField(label="保留位置", required=False)
    confirmation = forms.ChoiceField(
        label="居民确认方式",
        choices=Confirmation.choices,
        initial=Confirmation.SMS,
        widget=forms.RadioSelect,
    )
    code = forms.CharField(label="居民收到的验证码", required=False, max_length=6)
    signature = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["visited_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class RulesUploadForm(forms.Form):
    file = forms.FileField(label="网格地址Excel文件（.xlsx）")


class HouseholdVisitForm(forms.Form):
    visited_at = forms.DateTimeField(
        label="走访时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    notes = forms.CharField(
        label="走访情况（最多2000字）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    follow_up = forms.BooleanField(label="需要跟进", required=False)
    next_due_on = forms.DateField(
        label="下次走访日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def __init__(self, *args, next_due: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["visited_at"] = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
            if next_due is not None:
                self.initial["next_due_on"] = next_due.isoformat()


class HouseholdFilterForm(forms.Form):
    due = forms.ChoiceField(label="走访到期", required=False, choices=DueFilter.CHOICES)
    q = forms.CharField(label="姓名或地址", required=False, max_length=50)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "结束日期不能早于开始日期")
        if start and end and (end - start).days > 366:
            self.add_error("end", "统计期间不能超过一年")
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen days, this month up to today by default."""
        start, end = period_default()
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("start") or start, data.get("end") or end
