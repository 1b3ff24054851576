"""Public, read-only endpoints of the org tree and its service centers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.orgs.api.filters import OrgUnitFilter, ServiceCenterFilter
from sanyi.orgs.api.selectors import public_org_units, public_service_centers
from sanyi.orgs.api.serializers import (
    AreaSubdistrictOutput,
    OrgUnitDetailOutput,
    OrgUnitOutput,
    ServiceCenterOutput,
)
from sanyi.orgs.areas import area_choices
from sanyi.orgs.models import OrgUnit, ServiceCenter
from sanyi.orgs.selectors import org_ancestors, service_centers_for

TAG = "组织机构"
UNIT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="单位编号")


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="组织单位列表",
        description="区、街道/乡镇、社区/村、网格、部门和站所，按组织树顺序排列，分页返回。",
    )
)
class OrgUnitListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = OrgUnitOutput
    filterset_class = OrgUnitFilter

    def get_queryset(self) -> QuerySet[Any]:
        return public_org_units()


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="组织单位详情",
        description="一个单位的信息，含各级上级单位和直接下级的个数。",
        parameters=[UNIT_ID],
    )
)
class OrgUnitDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = OrgUnitDetailOutput

    def get_object(self) -> Any:
        return get_object_or_404(public_org_units(), pk=self.kwargs["pk"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        unit = self.get_object()
        serializer = self.get_serializer(
            unit, context={**self.get_serializer_context(), "ancestors": org_ancestors(unit)}
        )
        return Response(serializer.data)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="某单位的服务中心",
        description="该单位自己的政务服务中心或便民服务中心（不含下级单位的），含窗口。",
        parameters=[UNIT_ID],
    )
)
class OrgUnitServiceCenterListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceCenterOutput

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no pk
            return ServiceCenter.objects.none()
        unit = get_object_or_404(OrgUnit.objects.only("pk"), pk=self.kwargs["pk"])
        return service_centers_for(unit)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="服务中心列表",
        description="全部政务服务中心和便民服务中心，含窗口，按组织树顺序排列，分页返回。",
    )
)
class ServiceCenterListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceCenterOutput
    filterset_class = ServiceCenterFilter

    def get_queryset(self) -> QuerySet[Any]:
        return public_service_centers()


@extend_schema(
    tags=[TAG],
    summary="居民可选的地区",
    description=(
        "“我所在的地区”可选的街道（乡镇）及其下属社区（村），按组织树顺序，不分页。"
        "应用可用单位编号记住居民所在的地区。"
    ),
    responses={200: AreaSubdistrictOutput(many=True)},
)
class AreaListView(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response(AreaSubdistrictOutput(area_choices(), many=True).data)
