"""Forms of the disclosure staff pages. They parse input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sanyi.core.forms import DateInput
from sanyi.openness.choices import (
    Audience,
    Channel,
    ContentNature,
    DisclosureAttribute,
    DisclosureMode,
    DocumentKind,
    FiveKind,
    InterpretationKind,
    Level,
    LimitTrigger,
    LimitUnit,
    NonDisclosureGround,
    PublicationStatus,
    Topic,
    Validity,
)
from sanyi.openness.models import Area, DirectoryEntry, NegativeListEntry
from sanyi.openness.selectors import Timeliness


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _blank(choices, label: str = "全部") -> list[tuple[str, str]]:
    return [("", label), *choices]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return "　" * max(obj.depth, 0) + obj.name


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.org_unit.name}：{obj.area.name}／{obj.item_l1}／{obj.item_l2}"


def _areas():
    return Area.objects.filter(is_active=True)


# --- directory ---------------------------------------------------------------------------


class DirectoryEntryForm(forms.Form):
    org_unit = UnitChoiceField(label="公开主体", queryset=None, empty_label="请选择")
    area = forms.ModelChoiceField(label="公开领域", queryset=None, empty_label="请选择")
    level = forms.ChoiceField(label="公开层级", choices=_blank(Level.choices, "请选择"))
    sequence = forms.IntegerField(label="序号", min_value=0, initial=0)
    item_l1 = forms.CharField(label="一级公开事项", max_length=100)
    item_l2 = forms.CharField(label="二级公开事项", max_length=100)
    content_elements = forms.CharField(
        label="公开内容（要素）", widget=forms.Textarea(attrs={"rows": 3})
    )
    basis = forms.CharField(label="公开依据", widget=forms.Textarea(attrs={"rows": 3}))
    time_limit_text = forms.CharField(
        label="公开时限（原文）",
        max_length=200,
        help_text="照目录原文填写，例如：信息形成或者变更之日起20个工作日内",
    )
    time_limit_days = forms.IntegerField(
        label="时限天数",
        min_value=1,
        max_value=365,
        required=False,
        help_text="用于计算应公开日期；没有固定时限的留空",
    )
    time_limit_unit = forms.ChoiceField(label="时限单位", choices=LimitUnit.choices)
    time_limit_trigger = forms.ChoiceField(label="起算情形", choices=LimitTrigger.choices)
    channels = forms.MultipleChoiceField(
        label="公开渠道和载体",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(label="公开对象", choices=Audience.choices)
    mode = forms.ChoiceField(label="公开方式", choices=DisclosureMode.choices)
    five_kind = forms.ChoiceField(label="五公开", choices=_blank(FiveKind.choices, "请选择"))
    nature = forms.ChoiceField(label="信息性质", choices=ContentNature.choices)
    is_active = forms.BooleanField(label="有效", required=False, initial=True)

    def __init__(self, *args, units=None, entry: DirectoryEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()
        if entry is not None:
            # The responsible body is the entry's identity; a new body is a new entry.
            del self.fields["org_unit"]
        else:
            self.fields["org_unit"].queryset = units
            del self.fields["is_active"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("org_unit", None)
        return data


class DirectoryFilterForm(forms.Form):
    unit = UnitChoiceField(label="公开主体", queryset=None, required=False, empty_label="全部")
    level = forms.ChoiceField(label="公开层级", choices=_blank(Level.choices), required=False)
    area = forms.ModelChoiceField(
        label="公开领域", queryset=None, required=False, empty_label="全部"
    )
    active = forms.ChoiceField(
        label="状态",
        choices=[("", "全部"), ("yes", "有效"), ("no", "停用")],
        required=False,
    )
    q = forms.CharField(label="事项名称中的词", max_length=100, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["area"].queryset = _areas()


class NegativeEntryForm(forms.Form):
    org_unit = UnitChoiceField(
        label="适用单位",
        queryset=None,
        empty_label="请选择",
        help_text="对该单位及其下级单位都适用",
    )
    area = forms.ModelChoiceField(
        label="公开领域", queryset=None, required=False, empty_label="不限领域"
    )
    title = forms.CharField(label="不予公开的事项", max_length=200)
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    ground = forms.ChoiceField(
        label="不予公开依据", choices=_blank(NonDisclosureGround.choices, "请选择")
    )
    basis = forms.CharField(
        label="具体依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="例如具体的法律、法规条款",
    )
    is_active = forms.BooleanField(label="有效", required=False, initial=True)

    def __init__(self, *args, units=None, item: NegativeListEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()
        if item is not None:
            del self.fields["org_unit"]
        else:
            self.fields["org_unit"].queryset = units
            del self.fields["is_active"]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("org_unit", None)
        return data


class DirectoryImportForm(forms.Form):
    unit = UnitChoiceField(
        label="导入到哪个单位的目录",
        queryset=None,
        empty_label="请选择",
        help_text="文件中的“公开主体”须是该单位或其下级单位",
    )
    file = forms.FileField(label="Excel 文件（.xlsx）")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过10MB")
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件")
        return upload


class DirectoryExportForm(forms.Form):
    unit = UnitChoiceField(label="导出哪个单位的目录（含下级单位）", queryset=None)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


# --- publications --------------------------------------------------------------------------


class PublicationForm(forms.Form):
    publisher = UnitChoiceField(label="发布单位", queryset=None, empty_label="请选择")
    title = forms.CharField(label="标题", max_length=300)
    body = forms.CharField(
        label="正文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "data-rich-text": ""}),
        help_text=(
            "可用工具栏设置标题、列表、表格、链接和图片，也可以从 Word 粘贴；"
            "保存时只保留结构，去掉字体、颜色等样式和脚本。"
            "没有工具栏时可直接写简单的 HTML（段落 &lt;p&gt;、列表、表格、链接）。"
        ),
    )
    publisher_label = forms.CharField(
        label="发布机构（显示名称）",
        max_length=200,
        required=False,
        help_text="为空时显示发布单位名称",
    )
    document_number = forms.CharField(label="发文字号", max_length=100, required=False)
    written_on = forms.DateField(label="成文日期", required=False, widget=DateInput)
    formed_on = forms.DateField(
        label="信息形成或变更日期",
        required=False,
        widget=DateInput,
        help_text="按所属公开目录事项的时限计算应公开日期",
    )
    directory_entry = EntryChoiceField(
        label="公开目录事项", queryset=None, required=False, empty_label="不对应目录事项"
    )
    topic = forms.ChoiceField(label="主题分类", choices=Topic.choices, initial=Topic.OTHER)
    document_kind = forms.ChoiceField(
        label="文件类型",
        choices=DocumentKind.choices,
        initial=DocumentKind.OTHER,
        help_text="规章和行政规范性文件计入年度报告",
    )
    keywords = forms.CharField(
        label="关键词", max_length=200, required=False, help_text="多个关键词用空格或逗号分开"
    )
    attribute = forms.ChoiceField(
        label="公开属性",
        choices=DisclosureAttribute.choices,
        initial=DisclosureAttribute.PROACTIVE,
        help_text="起草时确定；只有“主动公开”的信息能在网站发布",
    )
    non_disclosure_ground = forms.ChoiceField(
        label="不予公开依据",
        choices=_blank(NonDisclosureGround.choices, "（不予公开时必选）"),
        required=False,
    )
    negative_entry = forms.ModelChoiceField(
        label="对应负面清单事项", queryset=None, required=False, empty_label="无"
    )
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices, initial=Validity.VALID)
    validity_changed_on = forms.DateField(label="失效/废止日期", required=False, widget=DateInput)

    def __init__(self, *args, units=None, entries=None, negatives=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["publisher"]
        else:
            self.fields["publisher"].queryset = units
        self.fields["directory_entry"].queryset = entries
        self.fields["negative_entry"].queryset = negatives

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("publisher", None)
        return data


class PublicationFilterForm(forms.Form):
    q = forms.CharField(label="标题中的词", max_length=100, required=False)
    status = forms.ChoiceField(
        label="状态", choices=_blank(PublicationStatus.choices), required=False
    )
    unit = UnitChoiceField(label="发布单位", queryset=None, required=False, empty_label="全部")
    area = forms.ModelChoiceField(
        label="公开领域", queryset=None, required=False, empty_label="全部"
    )
    entry = forms.IntegerField(widget=forms.HiddenInput, required=False)
    topic = forms.ChoiceField(label="主题分类", choices=_blank(Topic.choices), required=False)
    document_kind = forms.ChoiceField(
        label="文件类型", choices=_blank(DocumentKind.choices), required=False
    )
    year = forms.IntegerField(label="年份", min_value=1990, max_value=2100, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["area"].queryset = _areas()


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审查结论",
        choices=[("approve", "通过：不涉密，可以按公开属性办理"), ("return", "退回修改")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="审查意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必须写明",
    )


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label="定时发布时间",
        required=False,
        widget=DateTimeInput,
        help_text="留空则立即发布；填写将来的时间则到时自动公开",
    )

    def clean_at(self):
        value = self.cleaned_data["at"]
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="撤销原因", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(label="有效性", choices=Validity.choices)
    on = forms.DateField(
        label="失效/废止日期", required=False, widget=DateInput, help_text="失效或废止时必填"
    )


class AttachmentForm(forms.Form):
    attachment = forms.FileField(
        label="附件", help_text="PDF、Word、Excel、JPG 或 PNG；按文件内容识别类型"
    )


class InterpretationForm(forms.Form):
    kind = forms.ChoiceField(label="解读形式", choices=InterpretationKind.choices)
    title = forms.CharField(label="解读标题", max_length=200)
    text = forms.CharField(
        label="解读文字",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-rich-text": ""}),
    )
    picture = forms.FileField(label="解读图片（JPG/PNG）", required=False)
    video = forms.FileField(
        label="解读视频（MP4 或 WebM）",
        required=False,
        help_text="只能在草稿状态上传，随文件一起保密审查；须同时上传字幕、封面并填写文字稿",
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,video/webm"}),
    )
    captions = forms.FileField(
        label="字幕文件（WebVTT，.vtt）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )
    poster = forms.FileField(label="视频封面（JPG/PNG）", required=False)
    transcript = forms.CharField(
        label="视频文字稿",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="视频里说的话，写成文字；显示在视频下方",
    )
    video_url = forms.URLField(
        label="或：外部视频地址（https://）", required=False, assume_scheme="https"
    )


class TimelinessFilterForm(forms.Form):
    level = forms.ChoiceField(label="公开层级", choices=_blank(Level.choices), required=False)
    unit = UnitChoiceField(label="公开主体", queryset=None, required=False, empty_label="全部")
    state = forms.ChoiceField(
        label="情况",
        choices=_blank(list(Timeliness.LABELS.items())),
        required=False,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
