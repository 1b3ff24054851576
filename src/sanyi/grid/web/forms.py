"""Forms of the grid pages: the visit record and the mapping upload."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sanyi.grid.models import Confirmation, Outcome


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
