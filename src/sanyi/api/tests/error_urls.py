"""The site's URLs plus views that fail on purpose, for the error-format tests."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.orgs.models import OrgKind, OrgUnit
from sanyi.orgs.services import org_unit_create
from sanyi.urls import urlpatterns as site_urlpatterns


class MaterialInput(serializers.Serializer):
    name = serializers.CharField()


class AddressInput(serializers.Serializer):
    city = serializers.CharField()


class NestedInput(serializers.Serializer):
    title = serializers.CharField()
    address = AddressInput()
    materials = MaterialInput(many=True)
    tags = serializers.ListField(child=serializers.IntegerField())


class _Failing(APIView):
    permission_classes = [AllowAny]


class ServiceValidationView(_Failing):
    def post(self, request):
        # A real service refusing bad input: a grid cannot sit at the top, and has no name.
        org_unit_create(actor="系统：测试", kind=OrgKind.GRID, name="  ")
        return Response({})


class NestedValidationView(_Failing):
    def post(self, request):
        NestedInput(data=request.data).is_valid(raise_exception=True)
        return Response({})


class DjangoPermissionView(_Failing):
    def get(self, request):
        raise PermissionDenied("只有本街道的窗口人员可以查看")


class MissingObjectView(_Failing):
    def get(self, request):
        get_object_or_404(OrgUnit, pk=987654321)


class BrokenView(_Failing):
    def get(self, request):
        raise RuntimeError("database password is hunter2")


urlpatterns = [
    path("api/v1/test/service-validation/", ServiceValidationView.as_view()),
    path("api/v1/test/nested-validation/", NestedValidationView.as_view()),
    path("api/v1/test/django-permission/", DjangoPermissionView.as_view()),
    path("api/v1/test/missing-object/", MissingObjectView.as_view()),
    path("api/v1/test/broken/", BrokenView.as_view()),
    *site_urlpatterns,
]
