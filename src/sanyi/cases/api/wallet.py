"""The wallet in the API.

GET /api/v1/cases/{id}/wallet/: the applicant's wallet as staff handling the case see it:
what the applicant holds, whether they consented, and which rows of this case were reused
and from where.

GET /api/v1/wallet/ and POST /api/v1/wallet/consent/: the signed-in applicant's own wallet
(the /my/ session, like the appointments API), and granting or withdrawing the consent.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from sanyi.applicants import services as applicant_services
from sanyi.applicants.api.session import ApplicantSessionView
from sanyi.applicants.models import ConsentScope
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
    reused_share = serializers.FloatField(
        allow_null=True, help_text="复用占比，0–1的比例：复用/（复用+提交）；页面按百分数显示"
    )


WALLET_TAG = "我的证照和材料"


class CaseWalletOutput(serializers.Serializer):
    consent = serializers.BooleanField(help_text="申请人现在是否同意复用")
    consent_at = serializers.DateTimeField(allow_null=True)
    consent_scope = serializers.CharField(
        allow_blank=True, help_text="all 电子证照和以前的材料；licences 仅电子证照；未同意为空"
    )
    reuse_days = serializers.IntegerField(help_text="指南未规定复用期限的材料，审核后可复用的天数")
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
            "consent": wallet.consent is not None,
            "consent_at": wallet.consent_at,
            "consent_scope": wallet.consent.scope if wallet.consent else "",
            "reuse_days": wallet.reuse_days,
            "licences": wallet.licences,
            "materials": wallet.materials,
            "reused": reused,
            "counts": case_material_counts(case),
        }
        return Response(CaseWalletOutput(data).data)


# --- the applicant's own wallet (/api/v1/wallet/) -----------------------------------------


class ConsentOutput(serializers.Serializer):
    scope = serializers.CharField(help_text="all 电子证照和以前的材料；licences 仅电子证照")
    scope_label = serializers.CharField(source="get_scope_display")
    granted_at = serializers.DateTimeField()
    granted_via = serializers.CharField(help_text="online 本人网上；counter 窗口代为办理")
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawn_via = serializers.CharField(allow_blank=True)


class MyWalletOutput(serializers.Serializer):
    consent = ConsentOutput(allow_null=True, help_text="现在有效的同意，没有为空")
    history = ConsentOutput(many=True, help_text="全部同意记录，最新的在前")
    reuse_days = serializers.IntegerField(help_text="指南未规定复用期限的材料，审核后可复用的天数")
    licences = WalletLicenceOutput(many=True)
    materials = WalletMaterialOutput(many=True)


class ConsentInput(serializers.Serializer):
    consent = serializers.BooleanField(help_text="true 同意；false 撤回")
    scope = serializers.ChoiceField(
        choices=ConsentScope.choices, required=False, default=ConsentScope.ALL
    )


class _OwnWalletView(ApplicantSessionView):
    """Signed in as an applicant (the /my/ session): only the applicant's own wallet. Writes
    carry the CSRF token and are throttled like every public form."""

    def answer(self, applicant) -> Response:
        wallet = wallet_of(applicant)
        data = {
            "consent": wallet.consent,
            "history": wallet.history,
            "reuse_days": wallet.reuse_days,
            "licences": wallet.licences,
            "materials": wallet.materials,
        }
        return Response(MyWalletOutput(data).data)


@extend_schema(tags=[WALLET_TAG])
class MyWalletView(_OwnWalletView):
    @extend_schema(summary="我的证照和材料（申请人本人）", responses={200: MyWalletOutput})
    def get(self, request):
        return self.answer(self.applicant(request))


@extend_schema(tags=[WALLET_TAG])
class MyWalletConsentView(_OwnWalletView):
    @extend_schema(
        summary="同意或撤回复用（申请人本人）",
        request=ConsentInput,
        responses={200: MyWalletOutput},
    )
    def post(self, request):
        applicant = self.applicant(request)
        serializer = ConsentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["consent"]:
            applicant_services.reuse_consent_grant(
                applicant=applicant, actor=applicant.audit_label, scope=data["scope"]
            )
        else:
            applicant_services.reuse_consent_withdraw(
                applicant=applicant, actor=applicant.audit_label
            )
        return self.answer(applicant)
