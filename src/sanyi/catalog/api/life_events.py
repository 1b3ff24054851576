"""Maintaining life events (一件事) through the API: every staff member reads the whole
arrangement (shared fields, members with order, dependency, carried material and
condition); a district catalogue admin creates and replaces one as a whole through
``services.life_event_edit``, which checks the role and every row (docs/catalog.md,
"Life events")."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.catalog import services
from sanyi.catalog.admin_selectors import is_catalog_admin
from sanyi.catalog.api.views.shaping import TAG_ADMIN, _parse
from sanyi.catalog.choices import LifeEventAudience
from sanyi.catalog.life_event_selectors import staff_life_event_members, staff_life_events
from sanyi.catalog.models import LifeEvent, LifeEventMember
from sanyi.catalog.services.life_events import FIELD_KINDS

EVENT_PK = OpenApiParameter("pk", int, OpenApiParameter.PATH, description="“一件事”编号")


class LifeEventFieldSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="字段代码（英文标识），适用条件用它读取回答")
    label = serializers.CharField(help_text="问群众的问题")
    kind = serializers.ChoiceField(choices=list(FIELD_KINDS), help_text="text 文字；yes_no 是/否")


class LifeEventMemberInput(serializers.Serializer):
    item = serializers.CharField(help_text="事项实施编码")
    position = serializers.IntegerField(required=False, min_value=1, help_text="顺序，小的先办")
    after = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="前序事项的实施编码"
    )
    carries = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="前序结果作为本事项的哪份材料"
    )
    condition = serializers.JSONField(
        required=False, default=dict, help_text="适用条件：只读共用字段的 JSON Logic；空为都适用"
    )


class LifeEventMemberOutput(LifeEventMemberInput):
    # Saved events number their members from 1; events arranged before the editor kept
    # the model's default 0 (order then follows the member ids).
    position = serializers.IntegerField(min_value=0, help_text="顺序，小的先办")
    name = serializers.CharField(help_text="事项名称")
    unit = serializers.CharField(help_text="实施单位")


class LifeEventInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    audience = serializers.ChoiceField(
        choices=LifeEventAudience.choices, default=LifeEventAudience.PERSON
    )
    shared_fields = LifeEventFieldSerializer(
        many=True, required=False, default=list, help_text="共用问题（只问一次）"
    )
    members = LifeEventMemberInput(many=True, required=False, default=list)


class LifeEventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    audience = serializers.CharField()
    shared_fields = LifeEventFieldSerializer(many=True)
    members = LifeEventMemberOutput(many=True)


def _data(event: LifeEvent, members: list[LifeEventMember] | None = None) -> dict[str, Any]:
    return {
        "id": event.pk,
        "name": event.name,
        "description": event.description,
        "audience": event.audience,
        "shared_fields": event.fields,
        "members": [
            {
                "item": m.item.implementation_code,
                "name": m.item.base_item.name,
                "unit": m.item.implementing_unit.name,
                "position": m.position,
                "after": m.depends_on.item.implementation_code if m.depends_on else "",
                "carries": m.carries,
                "condition": m.condition,
            }
            for m in (staff_life_event_members(event) if members is None else members)
        ],
    }


class _View(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS") and not is_catalog_admin(request.user):
            raise PermissionDenied("只有事项管理员可以维护“一件事”")

    def save(self, request, event: LifeEvent | None) -> LifeEvent:
        data = _parse(LifeEventInput, request.data)
        fields = data.pop("shared_fields")
        return services.life_event_edit(actor=request.user, event=event, fields=fields, **data)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_ADMIN],
        summary="“一件事”维护：列表",
        description="全部“一件事”及其共用问题和包含事项（顺序、前序事项、前序结果材料、适用条件）。工作人员可读。",
        responses={200: LifeEventOutput(many=True)},
    ),
    post=extend_schema(
        tags=[TAG_ADMIN],
        summary="新建“一件事”",
        description="只有区级事项管理员可以新建。所有问题一次列出，并写明是第几个事项。",
        request=LifeEventInput,
        responses={201: LifeEventOutput},
    ),
)
class LifeEventAdminListView(_View):
    def get(self, request):
        events = staff_life_events(with_members=True)
        return Response([_data(e, list(e.members.all())) for e in events])

    def post(self, request):
        event = self.save(request, None)
        return Response(_data(event), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_ADMIN],
        summary="“一件事”维护：详情",
        parameters=[EVENT_PK],
        responses={200: LifeEventOutput},
    ),
    put=extend_schema(
        tags=[TAG_ADMIN],
        summary="修改“一件事”（整体替换）",
        description=(
            "只有区级事项管理员可以修改。已提交的申请不受影响：每件申请保留提交时的顺序、"
            "前序关系和前序结果材料。"
        ),
        parameters=[EVENT_PK],
        request=LifeEventInput,
        responses={200: LifeEventOutput},
    ),
)
class LifeEventAdminView(_View):
    def event(self, pk: int) -> LifeEvent:
        event = LifeEvent.objects.filter(pk=pk).first()
        if event is None:
            raise Http404
        return event

    def get(self, request, pk: int):
        return Response(_data(self.event(pk)))

    def put(self, request, pk: int):
        return Response(_data(self.save(request, self.event(pk))))
