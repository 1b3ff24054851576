from django import forms

from sanyi.ratings.choices import CRITERIA, RatingChannel, RatingLevel, ReturnVisitResult

LEVEL_CHOICES = [(level.value, f"{level.label}（{level.value}分）") for level in RatingLevel]


class RatingForm(forms.Form):
    """The rating form of one channel: the overall level plus that channel's criteria."""

    level = forms.TypedChoiceField(
        label="总体评价",
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择总体评价"},
    )
    comment = forms.CharField(
        label="想说的话（选填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不满意的地方请写具体一些，我们会安排专人回访和整改",
    )

    def __init__(self, *args, channel: str = RatingChannel.ONLINE, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        for key, label in CRITERIA[channel]:
            self.fields[key] = forms.TypedChoiceField(
                label=f"{label}（选填）",
                choices=[("", "不评价"), *LEVEL_CHOICES],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def criteria(self) -> dict:
        return {
            key: self.cleaned_data[key]
            for key, _ in CRITERIA[self.channel]
            if self.cleaned_data.get(key) is not None
        }


class ReturnVisitForm(forms.Form):
    result = forms.ChoiceField(
        label="回访结果", choices=ReturnVisitResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="回访记录",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="联系了谁、怎么联系（电话/上门）、对方怎么说",
    )


class CompleteForm(forms.Form):
    measures = forms.CharField(
        label="整改措施", widget=forms.Textarea(attrs={"rows": 4}), help_text="将在网站上公开"
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label="申诉理由", widget=forms.Textarea(attrs={"rows": 3}), help_text="写明理由和证据"
    )


class AppealDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="复核结论",
        choices=[("1", "申诉成立：该差评不计入统计，免于整改"), ("0", "申诉不成立：继续整改")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}))


class StatsFilterForm(forms.Form):
    by = forms.ChoiceField(
        label="统计口径",
        required=False,
        choices=[
            ("unit", "按受理单位"),
            ("handling_unit", "按办理单位"),
            ("item", "按事项"),
            ("window", "按窗口"),
        ],
    )
    start = forms.DateField(
        label="开始日期", required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        label="结束日期", required=False, widget=forms.DateInput({"type": "date"})
    )
