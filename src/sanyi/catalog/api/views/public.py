"""Public reading: published items, their versions and diffs, search, life events and the
reduction report.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.catalog.api.filters import CatalogItemFilter
from sanyi.catalog.api.selectors import public_life_events, published_items
from sanyi.catalog.api.serializers import (
    CatalogDiffQuery,
    CatalogItemDetailOutput,
    CatalogItemSummaryOutput,
    CatalogLifeEventDetailOutput,
    CatalogLifeEventOutput,
    CatalogReductionQuery,
    CatalogReductionReportOutput,
    CatalogVersionDiffOutput,
    CatalogVersionSummaryOutput,
)
from sanyi.catalog.api.views.shaping import (
    CODE,
    EVENT_ID,
    TAG_PUBLIC,
    _parse,
    _unit,
    item_summary,
    version_summary,
)
from sanyi.catalog.guide import guide_of, public_guide, versions_with_children
from sanyi.catalog.models import ItemVersion, LifeEvent
from sanyi.catalog.public import public_life_event
from sanyi.catalog.reports import reduction_report
from sanyi.catalog.selectors import (
    life_event_merged_guide,
    version_diff,
    visible_versions,
)
from sanyi.orgs.models import OrgUnit


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_PUBLIC],
        summary="已发布的事项",
        description="正在施行的办事指南，每个实施编码一条，按基本编码排列，分页返回。",
    )
)
class CatalogItemListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = CatalogItemSummaryOutput
    filterset_class = CatalogItemFilter

    def get_queryset(self):
        return published_items(viewer=self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = CatalogItemSummaryOutput([item_summary(v) for v in page], many=True).data
        return self.get_paginated_response(data)


def _published_or_404(viewer, implementation_code: str) -> ItemVersion:
    version = (
        versions_with_children(published_items(viewer=viewer))
        .select_related("implementation_item__delegated_from")
        .prefetch_related("implementation_item__life_events")
        .filter(implementation_item__implementation_code=implementation_code)
        .first()
    )
    if version is None:
        raise Http404
    return version


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="事项详情（办事指南）",
    description="实施编码对应的正在施行的办事指南：申请材料、办理流程、收费、依据等全部要素。",
    parameters=[CODE],
    responses={200: CatalogItemDetailOutput},
)
class CatalogItemDetailView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, implementation_code: str):
        version = _published_or_404(request.user, implementation_code)
        item = version.implementation_item
        data = {
            **item_summary(version),
            "power_source": item.power_source,
            "implementer_nature": item.implementer_nature,
            "entrusting_body": item.entrusting_body,
            "delegated_from": _unit(item.delegated_from),
            "planned_cancel_on": version.planned_cancel_on,
            "life_events": [
                {"id": e.pk, "name": e.name}
                for e in sorted(item.life_events.all(), key=lambda e: (e.sort_order, e.name))
            ],
            "guide": public_guide(guide_of(version)),
        }
        return Response(CatalogItemDetailOutput(data).data)


def _versions_or_404(viewer, implementation_code: str) -> list[ItemVersion]:
    versions = list(
        visible_versions(viewer)
        .filter(implementation_item__implementation_code=implementation_code)
        .order_by("number")
    )
    if not versions:
        raise Http404
    return versions


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="事项的全部版本",
    description=(
        "一个实施编码的全部版本，从旧到新：已发布、已被替代和已取消的版本公开；"
        "草稿和待审核的版本只有管理该事项的事项管理员能看到。"
    ),
    parameters=[CODE],
    responses={200: CatalogVersionSummaryOutput(many=True)},
)
class CatalogItemVersionsView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, implementation_code: str):
        versions = _versions_or_404(request.user, implementation_code)
        return Response(
            CatalogVersionSummaryOutput([version_summary(v) for v in versions], many=True).data
        )


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="两个版本的差别",
    description="逐个字段比较两个版本，并列出申请材料、流程、收费、依据、业务办理项的新增、删除和修改。",
    parameters=[CODE, CatalogDiffQuery],
    responses={200: CatalogVersionDiffOutput},
)
class CatalogItemDiffView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, implementation_code: str):
        query = _parse(CatalogDiffQuery, request.query_params)
        versions = {v.number: v for v in _versions_or_404(request.user, implementation_code)}
        new_number = query.get("new", max(versions))
        if new_number not in versions:
            raise ValidationError({"new": [f"没有第{new_number}版"]})
        old_number = query.get("old")
        if old_number is None:
            earlier = [n for n in versions if n < new_number]
            old_number = max(earlier) if earlier else None
        elif old_number not in versions:
            raise ValidationError({"old": [f"没有第{old_number}版"]})
        diff = version_diff(
            viewer=request.user,
            old=versions[old_number] if old_number is not None else None,
            new=versions[new_number],
        )
        data = {"implementation_code": implementation_code, **diff.as_dict()}
        return Response(CatalogVersionDiffOutput(data).data)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_PUBLIC],
        summary="“一件事”列表",
        description="一件事一次办：把一个人生事件要办的几个事项合在一起。只列有已发布事项的。",
    )
)
class CatalogLifeEventListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = CatalogLifeEventOutput

    def get_queryset(self):
        return public_life_events()


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="“一件事”详情（合并指南）",
    description="包含的事项，以及合并后的受理条件和申请材料：同一份材料只列一次，并写明哪些事项需要它。",
    parameters=[EVENT_ID],
    responses={200: CatalogLifeEventDetailOutput},
)
class CatalogLifeEventDetailView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, pk: int):
        try:
            event = public_life_event(pk=pk)
        except LifeEvent.DoesNotExist:
            raise Http404 from None
        merged = life_event_merged_guide(event)
        data = {
            "id": event.pk,
            "name": event.name,
            "description": event.description,
            "audience": event.audience,
            "item_count": len(merged.items),
            "items": [item_summary(v) for v in merged.items],
            "conditions": [
                {"text": e.text, "items": e.items, "detail": e.detail} for e in merged.conditions
            ],
            "materials": [
                {"text": e.text, "items": e.items, "detail": e.detail} for e in merged.materials
            ],
        }
        return Response(CatalogLifeEventDetailOutput(data).data)


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="减材料、减时限、减跑动报告",
    description="已发布事项的统计：材料、时限、跑动次数、即办件，总体并按事项类型、实施主体和层级分列。",
    parameters=[CatalogReductionQuery],
    responses={200: CatalogReductionReportOutput},
)
class CatalogReductionReportView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        query = _parse(CatalogReductionQuery, request.query_params)
        unit = None
        if query.get("unit"):
            unit = OrgUnit.objects.filter(pk=query["unit"]).first()
            if unit is None:
                raise ValidationError({"unit": [f"找不到编号为 {query['unit']} 的单位"]})
        report = reduction_report(viewer=request.user, unit=unit, level=query.get("level"))
        return Response(CatalogReductionReportOutput(report.as_dict()).data)
