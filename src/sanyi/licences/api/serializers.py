from rest_framework import serializers


class LicenceVerifyQuery(serializers.Serializer):
    number = serializers.CharField(required=False, max_length=60, help_text="证照编号")
    code = serializers.CharField(required=False, max_length=40, help_text="二维码中的核验码")

    def validate(self, attrs):
        if not attrs.get("number") and not attrs.get("code"):
            raise serializers.ValidationError({"number": "请填写证照编号或核验码"})
        return attrs


class LicencePublicOutput(serializers.Serializer):
    name = serializers.CharField(help_text="证照名称")
    number = serializers.CharField(help_text="证照编号")
    holder = serializers.CharField(help_text="持证人（部分隐藏）")
    holder_id = serializers.CharField(help_text="持证人证件号码（部分隐藏）")
    issuing_unit = serializers.CharField(help_text="发证单位")
    issued_on = serializers.DateField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text="valid 有效 / revoked 已注销 / expired 已过期")
    status_label = serializers.CharField()


class LicenceStaffOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    name = serializers.CharField()
    holder = serializers.CharField(source="holder.display_name")
    holder_id = serializers.CharField(source="holder.masked_id")
    issuing_unit = serializers.CharField(source="issuing_unit.name")
    case_number = serializers.CharField(source="case.number", allow_null=True, default=None)
    issued_on = serializers.DateField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()
