"""GET /api/v1/cases/{id}/wallet/: the applicant's wallet as staff handling the case see it.

Applicants are not API users (they use the portal pages, where they also give or withdraw
consent), so the wallet is read here by the staff who may read the case: what the applicant
holds, whether they consented, and which rows of this case were reused and from where.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from sanyi.cases.api.views import ID, TAG, _CaseView
from sanyi.cases.wallet import case_material_counts, wallet_of


class WalletLicenceOutput(serializers.Serializer):
    name = serializers.CharField(source="licence.name")
    number = serializers.CharField(source="licence.number")
    status_label = serializers.CharField(help_text="状态（有效/已注销/已过期）")
    usable = serializers.BooleanField(help_text="能否复用")
    valid_from = serializers.DateField(source="licence.valid_from")
    valid_until = serializers.DateField(source="licence.valid_until", allow_null=True)
    source_case = serializers.CharField(help_text="来源办件编号")


class WalletMaterialOutput(serializers.Serializer):
    name = serializers.CharField(source="material.name")
    valid_until = serializers.DateField(help_text="可复用至")
    source_case = serializers.CharField(help_text="来源办件编号")


class ReusedRowOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    origin = serializers.CharField(help_text="wallet 复用以前的材料；licence 复用电子证照")
    source_case = serializers.CharField(allow_blank=True, help_text="来源办件编号")
    licence_number = serializers.CharField(allow_blank=True, help_text="复用的电子证照编号")


class MaterialCountsOutput(serializers.Serializer):
    reused = serializers.IntegerField(help_text="复用的材料")
    shared = serializers.IntegerField(help_text="数据共享获取的材料")
    submitted = serializers.IntegerField(help_text="申请人本次提交的材料")
    reused_share = serializers.FloatField(allow_null=True, help_text="复用/（复用+提交）")


class CaseWalletOutput(serializers.Serializer):
    consent = serializers.BooleanField(help_text="申请人是否同意复用")
    consent_at = serializers.DateTimeField(allow_null=True)
    reuse_days = serializers.IntegerField(help_text="材料审核后可复用的天数")
    licences = WalletLicenceOutput(many=True)
    materials = WalletMaterialOutput(many=True)
    reused = ReusedRowOutput(many=True, help_text="本办件中复用的材料")
    counts = MaterialCountsOutput()


@extend_schema(tags=[TAG])
class CaseWalletView(_CaseView):
    @extend_schema(
        summary="申请人的电子证照和可复用材料（办件人员查看）",
        parameters=[ID],
        responses={200: CaseWalletOutput},
    )
    def get(self, request, pk: int):
        case = self.case(pk)
        wallet = wallet_of(case.applicant)
        rows = case.materials.filter(origin__in=("wallet", "licence")).select_related(
            "licence", "reused_from__case"
        )
        reused = [
            {
                "id": m.pk,
                "name": m.name,
                "origin": m.origin,
                "source_case": m.reused_from.case.number if m.reused_from else "",
                "licence_number": m.licence.number if m.licence else "",
            }
            for m in rows
        ]
        data = {
            "consent": wallet.consent,
            "consent_at": wallet.consent_at,
            "reuse_days": wallet.reuse_days,
            "licences": wallet.licences,
            "materials": wallet.materials,
            "reused": reused,
            "counts": case_material_counts(case),
        }
        return Response(CaseWalletOutput(data).data)
