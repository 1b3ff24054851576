"""Forms of the staff pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sanyi.annual_reports.choices import ReportScope
from sanyi.annual_reports.compute import FIGURE_ITEMS, FIRST_YEAR
from sanyi.annual_reports.models import AnnualReport


class ReportCreateForm(forms.Form):
    org_unit = forms.ModelChoiceField(label="报告单位", queryset=None, empty_label=None)
    year = forms.TypedChoiceField(label="年度", coerce=int)
    scope = forms.ChoiceField(
        label="统计范围",
        choices=ReportScope.choices,
        initial=ReportScope.SUBTREE,
        help_text="区、街道的报告通常汇总下级单位；只报本机关的选“仅本单位”",
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        self.fields["org_unit"].label_from_instance = lambda u: "　" * u.depth + u.name
        this_year = timezone.localdate().year
        years = range(this_year, max(FIRST_YEAR, this_year - 10) - 1, -1)
        self.fields["year"].choices = [(y, f"{y}年") for y in years]
        # In January the report due is last year's.
        in_january = timezone.localdate().month == 1
        self.fields["year"].initial = this_year - 1 if in_january else this_year


class ReportEditForm(forms.Form):
    scope = forms.ChoiceField(label="统计范围", choices=ReportScope.choices)
    overview = forms.CharField(
        label="一、总体情况",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="主动公开、依申请公开、政府信息管理、平台建设、监督保障等工作的总体情况",
    )
    problems = forms.CharField(
        label="五、存在的主要问题及改进情况",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    other_matters = forms.CharField(
        label="六、其他需要报告的事项",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="例如依申请公开收费情况、人大代表建议和政协提案办理结果公开情况；没有可不填",
    )
    notes = forms.CharField(
        label="内部备注",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="只在工作台显示，不出现在报告里",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (item, name, measure) in FIGURE_ITEMS.items():
            unit = "万元" if key == "fees" else "件"
            self.fields[f"figure_{key}"] = forms.CharField(
                label=f"{name}：{measure.replace('（单位：万元）', '')}（{unit}）",
                required=False,
                help_text=f"{item}。系统没有统计数时手工填写；留空则用系统统计数",
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=f"{name}数字的来源说明",
                required=False,
                max_length=500,
                help_text="手工填写时必填，例如“据区市场监管局业务系统统计”",
            )

    def show_system_values(self, data: dict) -> None:
        """Put the system's own figure (if any) in each hand-figure field's help text."""
        for key, info in data.get("figures", {}).items():
            field = self.fields.get(f"figure_{key}")
            if field is None:
                continue
            value = info.get("system_value")
            known = "没有" if value is None else f"{value}"
            field.help_text = f"{field.help_text}。系统统计数：{known}"

    @classmethod
    def for_report(cls, report: AnnualReport, data=None) -> ReportEditForm:
        initial = {
            "scope": report.scope,
            "overview": report.overview,
            "problems": report.problems,
            "other_matters": report.other_matters,
            "notes": report.notes,
        }
        for key, entry in (report.manual_figures or {}).items():
            initial[f"figure_{key}"] = entry.get("value", "")
            initial[f"note_{key}"] = entry.get("note", "")
        return cls(data, initial=initial)

    def figure_fields(self):
        return [(self[f"figure_{key}"], self[f"note_{key}"]) for key in FIGURE_ITEMS]

    def figures(self) -> dict:
        return {
            key: {
                "value": self.cleaned_data.get(f"figure_{key}", ""),
                "note": self.cleaned_data.get(f"note_{key}", ""),
            }
            for key in FIGURE_ITEMS
        }


class ReviseForm(forms.Form):
    reason = forms.CharField(
        label="修订原因",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="将在修订版报告中公布",
    )
