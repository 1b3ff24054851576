"""The choice of period, level and item search on the public statistics page."""

from __future__ import annotations

import datetime as dt

from django import forms

from sanyi.analytics.selectors_public import LEVELS, period_bounds, period_years
from sanyi.orgs.models import OrgKind

MONTHS = [("", "全年")] + [(str(m), f"{m}月") for m in range(1, 13)]
UNIT_LEVELS = [(k, v) for k, v in LEVELS.items() if k != OrgKind.DISTRICT]


class PublicStatsForm(forms.Form):
    year = forms.TypedChoiceField(label="年份", coerce=int, required=False)
    month = forms.TypedChoiceField(
        label="月份", choices=MONTHS, coerce=int, required=False, empty_value=None
    )
    level = forms.ChoiceField(label="单位层级", choices=UNIT_LEVELS, required=False)
    q = forms.CharField(label="查找事项", max_length=40, required=False)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["year"].choices = [(y, f"{y}年") for y in period_years(today)]
        self.fields["q"].widget.attrs.update(placeholder="事项或部门名称，如：医保")

    def clean(self):
        data = super().clean()
        year, month = data.get("year") or self.today.year, data.get("month")
        if month and dt.date(year, month, 1) > self.today:
            self.add_error("month", f"月份：{year}年{month}月还没有到，请选择已经过去的月份")
        return data

    def choice(self) -> dict:
        """The chosen period and filters; the defaults (this year so far, subdistricts)
        when the form is empty or wrong."""
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or self.today.year
        month = data.get("month")
        start, end = period_bounds(year=year, month=month, today=self.today)
        return {
            "year": year,
            "month": month,
            "start": start,
            "end": end,
            "level": data.get("level") or OrgKind.SUBDISTRICT,
            "q": (data.get("q") or "").strip(),
        }
