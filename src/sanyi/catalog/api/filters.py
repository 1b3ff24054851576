"""Query parameters of the published items list. A bad value is a 400 problem naming the
parameter."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from rest_framework.exceptions import ValidationError

from sanyi.catalog.choices import ItemLevel, ItemType
from sanyi.catalog.models import ItemVersion
from sanyi.core.numbers import IdFilter
from sanyi.orgs.models import OrgUnit


def _id_filter(label: str, name: str, help_text: str, method: str) -> IdFilter:
    return IdFilter(label=label, param=name, help_text=help_text, method=method)


class CatalogItemFilter(django_filters.FilterSet):
    item_type = django_filters.ChoiceFilter(
        label="事项类型",
        field_name="implementation_item__base_item__item_type",
        choices=ItemType.choices,
        help_text="事项类型代码，如 01 行政许可、20 公共服务",
        error_messages={
            "invalid_choice": "事项类型（item_type）只能是：" + "、".join(ItemType.values)
        },
    )
    level = django_filters.ChoiceFilter(
        label="行使层级",
        field_name="implementation_item__level",
        choices=ItemLevel.choices,
        help_text="行使层级代码：4 区县，5 街道（乡镇），6 社区（村）",
        error_messages={
            "invalid_choice": "行使层级（level）只能是：" + "、".join(ItemLevel.values)
        },
    )
    unit = _id_filter("实施主体编号", "unit", "只列该单位及其下级单位实施的事项", "filter_unit")
    life_event = _id_filter(
        "“一件事”编号", "life_event", "只列属于该“一件事”的事项", "filter_life_event"
    )
    q = django_filters.CharFilter(
        label="名称或编码",
        help_text="事项名称、实施编码或基本编码包含的文字",
        method="filter_q",
        max_length=50,
        error_messages={"max_length": "名称或编码（q）不能超过 50 个字"},
    )

    class Meta:
        model = ItemVersion
        fields = ["item_type", "level", "unit", "life_event", "q"]

    def filter_unit(self, queryset, name, value: int):
        unit = OrgUnit.objects.filter(pk=value).only("path").first()
        if unit is None:
            raise ValidationError({name: [f"找不到编号为 {value} 的单位"]}, code="not_found")
        return queryset.filter(implementation_item__implementing_unit__path__startswith=unit.path)

    def filter_life_event(self, queryset, name, value: int):
        return queryset.filter(implementation_item__life_events=value)

    def filter_q(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(implementation_item__base_item__name__icontains=value)
            | Q(implementation_item__implementation_code__icontains=value)
            | Q(implementation_item__base_item__base_code__icontains=value)
        )
