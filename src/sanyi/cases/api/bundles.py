"""API of bundles (一件事一次办): apply for a life event at once, and read its status."""

from __future__ import annotations

import json

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from sanyi.applicants.models import Applicant
from sanyi.cases import bundle_selectors, services
from sanyi.cases.api.views import TAG, _CaseView
from sanyi.cases.models import Bundle
from sanyi.catalog.models import LifeEvent


class BundleApplyInput(serializers.Serializer):
    applicant = serializers.IntegerField(min_value=1, help_text="申请人编号")
    life_event = serializers.IntegerField(min_value=1, help_text="“一件事”编号")
    answers = serializers.CharField(
        required=False, default="{}", help_text="共用字段的回答（JSON对象，是/否填yes或no）"
    )
    material_names = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list
    )
    materials = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="与材料名称一一对应"
    )


class BundleMemberOutput(serializers.Serializer):
    name = serializers.CharField(help_text="事项名称")
    number = serializers.CharField(help_text="办件编号")
    unit = serializers.CharField(help_text="办理单位")
    status = serializers.CharField(help_text="办理状态")
    waiting_for = serializers.CharField(help_text="等待的前序事项，没有为空")
    note = serializers.CharField()


class BundleOutput(serializers.Serializer):
    number = serializers.CharField(help_text="一件事申请编号")
    life_event = serializers.CharField(source="life_event.name", help_text="一件事")
    created_at = serializers.DateTimeField()
    members = serializers.SerializerMethodField()

    @extend_schema_field(BundleMemberOutput(many=True))
    def get_members(self, bundle: Bundle) -> list[dict]:
        rows = bundle_selectors.bundle_statuses(bundle)
        return BundleMemberOutput(rows, many=True).data


class BundleApplyView(_CaseView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary="一件事一次办：一次申请全部事项",
        request={"multipart/form-data": BundleApplyInput},
        responses={201: BundleOutput},
    )
    def post(self, request):
        data = self.parse(BundleApplyInput)
        applicant = Applicant.objects.filter(pk=data["applicant"]).first()
        event = LifeEvent.objects.filter(pk=data["life_event"]).first()
        if applicant is None or event is None:
            raise ValidationError({"applicant" if applicant is None else "life_event": ["不存在"]})
        try:
            answers = json.loads(data["answers"] or "{}")
        except ValueError:
            raise ValidationError({"answers": ["共用字段的回答应为JSON对象"]}) from None
        if not isinstance(answers, dict) or len(data["materials"]) != len(data["material_names"]):
            raise ValidationError({"answers": ["回答应为JSON对象，材料与材料名称须一一对应"]})
        bundle = services.bundle_apply(
            applicant=applicant,
            life_event=event,
            answers=answers,
            uploads=dict(zip(data["material_names"], data["materials"], strict=True)),
            actor=request.user,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        bundle = bundle_selectors.bundle_for_staff(request.user, bundle.number)
        return Response(BundleOutput(bundle).data, status=status.HTTP_201_CREATED)


class BundleDetailView(_CaseView):
    @extend_schema(tags=[TAG], summary="一件事申请及各事项状态", responses={200: BundleOutput})
    def get(self, request, number: str):
        try:
            bundle = bundle_selectors.bundle_for_staff(request.user, number)
        except Bundle.DoesNotExist:
            raise Http404 from None
        return Response(BundleOutput(bundle).data)
