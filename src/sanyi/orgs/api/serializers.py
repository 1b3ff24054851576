"""Output shapes of the org-tree endpoints (read-only; the org tree is edited in the
workbench)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sanyi.orgs.models import OrgKind, OrgUnit, ServiceCenter, Window

KIND_HELP = "单位类别：" + "；".join(f"{value} {label}" for value, label in OrgKind.choices)


class OrgUnitRefOutput(serializers.ModelSerializer):
    kind_display = serializers.CharField(
        source="display_kind", read_only=True, help_text="类别的中文名称（街道或乡镇、社区或村…）"
    )

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind", "kind_display"]
        extra_kwargs = {
            "id": {"help_text": "单位编号"},
            "name": {"help_text": "名称"},
            "kind": {"help_text": KIND_HELP},
        }


class OrgUnitOutput(serializers.ModelSerializer):
    kind_display = serializers.CharField(
        source="display_kind", read_only=True, help_text="类别的中文名称（街道或乡镇、社区或村…）"
    )
    children_count = serializers.IntegerField(
        read_only=True, help_text="直接下级单位的个数（含已撤销的）"
    )

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "is_rural",
            "parent",
            "depth",
            "division_code",
            "uscc",
            "phone",
            "email",
            "address",
            "opening_hours",
            "is_active",
            "established_on",
            "abolished_on",
            "children_count",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "单位编号"},
            "name": {"help_text": "名称"},
            "short_name": {"help_text": "简称，没有时为空字符串"},
            "kind": {"help_text": KIND_HELP},
            "is_rural": {"help_text": "是否乡镇或村（街道、社区为 false）"},
            "parent": {"help_text": "上级单位编号；区为 null"},
            "depth": {"help_text": "在组织树中的层级，区为 0"},
            "division_code": {"help_text": "12 位统计用区划代码（区、街道/乡镇、社区/村）"},
            "uscc": {"help_text": "18 位统一社会信用代码"},
            "phone": {"help_text": "联系电话"},
            "email": {"help_text": "电子邮箱"},
            "address": {"help_text": "地址"},
            "opening_hours": {"help_text": "办公时间"},
            "is_active": {"help_text": "是否有效；已撤销的单位为 false"},
            "established_on": {"help_text": "设立日期"},
            "abolished_on": {"help_text": "撤销日期"},
        }


class OrgUnitDetailOutput(OrgUnitOutput):
    ancestors = serializers.SerializerMethodField(
        help_text="从区开始、到直接上级为止的各级上级单位"
    )

    class Meta(OrgUnitOutput.Meta):
        fields = [*OrgUnitOutput.Meta.fields, "ancestors"]
        read_only_fields = fields

    @extend_schema_field(OrgUnitRefOutput(many=True))
    def get_ancestors(self, unit: OrgUnit) -> Any:
        return OrgUnitRefOutput(self.context["ancestors"], many=True).data


class WindowOutput(serializers.ModelSerializer):
    class Meta:
        model = Window
        fields = ["id", "number", "name", "is_comprehensive", "is_active"]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "窗口编号（系统内部）"},
            "number": {"help_text": "窗口号，即大厅里标出的号码"},
            "name": {"help_text": "窗口名称"},
            "is_comprehensive": {"help_text": "是否综合窗口（可受理本中心全部事项）"},
            "is_active": {"help_text": "是否开放"},
        }


class ServiceCenterOutput(serializers.ModelSerializer):
    org_unit = OrgUnitRefOutput(read_only=True, help_text="所属单位")
    latitude = serializers.FloatField(
        read_only=True, allow_null=True, help_text="纬度（度），未标注时为 null"
    )
    longitude = serializers.FloatField(
        read_only=True, allow_null=True, help_text="经度（度），未标注时为 null"
    )
    windows = WindowOutput(many=True, read_only=True, help_text="窗口，按窗口号排列")

    class Meta:
        model = ServiceCenter
        fields = [
            "id",
            "name",
            "org_unit",
            "address",
            "phone",
            "opening_hours",
            "transport",
            "latitude",
            "longitude",
            "is_active",
            "windows",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "服务中心编号"},
            "name": {"help_text": "名称"},
            "address": {"help_text": "地址"},
            "phone": {"help_text": "咨询电话"},
            "opening_hours": {"help_text": "办公时间"},
            "transport": {"help_text": "交通指引"},
            "is_active": {"help_text": "是否开放"},
        }


class AreaCommunityOutput(serializers.Serializer):
    code = serializers.CharField(help_text="单位编号（选择地区时提交它）")
    name = serializers.CharField(help_text="社区（村）名称")


class AreaSubdistrictOutput(serializers.Serializer):
    code = serializers.CharField(source="subdistrict.code", help_text="单位编号")
    name = serializers.CharField(source="subdistrict.name", help_text="街道（乡镇）名称")
    is_rural = serializers.BooleanField(
        source="subdistrict.is_rural", help_text="是否为乡镇（下设村而非社区）"
    )
    communities = AreaCommunityOutput(many=True, help_text="下属社区（村），按排列顺序")
