"""Forms of the grid pages: the visit record, the visit log, the supervision period, the
mapping upload, event reports and help to apply."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from sanyi.core.forms import LongSelect
from sanyi.grid.models import Confirmation, ConsentMethod, EventCategory, Outcome
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


# --- help to apply (帮办代办) ---------------------------------------------------------------

CAMERA = {"accept": "image/*", "capture": "environment"}


class AssistStartForm(forms.Form):
    """The resident (of the officer's grids) and the online item; choices set by the view."""

    applicant = forms.TypedChoiceField(label="居民", coerce=int, widget=forms.RadioSelect)
    item = forms.TypedChoiceField(label="办理事项", coerce=int, widget=LongSelect)

    def __init__(self, *args, residents=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = [
            (a.pk, f"{a.display_name}（{a.masked_id}，{a.masked_phone or '无手机号'}）")
            for a in residents
        ]
        self.fields["item"].choices = [("", "请选择事项")] + [
            (i.pk, f"{i.base_item.name}（{i.implementing_unit.name}）") for i in items
        ]


class AssistConsentForm(forms.Form):
    method = forms.ChoiceField(
        label="居民同意的方式", choices=ConsentMethod.choices, widget=forms.RadioSelect
    )
    code = forms.CharField(label="居民收到的验证码", required=False, max_length=6)
    authorisation = forms.FileField(
        label="居民签字的授权书（拍照）",
        required=False,
        widget=forms.ClearableFileInput(attrs=CAMERA),
    )


class AssistMaterialsForm(forms.Form):
    """One camera input per material to photograph (field ``m<case material id>``)."""

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        for cm in materials:
            label = cm.name + ("" if cm.required else "（非必需）")
            self.fields[f"m{cm.pk}"] = forms.FileField(
                label=label, required=False, widget=forms.ClearableFileInput(attrs=CAMERA)
            )

    def photos(self) -> dict[int, object]:
        return {
            int(name[1:]): f for name, f in self.cleaned_data.items() if f and name.startswith("m")
        }


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
