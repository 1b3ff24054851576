"""Forms of the search app's staff pages."""

from __future__ import annotations

from django import forms

from sanyi.search.services import parse_expansions

PERIODS = {"7": 7, "30": 30, "90": 90}


class SynonymForm(forms.Form):
    term = forms.CharField(
        label="群众用语",
        max_length=20,
        help_text="群众在搜索框里常说的词，如“低保”“生孩子”“开饭店”",
    )
    expansions = forms.CharField(
        label="对应的规范用语",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="事项名称中的说法，每行一个，或用“/”“、”隔开；最想让群众找到的写在最前面",
    )
    note = forms.CharField(label="备注", max_length=200, required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def clean_expansions(self) -> list[str]:
        expansions = parse_expansions(self.cleaned_data["expansions"])
        if not expansions:
            raise forms.ValidationError("请至少填写一个规范用语")
        return expansions


class SynonymFilterForm(forms.Form):
    q = forms.CharField(label="查找", max_length=30, required=False)
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("active", "启用"), ("inactive", "已停用")],
    )
