"""Proactive offers in the API.

The resident's own offers (the /my/ session, like the wallet API): GET /api/v1/my/offers/,
POST .../{id}/open/, .../{id}/apply/, .../{id}/confirm/, and POST /api/v1/my/offers/opt/
to turn offers off or on. Another resident's offer is a 404.

Staff: GET /api/v1/proactive/rules/ (every version with its counters) and .../{id}/, for
catalogue administrators and supervisors.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.applicants.api.session import ApplicantSessionView
from sanyi.core.http import staff_user
from sanyi.core.numbers import DB_INT_MAX
from sanyi.proactive import selectors, services

TAG = "主动服务"
ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="推送或规则的编号")


class ProactiveOfferOutput(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.CharField(source="item.base_item.name", help_text="推送的事项")
    item_code = serializers.CharField(source="item.implementation_code")
    reason = serializers.CharField(help_text="推送理由")
    action = serializers.CharField(help_text="notify 消息提醒；auto_case 免申即享")
    rule_code = serializers.CharField()
    offered_on = serializers.DateField()
    opened_at = serializers.DateTimeField(allow_null=True)
    case_number = serializers.CharField(
        source="case.number", allow_null=True, default=None, help_text="由此办理的申请编号"
    )
    case_status = serializers.CharField(
        source="case.status", allow_null=True, default=None, help_text="申请的状态"
    )
    awaiting_confirmation = serializers.SerializerMethodField(
        help_text="免申即享的申请已建好，等居民确认提交"
    )
    link = serializers.SerializerMethodField(help_text="居民查看这条推送的页面")

    def get_awaiting_confirmation(self, offer) -> bool:
        return offer.case is not None and offer.case.status == "draft"

    def get_link(self, offer) -> str:
        return services.offer_link(offer.pk)


class ProactiveMyOffersOutput(serializers.Serializer):
    receive_all = serializers.BooleanField(help_text="是否接收主动服务（false 为全部关闭）")
    rules_off = serializers.ListField(child=serializers.CharField(), help_text="关闭了的规则编码")
    offers = ProactiveOfferOutput(many=True)


class ProactiveOptInput(serializers.Serializer):
    receive = serializers.BooleanField(help_text="true 接收；false 不再接收")
    rule_code = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40, help_text="为空指全部推送"
    )


class _OwnOfferView(ApplicantSessionView):
    """Signed in as an applicant (the /my/ session): only the resident's own offers.
    Writes carry the CSRF token and are throttled like every public form."""

    def offer(self, request, pk: int):
        if pk > DB_INT_MAX:  # no database holds such an id: no offer, whoever asks
            raise NotFound("没有找到这条推送")
        applicant = self.applicant(request)
        offer = selectors.offer_of(applicant, pk)
        if offer is None:
            raise NotFound("没有找到这条推送")
        return applicant, offer

    def answer(self, applicant) -> Response:
        off = selectors.opted_out_codes(applicant)
        data = {
            "receive_all": "" not in off,
            "rules_off": sorted(code for code in off if code),
            "offers": list(selectors.offers_of(applicant)[:50]),
        }
        return Response(ProactiveMyOffersOutput(data).data)


@extend_schema(tags=[TAG])
class MyOffersView(_OwnOfferView):
    @extend_schema(summary="为我推荐的服务（居民本人）", responses={200: ProactiveMyOffersOutput})
    def get(self, request):
        return self.answer(self.applicant(request))


@extend_schema(tags=[TAG])
class MyOfferOptView(_OwnOfferView):
    @extend_schema(
        summary="不再接收或重新接收主动服务（居民本人）",
        request=ProactiveOptInput,
        responses={200: ProactiveMyOffersOutput},
    )
    def post(self, request):
        applicant = self.applicant(request)
        serializer = ProactiveOptInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        change = services.proactive_opt_in if data["receive"] else services.proactive_opt_out
        change(applicant=applicant, actor=applicant.audit_label, rule_code=data["rule_code"])
        return self.answer(applicant)


class _OfferStepView(_OwnOfferView):
    """POST on one of the resident's own offers: one service call, the offer answered."""

    step = staticmethod(services.proactive_offer_open)

    def post(self, request, pk: int):
        applicant, offer = self.offer(request, pk)
        self.step(offer=offer, actor=applicant.audit_label)
        return Response(ProactiveOfferOutput(selectors.offer_of(applicant, pk)).data)


def _step_schema(summary: str):
    return extend_schema(
        tags=[TAG],
        summary=summary,
        parameters=[ID],
        request=None,
        responses={200: ProactiveOfferOutput},
    )


@extend_schema(tags=[TAG])
class MyOfferOpenView(_OfferStepView):
    step = staticmethod(services.proactive_offer_open)

    @_step_schema("查看一条推送（第一次查看时记录）")
    def post(self, request, pk: int):
        return super().post(request, pk)


@extend_schema(tags=[TAG])
class MyOfferApplyView(_OfferStepView):
    step = staticmethod(services.proactive_offer_apply)

    @_step_schema("去办理：建好按个人资料预填的申请（只建一次）")
    def post(self, request, pk: int):
        return super().post(request, pk)


@extend_schema(tags=[TAG])
class MyOfferConfirmView(_OfferStepView):
    step = staticmethod(services.proactive_offer_confirm)

    @_step_schema("确认并提交免申即享的申请")
    def post(self, request, pk: int):
        return super().post(request, pk)


# --- staff: rules and counters ------------------------------------------------------------


class ProactiveRuleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    item = serializers.CharField(source="item.base_item.name")
    item_code = serializers.CharField(source="item.implementation_code")
    trigger_kind = serializers.CharField()
    trigger_params = serializers.JSONField()
    condition = serializers.JSONField(allow_null=True)
    reason = serializers.CharField()
    action = serializers.CharField()
    confirm_required = serializers.BooleanField()
    tests = serializers.JSONField()
    status = serializers.CharField(help_text="draft 草稿；published 已发布；retired 已停用")
    published_at = serializers.DateTimeField(allow_null=True)
    sent = serializers.IntegerField(help_text="推送人数")
    opened = serializers.IntegerField(help_text="居民查看")
    applied = serializers.IntegerField(help_text="提交申请")
    concluded = serializers.IntegerField(help_text="办结")


@extend_schema(tags=[TAG])
class ProactiveRuleListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="主动服务规则和推送统计", responses={200: ProactiveRuleOutput(many=True)}
    )
    def get(self, request):
        rows = selectors.rules_with_counters(viewer=staff_user(request))
        return Response(ProactiveRuleOutput(rows, many=True).data)


@extend_schema(tags=[TAG])
class ProactiveRuleDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="一条主动服务规则（一个版本）",
        parameters=[ID],
        responses={200: ProactiveRuleOutput},
    )
    def get(self, request, pk: int):
        rule = selectors.rule_of(viewer=staff_user(request), pk=pk)
        if rule is None:
            raise NotFound("没有找到这条规则")
        return Response(ProactiveRuleOutput(rule).data)
