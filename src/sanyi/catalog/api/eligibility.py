"""``POST /api/v1/catalog/items/{code}/eligibility/``: "看看我能不能办" for programs.

The answer comes from the answers sent, with the same rules and evaluator as the guide
page (catalog.eligibility). A window clerk (signed in or with a token) may name an
applicant instead: the facts the platform knows about that applicant are used, answers
only fill the gaps, and the answer names the applicant masked. The API has no resident
sign-in (residents use the portal pages), so it never answers from a resident's own
facts (docs/catalog.md, "Eligibility rules")."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.catalog.eligibility import (
    QUESTIONS,
    applicant_facts_by_id,
    check_rules,
    facts_from_answers,
    rules_of,
)
from sanyi.catalog.eligibility.check import APPLICANT_KINDS, MAX_AGE
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.public import public_guide_version
from sanyi.core.throttles import PublicFormThrottle
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths

TAG_PUBLIC = "政务服务事项"


class CatalogEligibilityInput(serializers.Serializer):
    applicant_kind = serializers.ChoiceField(
        choices=list(APPLICANT_KINDS.items()),
        required=False,
        help_text="以个人（person）还是以企业或其他组织（organisation）身份办理",
    )
    age = serializers.IntegerField(
        min_value=0, max_value=MAX_AGE, required=False, help_text="年龄（周岁）"
    )
    area = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="所在街道或社区的单位编码；不住在本区填 outside",
    )
    applicant = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="申请人编号（仅窗口人员可用）：按系统掌握的该申请人情况核对",
    )


class CatalogEligibilityQuestion(serializers.Serializer):
    key = serializers.CharField(help_text="问题代码：applicant_kind、age 或 area")
    text = serializers.CharField(help_text="问题")


class CatalogEligibilityRule(serializers.Serializer):
    name = serializers.CharField(help_text="规则名称")
    status = serializers.ChoiceField(
        choices=[("pass", "符合"), ("fail", "不符合"), ("unknown", "尚不能判断")],
        help_text="pass 符合；fail 不符合；unknown 尚不能判断",
    )
    reason = serializers.CharField(help_text="不符合时的说明")
    missing = serializers.ListField(child=serializers.CharField(), help_text="尚缺的字段")


class CatalogEligibilityOutput(serializers.Serializer):
    eligible = serializers.BooleanField(
        allow_null=True, help_text="true 符合；false 不符合；null 还要回答问题或申请时核对"
    )
    reasons = serializers.ListField(child=serializers.CharField(), help_text="不符合的原因")
    questions = CatalogEligibilityQuestion(many=True, help_text="还需要回答的问题")
    unchecked = serializers.ListField(
        child=serializers.CharField(), help_text="只能在申请时由系统核对的规则"
    )
    rules = CatalogEligibilityRule(many=True, help_text="每条规则的结果")
    applicant = serializers.CharField(
        required=False, help_text="按哪位申请人的情况核对（姓名已脱敏；只在指定申请人时给出）"
    )


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="看看我能不能办（受理条件自助核对）",
    description="按事项的受理条件规则核对所给的回答：不符合时给出原因，"
    "缺少回答时列出还要问的问题。窗口人员可以指定申请人编号，按系统掌握的该申请人情况核对。"
    "按访问地址限制频率。",
    request=CatalogEligibilityInput,
    responses={200: CatalogEligibilityOutput},
)
class CatalogEligibilityView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [PublicFormThrottle]

    def post(self, request: Request, implementation_code: str) -> Response:
        data = CatalogEligibilityInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            version = public_guide_version(implementation_code=implementation_code)
        except ItemVersion.DoesNotExist:
            raise Http404("没有找到这个事项，或它已经停止办理") from None
        facts, errors = facts_from_answers(data.validated_data)
        if errors:
            raise ValidationError(errors)
        chosen = data.validated_data.get("applicant")
        label = None
        if chosen is not None:
            label, known = self._applicant(request, chosen, version)
            facts.update({k: v for k, v in known.items() if v is not None})
        result = check_rules(rules_of(version), facts).as_dict()
        result["questions"] = [{"key": k, "text": QUESTIONS[k]} for k in result["questions"]]
        if label is not None:
            result["applicant"] = label
        return Response(CatalogEligibilityOutput(result).data)

    @staticmethod
    def _applicant(request: Request, applicant_id: int, version: ItemVersion) -> tuple[str, dict]:
        """A clerk's chosen applicant: the masked name and the facts the platform knows."""
        user = request.user
        if not user.is_authenticated or not scope_paths(user, (Role.WINDOW_CLERK,)):
            raise PermissionDenied("只有窗口人员可以按指定申请人的情况核对")
        found = applicant_facts_by_id(applicant_id, version)
        if found is None:
            raise ValidationError({"applicant": "没有这个编号的申请人"})
        return found
