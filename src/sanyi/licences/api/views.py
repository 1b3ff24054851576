"""E-licence API: public verification (what the verification page shows) and the staff list."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.core.throttles import PublicFormThrottle
from sanyi.licences.api.serializers import (
    LicencePublicOutput,
    LicenceStaffOutput,
    LicenceVerifyQuery,
)
from sanyi.licences.selectors import can_read_licences, licence_verify, licences_visible_to

TAG = "电子证照"


@extend_schema(
    tags=[TAG],
    summary="核验电子证照（按编号或二维码核验码）",
    parameters=[LicenceVerifyQuery],
    responses=LicencePublicOutput,
)
class LicenceVerifyView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicFormThrottle]

    def get(self, request):
        query = LicenceVerifyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = licence_verify(
            number=query.validated_data.get("number", ""),
            code=query.validated_data.get("code", ""),
        )
        if found is None:
            raise Http404("没有这张证照")
        return Response(LicencePublicOutput(found).data)


@extend_schema(tags=[TAG], summary="本辖区核发的电子证照")
class LicenceListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = LicenceStaffOutput

    def get_queryset(self):
        fake = getattr(self, "swagger_fake_view", False)  # schema generation has no user
        if not fake and not can_read_licences(self.request.user):
            raise PermissionDenied("只有窗口人员、审批人员和督查人员可以查看电子证照")
        return licences_visible_to(self.request.user)
