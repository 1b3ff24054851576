"""Forms of the catalogue pages. They only parse the page into the guide dict of
``catalog.guide`` (docs/catalog-format.md); ``clean_guide``, the lint rules and the
services decide what is right, and their findings are put back on the fields here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from sanyi.catalog.choices import (
    Channel,
    HandlingType,
    ImplementerNature,
    ItemLevel,
    ItemType,
    LegalBasisKind,
    LimitUnit,
    MaterialForm,
    MaterialNecessity,
    MaterialReuse,
    MaterialSource,
    MaterialType,
    OnlineDepth,
    PowerSource,
    ResultType,
    ServiceObject,
    StepUnitLevel,
    VersionStatus,
)
from sanyi.catalog.guide import CHILD_FIELD_LABELS, FIELD_LABELS
from sanyi.catalog.models import validate_guide_file
from sanyi.orgs.models import Role

LIST_SPLIT = re.compile(r"[、,，;；\n]")
LIST_HELP = "多个用“、”分隔"


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "（不填）"), *choices]


def _split(text: str) -> list[str]:
    return [part.strip() for part in LIST_SPLIT.split(text or "") if part.strip()]


class DateInput(forms.DateInput):
    input_type = "date"


class IdentityForm(forms.Form):
    """The registry facts of a new item (fixed once the code is issued)."""

    name = forms.CharField(label="事项名称", max_length=200)
    item_type = forms.ChoiceField(label="事项类型", choices=ItemType.choices)
    implementing_unit = forms.ModelChoiceField(
        label="实施主体", queryset=None, empty_label="请选择实施主体"
    )
    level = forms.ChoiceField(label="行使层级", choices=ItemLevel.choices)
    power_source = forms.ChoiceField(label="权力来源", choices=PowerSource.choices)
    implementer_nature = forms.ChoiceField(label="实施主体性质", choices=ImplementerNature.choices)
    entrusting_body = forms.CharField(label="委托部门", max_length=200, required=False)
    base_code = forms.CharField(
        label="基本编码", max_length=20, required=False, help_text="不填则按编码规则自动生成"
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["implementing_unit"].queryset = units
        self.fields["level"].initial = ItemLevel.DISTRICT
        self.fields["implementing_unit"].label_from_instance = lambda u: "　" * u.depth + u.name


class GuideForm(forms.Form):
    """The version's own guide elements (child rows are in the formsets)."""

    acceptance_conditions = forms.CharField(
        label="受理条件", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    statutory_limit_value = forms.IntegerField(label="法定办结时限", required=False, min_value=0)
    statutory_limit_unit = forms.ChoiceField(label="法定时限单位", choices=LimitUnit.choices)
    statutory_limit_note = forms.CharField(label="法定时限说明", required=False, max_length=500)
    promised_limit_value = forms.IntegerField(label="承诺办结时限", required=False, min_value=0)
    promised_limit_unit = forms.ChoiceField(label="承诺时限单位", choices=LimitUnit.choices)
    promised_limit_note = forms.CharField(label="承诺时限说明", required=False, max_length=500)
    handling_type = forms.ChoiceField(label="办件类型", choices=HandlingType.choices)
    visits = forms.IntegerField(label="到办事现场次数", min_value=0, max_value=9, initial=1)
    channels = forms.MultipleChoiceField(
        label="办理形式",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    online_depth = forms.MultipleChoiceField(
        label="网办深度",
        choices=OnlineDepth.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="全部勾选即为全程网办",
    )
    online_url = forms.CharField(label="网办地址", required=False, max_length=500)
    online_payment = forms.BooleanField(label="支持网上支付", required=False)
    place = forms.CharField(label="办理地点", required=False, max_length=500)
    hours = forms.CharField(label="办理时间", required=False, max_length=500)
    consultation_phone = forms.CharField(label="咨询电话", required=False, max_length=100)
    complaint_phone = forms.CharField(label="监督投诉电话", required=False, max_length=100)
    service_objects = forms.MultipleChoiceField(
        label="服务对象",
        choices=ServiceObject.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes_person = forms.CharField(
        label="面向自然人主题", required=False, help_text=LIST_HELP, max_length=2000
    )
    themes_business = forms.CharField(
        label="面向法人主题", required=False, help_text=LIST_HELP, max_length=2000
    )
    result_name = forms.CharField(label="审批结果名称", required=False, max_length=200)
    result_type = forms.ChoiceField(label="审批结果类型", choices=ResultType.choices)
    result_sample = forms.CharField(label="审批结果样本", required=False, max_length=500)
    intermediary_services = forms.CharField(
        label="中介服务", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    joint_agencies = forms.CharField(
        label="联办机构", required=False, help_text=LIST_HELP, max_length=2000
    )
    special_procedures = forms.CharField(
        label="特别程序", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    change_note = forms.CharField(
        label="修订说明", required=False, max_length=500, help_text="这一版改了什么，审核人会看到"
    )

    @staticmethod
    def initial_for(guide: dict, change_note: str = "") -> dict[str, Any]:
        initial: dict[str, Any] = {
            key: guide[key]
            for key in (
                "acceptance_conditions",
                "handling_type",
                "visits",
                "channels",
                "online_depth",
                "online_url",
                "online_payment",
                "place",
                "hours",
                "consultation_phone",
                "complaint_phone",
                "service_objects",
                "intermediary_services",
                "special_procedures",
            )
        }
        for key in ("statutory_limit", "promised_limit"):
            for sub in ("value", "unit", "note"):
                initial[f"{key}_{sub}"] = guide[key][sub]
        for sub in ("name", "type", "sample"):
            initial[f"result_{sub}"] = guide["result"][sub]
        for key in ("themes_person", "themes_business", "joint_agencies"):
            initial[key] = "、".join(guide[key])
        initial["change_note"] = change_note
        return initial

    def guide(self) -> dict[str, Any]:
        data = self.cleaned_data
        guide: dict[str, Any] = {
            key: data.get(key)
            for key in (
                "acceptance_conditions",
                "handling_type",
                "online_url",
                "place",
                "hours",
                "consultation_phone",
                "complaint_phone",
                "intermediary_services",
                "special_procedures",
            )
        }
        guide["visits"] = data.get("visits") if data.get("visits") is not None else 1
        guide["online_payment"] = bool(data.get("online_payment"))
        for key in ("channels", "online_depth", "service_objects"):
            guide[key] = list(data.get(key) or [])
        for key in ("themes_person", "themes_business", "joint_agencies"):
            guide[key] = _split(data.get(key) or "")
        for key in ("statutory_limit", "promised_limit"):
            unit = data.get(f"{key}_unit") or LimitUnit.NONE
            value = data.get(f"{key}_value")
            guide[key] = {
                # "无时限" with a number typed is for clean_guide to explain, not to drop.
                "value": value if value not in (None, 0) or unit != LimitUnit.NONE else None,
                "unit": unit,
                "note": data.get(f"{key}_note") or "",
            }
        guide["result"] = {
            "name": data.get("result_name") or "",
            "type": data.get("result_type") or ResultType.NONE,
            "sample": data.get("result_sample") or "",
        }
        return guide


class ChildForm(forms.Form):
    """One row of a child list; ``KEY`` names the guide list it fills."""

    KEY = ""

    def row(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields if name != "DELETE"}

    def is_blank(self) -> bool:
        """No text typed: a spare row, left out (its pre-selected choices mean nothing)."""
        return not any(
            (self.cleaned_data.get(name) or "").strip()
            for name, f in self.fields.items()
            if isinstance(f, forms.CharField)
        )


class MaterialRowForm(ChildForm):
    KEY = "materials"
    name = forms.CharField(label="材料名称", max_length=300, required=False)
    type = forms.ChoiceField(label="材料类型", choices=MaterialType.choices)
    form = forms.ChoiceField(label="材料形式", choices=MaterialForm.choices)
    necessity = forms.ChoiceField(label="必要性", choices=MaterialNecessity.choices)
    copies = forms.IntegerField(label="份数", min_value=0, max_value=99, initial=1)
    specification = forms.CharField(label="规格", max_length=200, required=False)
    source = forms.ChoiceField(label="来源渠道", choices=MaterialSource.choices)
    source_note = forms.CharField(label="来源说明", max_length=500, required=False)
    legal_basis = forms.CharField(label="要求提供材料的依据", max_length=500, required=False)
    acceptance_standard = forms.CharField(
        label="受理标准", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label="填报须知", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reuse = forms.ChoiceField(
        label="复用期限",
        choices=MaterialReuse.choices,
        required=False,
        help_text="审核合格的材料以后可复用多久",
    )
    reuse_days = forms.IntegerField(
        label="复用天数", min_value=1, max_value=3650, required=False, help_text="按天数复用时填写"
    )
    review_points = forms.CharField(
        label="审查要点（业务手册）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅工作人员可见：收件时核对什么",
    )
    common_mistakes = forms.CharField(
        label="常见问题（业务手册）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅工作人员可见：申请人常出的差错",
    )

    def row(self):
        row = super().row()
        row["copies"] = row["copies"] if row["copies"] is not None else 1
        row["reuse"] = row.get("reuse") or ""
        return row


class StepRowForm(ChildForm):
    KEY = "steps"
    name = forms.CharField(label="环节名称", max_length=100, required=False)
    actor = forms.CharField(label="办理人员", max_length=100, required=False)
    description = forms.CharField(
        label="办理内容", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    days = forms.IntegerField(label="环节时限（工作日）", min_value=0, required=False)
    unit_level = forms.ChoiceField(
        label="办理层级", choices=_blank(StepUnitLevel.choices), required=False
    )
    role = forms.ChoiceField(label="办理角色", choices=_blank(Role.choices), required=False)
    handling_points = forms.CharField(
        label="办理要点（业务手册）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅工作人员可见：本环节做什么、看什么",
    )


class FeeRowForm(ChildForm):
    KEY = "fees"
    name = forms.CharField(label="收费项目名称", max_length=200, required=False)
    standard = forms.CharField(label="收费标准", max_length=500, required=False)
    basis = forms.CharField(label="收费依据", max_length=500, required=False)
    reducible = forms.BooleanField(label="允许减免", required=False)
    reduction_basis = forms.CharField(label="减免依据", max_length=500, required=False)


class LegalBasisRowForm(ChildForm):
    KEY = "legal_bases"
    title = forms.CharField(label="法律法规名称", max_length=300, required=False)
    article = forms.CharField(
        label="条款", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    url = forms.CharField(label="链接", max_length=500, required=False)
    kind = forms.ChoiceField(label="依据类别", choices=LegalBasisKind.choices)


class VariantRowForm(ChildForm):
    KEY = "handling_variants"
    name = forms.CharField(label="业务办理项名称", max_length=200, required=False)
    code = forms.CharField(
        label="业务办理项编码", max_length=50, required=False, help_text="不填则自动生成"
    )
    note = forms.CharField(label="说明", max_length=500, required=False)


ROW_FORMS: dict[str, type[ChildForm]] = {
    form.KEY: form
    for form in (MaterialRowForm, StepRowForm, FeeRowForm, LegalBasisRowForm, VariantRowForm)
}
SECTION_TITLES = {
    "materials": "申请材料",
    "steps": "办理流程",
    "fees": "收费",
    "legal_bases": "设定依据和实施依据",
    "handling_variants": "业务办理项",
}


def row_formset(key: str, *, data=None, initial=None):
    formset_class = forms.formset_factory(ROW_FORMS[key], extra=1, can_delete=True)
    formset = formset_class(data=data, initial=initial, prefix=key)
    formset.key = key
    formset.title = SECTION_TITLES[key]
    return formset


def _child_initial(rows: list[dict]) -> list[dict]:
    return [{k: ("" if v is None and k != "days" else v) for k, v in row.items()} for row in rows]


@dataclass
class GuideEditor:
    """The guide form and its row formsets, parsed together."""

    form: GuideForm
    formsets: dict[str, Any]
    # guide list index → formset form index (deleted and blank rows are left out).
    positions: dict[str, list[int]] = field(default_factory=dict)
    saved: dict[str, Any] | None = None  # the stored guide, for a page not yet posted

    @classmethod
    def from_guide(cls, guide: dict, *, change_note: str = "") -> GuideEditor:
        return cls(
            GuideForm(initial=GuideForm.initial_for(guide, change_note)),
            {key: row_formset(key, initial=_child_initial(guide[key])) for key in ROW_FORMS},
            {key: list(range(len(guide[key]))) for key in ROW_FORMS},
            saved=guide,
        )

    @classmethod
    def from_post(cls, data) -> GuideEditor:
        return cls(GuideForm(data), {key: row_formset(key, data=data) for key in ROW_FORMS})

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        return valid

    def guide(self) -> dict[str, Any]:
        """The guide as typed (call after ``is_valid``; broken fields are left out and
        their form errors stand)."""
        if not self.form.is_bound:
            return self.saved
        guide = self.form.guide()
        for key, formset in self.formsets.items():
            rows, positions = [], []
            for index, row_form in enumerate(formset.forms):
                if not hasattr(row_form, "cleaned_data"):
                    continue
                if row_form.cleaned_data.get("DELETE") or row_form.is_blank():
                    continue
                rows.append(row_form.row())
                positions.append(index)
            guide[key] = rows
            self.positions[key] = positions
        return guide

    def field_for(self, path: str) -> tuple[Any, str] | None:
        """(form, field name) a guide path such as ``materials[2].name`` points at."""
        match = re.match(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?", path or "")
        if not match:
            return None
        key, index, sub = match.group(1), match.group(2), match.group(3)
        if key in self.formsets:
            if index is None or sub is None:
                return None
            positions = self.positions.get(key, [])
            if int(index) >= len(positions):
                return None
            row_form = self.formsets[key].forms[positions[int(index)]]
            return (row_form, sub) if sub in row_form.fields else None
        name = f"{key}_{sub}" if sub else key
        if key in ("statutory_limit", "promised_limit") and not sub:
            name = f"{key}_value"
        return (self.form, name) if name in self.form.fields else None

    def anchor(self, path: str) -> str:
        """The id of the input a finding points at, for a link that jumps to it."""
        target = self.field_for(path)
        if target is None:
            key = (path or "").split("[")[0].split(".")[0]
            return f"section-{key}" if key in self.formsets else ""
        row_form, name = target
        return row_form[name].id_for_label or row_form[name].auto_id

    def put_errors(self, errors) -> None:
        """Put clean_guide's FieldErrors on the fields they name (others at the top)."""
        for error in errors:
            target = self.field_for(error.path)
            if target is None:
                self.form.add_error(None, f"{path_label(error.path)}：{error.message}")
            else:
                row_form, name = target
                row_form.add_error(name, error.message)

    @property
    def has_errors(self) -> bool:
        if not self.form.is_bound:
            return False
        return bool(self.form.errors) or any(
            not fs.is_valid() or fs.non_form_errors() for fs in self.formsets.values()
        )


def path_label(path: str) -> str:
    """A guide path in words: ``materials[2].name`` → 申请材料第3项·材料名称."""
    match = re.match(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?$", path or "")
    if not match:
        return path or "整体"
    key, index, sub = match.groups()
    label = FIELD_LABELS.get(key, key)
    if index is not None:
        label += f"第{int(index) + 1}项"
    if sub:
        row_fields = ROW_FORMS[key].base_fields if key in ROW_FORMS else {}
        sub_label = row_fields[sub].label if sub in row_fields else CHILD_FIELD_LABELS.get(sub)
        if index is None:
            sub_label = None
        label += f"·{sub_label or {'value': '天数', 'unit': '单位', 'note': '说明'}.get(sub, sub)}"
    return label


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("approve", "通过"), ("reject", "退回修改")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="审核意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回时必须写明需要修改的地方",
    )


class PublishForm(forms.Form):
    effective_on = forms.DateField(
        label="生效日期", required=False, widget=DateInput, help_text="不填为今天；不能晚于今天"
    )


class CancelForm(forms.Form):
    planned_cancel_on = forms.DateField(label="取消日期", widget=DateInput)
    reason = forms.CharField(
        label="取消原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ItemFilterForm(forms.Form):
    text = forms.CharField(label="名称或编码", required=False, max_length=100)
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "当前（草稿、待审核、已发布）"), *VersionStatus.choices],
    )
    item_type = forms.ChoiceField(
        label="事项类型", required=False, choices=_blank(ItemType.choices)
    )
    level = forms.ChoiceField(label="行使层级", required=False, choices=_blank(ItemLevel.choices))
    unit = forms.ModelChoiceField(
        label="实施主体（含下级）", required=False, queryset=None, empty_label="（全部）"
    )
    lint = forms.ChoiceField(
        label="质量问题",
        required=False,
        choices=[("", "（不限）"), ("errors", "有错误"), ("clean", "无错误")],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: "　" * u.depth + u.name


class ImportForm(forms.Form):
    file = forms.FileField(
        label="导入文件", help_text="Excel（.xlsx，使用导入模板）或 JSON（.json）"
    )
    as_draft = forms.BooleanField(
        label="只导入为草稿，暂不提交审核",
        required=False,
        initial=True,
        help_text=(
            "不勾选时，文件中标为“已发布”的事项导入后直接提交审核；"
            "导入不会直接发布，须由另一位事项管理员审核通过后发布"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".json")):
            raise forms.ValidationError("只能导入 .xlsx 或 .json 文件")
        return upload


# --- blank forms and samples of a draft's materials ----------------------------------------


class MaterialFileForm(forms.Form):
    """Upload, replace or remove the blank form and the sample of one saved material. One
    per material on the edit page, prefixed by its position so the ids stay unique."""

    KINDS = {"blank_form": "空白表格", "sample": "示例样表"}
    ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.wps,.jpg,.jpeg,.png"

    blank_form = forms.FileField(
        label="空白表格",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text="PDF、Word、Excel、WPS或图片；选了新文件就替换原来的",
    )
    remove_blank_form = forms.BooleanField(label="删除现有空白表格", required=False)
    sample = forms.FileField(
        label="示例样表",
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text="填好的样子，供群众照着填",
    )
    remove_sample = forms.BooleanField(label="删除现有示例样表", required=False)

    def __init__(self, *args, position: int, **kwargs):
        super().__init__(*args, prefix=f"files-{position}", **kwargs)
        self.position = position

    def _clean_upload(self, kind: str):
        upload = self.cleaned_data.get(kind)
        if not upload:
            return None
        label = self.KINDS[kind]
        try:
            validate_guide_file(upload)
        except ValidationError as exc:
            raise forms.ValidationError([f"{label}：{m}" for m in exc.messages]) from None
        return upload

    def clean_blank_form(self):
        return self._clean_upload("blank_form")

    def clean_sample(self):
        return self._clean_upload("sample")

    def clean(self):
        data = super().clean()
        for kind, label in self.KINDS.items():
            if data.get(kind) and data.get(f"remove_{kind}"):
                self.add_error(f"remove_{kind}", f"不能同时上传和删除{label}，请只选其中一项")
        if not self.errors and not self.changes():
            raise forms.ValidationError("请选择要上传的文件，或勾选要删除的文件")
        return data

    def changes(self) -> dict[str, Any]:
        """kind → the new upload, or None to remove; kinds left alone are absent."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for kind in self.KINDS:
            if data.get(kind):
                out[kind] = data[kind]
            elif data.get(f"remove_{kind}"):
                out[kind] = None
        return out
