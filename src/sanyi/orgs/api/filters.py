"""Query parameters of the org-tree lists. A bad value becomes a 400 problem whose message
names the parameter."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError

from sanyi.core.numbers import IdFilter
from sanyi.orgs.models import OrgKind, OrgUnit, ServiceCenter


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is an error rather than silently "no filter"."""

    # The default select widget turns unknown values into None before they can be refused.
    widget = forms.TextInput

    # Django's NullBooleanField.to_python returns None too; the stubs type it as BooleanField's.
    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        if str(value).lower() in {"true", "1"}:
            return True
        if str(value).lower() in {"false", "0"}:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: Any) -> None:
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


def _boolean_filter(label: str, name: str, help_text: str) -> StrictBooleanFilter:
    return StrictBooleanFilter(
        label=label,
        help_text=help_text,
        error_messages={"invalid": f"{label}（{name}）只能是 true 或 false"},
    )


def _id_filter(label: str, name: str, help_text: str, **kwargs: Any) -> IdFilter:
    return IdFilter(label=label, param=name, help_text=help_text, **kwargs)


def _subtree_root(name: str, value: int) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=value).only("path").first()
    if unit is None:
        raise ValidationError({name: [f"找不到编号为 {value} 的单位"]}, code="not_found")
    return unit


class OrgUnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="单位类别",
        choices=OrgKind.choices,
        error_messages={"invalid_choice": "单位类别（kind）只能是：" + "、".join(OrgKind.values)},
    )
    parent = _id_filter("上级单位编号", "parent", "只列出该单位的直接下级", method="filter_parent")
    is_active = _boolean_filter(
        "是否有效", "is_active", "true 只列现有单位，false 只列已撤销的单位"
    )
    under = _id_filter(
        "子树根单位编号", "under", "只列出该单位及其全部下级单位", method="filter_under"
    )
    q = django_filters.CharFilter(
        label="名称关键字",
        help_text="名称或简称包含的文字",
        method="filter_q",
        max_length=50,
        error_messages={"max_length": "名称关键字（q）不能超过 50 个字"},
    )

    class Meta:
        model = OrgUnit
        fields = ["kind", "parent", "is_active", "under", "q"]

    def filter_parent(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(parent_id=value)

    def filter_under(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        # The same indexed prefix rule as orgs.selectors.org_subtree.
        return queryset.filter(path__startswith=_subtree_root(name, value).path)

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__icontains=value))


class ServiceCenterFilter(django_filters.FilterSet):
    org_unit = _id_filter(
        "所属单位编号", "org_unit", "只列出该单位自己的服务中心", method="filter_org_unit"
    )
    under = _id_filter(
        "子树根单位编号",
        "under",
        "只列出该单位及其全部下级单位的服务中心",
        method="filter_under",
    )
    is_active = _boolean_filter(
        "是否有效", "is_active", "true 只列开放中的服务中心，false 只列已关闭的"
    )

    class Meta:
        model = ServiceCenter
        fields = ["org_unit", "under", "is_active"]

    def filter_org_unit(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(org_unit_id=value)

    def filter_under(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(org_unit__path__startswith=_subtree_root(name, value).path)
