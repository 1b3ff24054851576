"""Forms for the org pages of the workbench. They parse input only; services decide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from sanyi.core.forms import DateInput
from sanyi.orgs.models import ALLOWED_CHILDREN, OrgKind, OrgUnit, Role, Window

UNIT_FIELDS = [
    "name",
    "short_name",
    "code",
    "division_code",
    "uscc",
    "phone",
    "email",
    "address",
    "opening_hours",
    "sort_order",
    "established_on",
    "notes",
]


class OrgUnitForm(forms.Form):
    kind = forms.ChoiceField(label="类别")
    is_rural = forms.BooleanField(
        label="农村地区（乡镇/村）",
        required=False,
        help_text="街道、社区不勾选；乡镇、村勾选",
    )
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=40, required=False)
    code = forms.CharField(
        label="单位编号",
        max_length=32,
        required=False,
        help_text="用于Excel导入导出的唯一编号；新建时不填将自动生成",
    )
    division_code = forms.CharField(
        label="统计用区划代码",
        max_length=12,
        required=False,
        help_text="12位数字，区、街道/乡镇、社区/村填写",
    )
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        required=False,
        help_text="18位，区、街道/乡镇、部门、站所填写",
    )
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    opening_hours = forms.CharField(label="办公时间", max_length=200, required=False)
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0)
    established_on = forms.DateField(label="设立日期", required=False, widget=DateInput)
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args: Any, parent: OrgUnit | None = None, unit: OrgUnit | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if unit is not None:
            # Kind is fixed once a unit exists (its children depend on it).
            del self.fields["kind"]
        else:
            allowed = ALLOWED_CHILDREN.get(parent.kind if parent else None, set())
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                (k, label) for k, label in OrgKind.choices if k in allowed
            ]
            self.fields["code"].required = False

    @classmethod
    def initial_for(cls, unit: OrgUnit) -> dict:
        return {name: getattr(unit, name) for name in [*UNIT_FIELDS, "is_rural"]}


class OrgUnitAbolishForm(forms.Form):
    on = forms.DateField(label="撤销日期", widget=DateInput)
    reason = forms.CharField(
        label="撤销原因",
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：依据某某文件，与某社区合并",
    )


class OrgUnitMoveForm(forms.Form):
    new_parent_code = forms.CharField(
        label="新的上级单位编号",
        max_length=32,
        help_text="在组织机构树或单位详情中可以查到单位编号",
    )
    note = forms.CharField(label="调整说明", max_length=400, required=False)


class ServiceCenterForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200)
    phone = forms.CharField(label="咨询电话", max_length=40, required=False)
    opening_hours = forms.CharField(label="办公时间", max_length=200)
    transport = forms.CharField(label="交通指引", max_length=200, required=False)
    is_active = forms.BooleanField(label="在用", required=False, initial=True)


class WindowForm(forms.Form):
    number = forms.CharField(label="窗口号", max_length=10)
    name = forms.CharField(label="窗口名称", max_length=60)
    is_comprehensive = forms.BooleanField(
        label="综合窗口", required=False, initial=True, help_text="综合窗口可受理本中心的全部事项"
    )
    is_active = forms.BooleanField(label="在用", required=False, initial=True)


class StaffForm(forms.Form):
    username = forms.CharField(
        label="登录名", max_length=150, help_text="字母、数字和 @ . + - _ ，例如 zhang.wei"
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    password1 = forms.CharField(
        label="初始密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少10位，含大写字母、小写字母、数字、符号中的至少三类；修改时不填则不变",
    )
    password2 = forms.CharField(
        label="再次输入密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data


class StaffDeactivateForm(forms.Form):
    reason = forms.CharField(label="停用原因", max_length=400)


def _initials(name: str) -> str:
    """Pinyin initials of a unit name, for the picker's filter box: 东湖街道 → dhjd."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


class UnitSelect(forms.Select):
    """A unit <select> whose options carry their pinyin initials and code (data-search),
    so the filter box sanyi.js puts before it (``data-filterable``) narrows by them too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.search_keys: dict[str, str] = {}
        self.attrs.setdefault("data-filterable", "按名称或拼音首字母筛选单位")

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        key = self.search_keys.get(str(value))
        if key:
            option["attrs"]["data-search"] = key
        return option


def unit_choices(units: list[OrgUnit], *, blank: str | None = None) -> tuple[list, dict[str, str]]:
    """Choices grouped by level (区, 街道/乡镇, 社区/村 …), each unit named with its parent
    so that like-named units can be told apart; and the filter keys of each option."""
    groups: dict[str, list[tuple[int, str]]] = {kind: [] for kind in OrgKind.values}
    keys: dict[str, str] = {}
    for unit in units:
        parent = unit.parent.name if unit.parent_id and unit.parent else ""
        groups[unit.kind].append((unit.pk, f"{unit.name}（{parent}）" if parent else unit.name))
        keys[str(unit.pk)] = f"{unit.name} {_initials(unit.name)} {unit.code}".lower()
    choices: list = [("", blank)] if blank is not None else []
    choices += [(OrgKind(k).label, opts) for k, opts in groups.items() if opts]
    return choices, keys


class RoleAssignForm(forms.Form):
    org_unit = forms.TypedChoiceField(
        label="所在单位",
        coerce=int,
        widget=UnitSelect,
        help_text="角色对该单位及其全部下级单位有效；只列出您管理范围内的单位",
        error_messages={"invalid_choice": "所选单位不在您的管理范围内，请从列表中选择"},
    )
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    window = forms.ModelChoiceField(
        label="窗口",
        queryset=Window.objects.none(),
        required=False,
        help_text="仅窗口人员需要选择",
    )

    def __init__(
        self, *args: Any, units: Sequence[OrgUnit] = (), windows: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices, keys = unit_choices(list(units), blank="请选择单位")
        field = cast(forms.TypedChoiceField, self.fields["org_unit"])
        field.choices = choices
        cast(UnitSelect, field.widget).search_keys = keys
        if windows is not None:
            cast(forms.ModelChoiceField, self.fields["window"]).queryset = windows


class StaffFilterForm(forms.Form):
    """The staff list's filters: name, unit (with the units below it) and role."""

    q = forms.CharField(label="按姓名或登录名查找", max_length=50, required=False)
    unit = forms.TypedChoiceField(
        label="单位（含下级单位）", coerce=int, required=False, empty_value=None, widget=UnitSelect
    )
    role = forms.ChoiceField(
        label="角色", required=False, choices=[("", "全部角色"), *Role.choices]
    )

    def __init__(self, *args: Any, units: Sequence[OrgUnit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices, keys = unit_choices(list(units), blank="全部单位")
        field = cast(forms.TypedChoiceField, self.fields["unit"])
        field.choices = choices
        cast(UnitSelect, field.widget).search_keys = keys


class OrgImportForm(forms.Form):
    file = forms.FileField(label="Excel文件（.xlsx）")
    dry_run = forms.BooleanField(
        label="只检查，不写入", required=False, help_text="勾选后只演练一遍并报告结果，数据不会改变"
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 格式的Excel文件")
        if f.size > 10 * 1024 * 1024:
            raise ValidationError("文件不能超过10MB")
        return f
