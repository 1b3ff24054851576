"""Forms of the grid pages: the visit record, the mapping upload and event reports."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sanyi.grid.models import Confirmation, EventCategory, Outcome


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


class ApplicantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.masked_phone or '无手机号'}）{obj.address}"


class EventForm(forms.Form):
    """An officer's event report; the grid and resident choices are the officer's own."""

    grid = forms.ModelChoiceField(label="网格", queryset=None, empty_label=None)
    category = forms.ChoiceField(
        label="类别", choices=EventCategory.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label="标题", max_length=60)
    description = forms.CharField(
        label="情况描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label="地点", max_length=200)
    applicant = ApplicantChoiceField(
        label="涉及居民（可不选）", queryset=None, required=False, empty_label="不涉及具体居民"
    )
    photos = MultipleFileField(
        label="现场照片（最多3张）",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, grids, applicants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["applicant"].queryset = applicants


class EventActionForm(forms.Form):
    """One of the holder's actions on an event; which fields count depends on ``action``."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in ("accept", "route", "close", "to_case", "offer")]
    )
    note = forms.CharField(label="说明", required=False, max_length=2000)
    result = forms.CharField(label="办理结果", required=False, max_length=2000)
    to_unit = forms.ModelChoiceField(label="转派至", queryset=None, required=False)
    case_number = forms.CharField(label="办件号", required=False, max_length=40)
    item = forms.CharField(label="提供的服务事项", required=False, max_length=200)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = targets
