from __future__ import annotations

from rest_framework import serializers

from sanyi.applicants.models import Applicant
from sanyi.applicants.selectors import reuse_consent_of


class ApplicantLookupQuery(serializers.Serializer):
    id_number = serializers.CharField(
        max_length=30, help_text="公民身份号码或统一社会信用代码（完整号码）"
    )


class ApplicantOutput(serializers.ModelSerializer):
    masked_id = serializers.CharField(read_only=True, help_text="打码的证件号码")
    masked_phone = serializers.CharField(read_only=True, help_text="打码的联系电话")
    display_name = serializers.CharField(read_only=True, help_text="列表显示用（自然人姓名打码）")
    wallet_consent = serializers.SerializerMethodField(
        help_text="申请人现在是否同意复用材料和电子证照（授权记录见“我的证照和材料”）"
    )

    class Meta:
        model = Applicant
        fields = [
            "id",
            "kind",
            "name",
            "display_name",
            "masked_id",
            "masked_phone",
            "organisation_category",
            "legal_representative",
            "wallet_consent",
            "grid",
        ]
        read_only_fields = fields

    def get_wallet_consent(self, applicant: Applicant) -> bool:
        return reuse_consent_of(applicant) is not None
