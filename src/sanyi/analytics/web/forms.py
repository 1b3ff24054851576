"""The dashboard's filter form (GET): a named period or two dates, level, unit, item,
theme and channel. Its choices hold only what the viewer may pick."""

from __future__ import annotations

import datetime as dt

from django import forms

from sanyi.analytics.dashboard import LEVELS, PRESETS, Filters, preset_period
from sanyi.analytics.definitions import DRILLS
from sanyi.cases.choices import CaseChannel
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.core.forms import LongSelect
from sanyi.orgs.models import OrgUnit, Role, User
from sanyi.orgs.permissions import scope_q
from sanyi.orgs.selectors import unit_choices_by_level

MAX_DAYS = 370  # a year and a few days: 近12个月 from the first of a month


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: ImplementationItem) -> str:
        return obj.base_item.name


class DashboardForm(forms.Form):
    preset = forms.ChoiceField(
        label="统计期间", required=False, choices=[("", "自定义日期"), *list(PRESETS)]
    )
    start = forms.DateField(
        label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    level = forms.ChoiceField(
        label="按层级分列", required=False, choices=[("", "下一级单位"), *list(LEVELS)]
    )
    unit = forms.TypedChoiceField(
        label="单位", required=False, coerce=int, empty_value=None, widget=LongSelect
    )
    item = ItemChoice(
        label="事项",
        required=False,
        queryset=ImplementationItem.objects.none(),
        empty_label="全部事项",
        widget=LongSelect,
    )
    theme = forms.ChoiceField(label="主题", required=False)
    channel = forms.ChoiceField(
        label="申请渠道", required=False, choices=[("", "全部渠道"), *list(CaseChannel.choices)]
    )

    def __init__(self, *args, viewer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.units = OrgUnit.objects.filter(scope_q(viewer, Role.values, path_field="path"))
        self.fields["unit"].choices = [("", "全部（我的范围）"), *unit_choices_by_level(self.units)]
        published = ItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
        self.fields["item"].queryset = (
            ImplementationItem.objects.filter(versions__status=VersionStatus.PUBLISHED)
            .distinct()
            .select_related("base_item")
            .order_by("base_item__name", "pk")
        )
        themes = sorted(
            {
                t
                for p, b in published.values_list("themes_person", "themes_business")
                for t in [*(p or []), *(b or [])]
            }
        )
        self.fields["theme"].choices = [("", "全部主题")] + [(t, t) for t in themes]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "结束日期不能早于开始日期")
        elif start and end and (end - start).days > MAX_DAYS:
            self.add_error("end", "统计期间不能超过一年")
        return data

    def filters(self, today: dt.date | None = None) -> Filters:
        """The chosen filters: the fields given and valid, the others left out (the period
        this month to today by default)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        start, end = preset_period(data.get("preset") or "this_month", today)
        if not data.get("preset"):
            start, end = data.get("start") or start, data.get("end") or end
        unit_id = data.get("unit")
        unit = self.units.filter(pk=unit_id).first() if unit_id else None
        return Filters(
            start=start,
            end=end,
            unit=unit,
            level=data.get("level") or "",
            item=data.get("item"),
            theme=data.get("theme") or "",
            channel=data.get("channel") or "",
        )


class DrillForm(DashboardForm):
    measure = forms.ChoiceField(label="指标", choices=[(k, d.label) for k, d in DRILLS.items()])
