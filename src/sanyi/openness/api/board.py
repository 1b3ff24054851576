"""The community notice board (公开栏) in the API: the board of a community or grid (public)
and the signed-in applicant's subscription to it (the /my/ session, CSRF, throttled)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.applicants.api.session import ApplicantSessionView
from sanyi.openness import selectors, services

TAG = "政务公开"


class BoardItemOutput(serializers.Serializer):
    id = serializers.IntegerField(source="publication.pk")
    title = serializers.CharField(source="publication.title")
    text = serializers.CharField(source="publication.body_text")
    unit = serializers.CharField(source="unit_name")
    kind = serializers.CharField(source="five_kind_label")
    published_at = serializers.DateTimeField(source="publication.publish_at")
    expires_on = serializers.DateField(allow_null=True)
    current = serializers.BooleanField()
    url = serializers.CharField(source="publication.get_absolute_url")
    picture = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    def _pic(self, item, size: str) -> str | None:
        if item.notice is None or not item.notice.thumbnail:
            return None
        return reverse("openness:board_picture", args=[item.publication.pk, size])

    def get_picture(self, item) -> str | None:
        return self._pic(item, "full")

    def get_thumbnail(self, item) -> str | None:
        return self._pic(item, "thumb")


class BoardUnitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class BoardOutput(serializers.Serializer):
    unit = BoardUnitOutput()
    grids = BoardUnitOutput(many=True)
    current = BoardItemOutput(many=True)
    past = BoardItemOutput(many=True, help_text="往期：已过有效期或失效的信息")


class BoardSubscriptionInput(serializers.Serializer):
    sms = serializers.BooleanField(default=False, help_text="同时发短信到本人手机")


class BoardSubscriptionOutput(serializers.Serializer):
    unit = serializers.IntegerField()
    subscribed = serializers.BooleanField()
    sms = serializers.BooleanField()


def _unit(ref: str):
    unit = selectors.board_unit_get(ref)
    if unit is None:
        raise Http404("没有找到这个社区或网格的公开栏")
    return unit


@extend_schema(tags=[TAG])
class BoardView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="社区/网格公开栏（当前和往期）", responses={200: BoardOutput})
    def get(self, request, ref: str):
        return Response(BoardOutput(selectors.board_get(_unit(ref))).data)


@extend_schema(tags=[TAG])
class BoardSubscriptionView(ApplicantSessionView):
    """The signed-in applicant's own subscription to one board."""

    def _answer(self, applicant, unit) -> Response:
        sub = selectors.board_subscription_get(applicant.pk, unit)
        data = {
            "unit": unit.pk,
            "subscribed": sub is not None,
            "sms": bool(sub and sub.channel == "sms"),
        }
        return Response(BoardSubscriptionOutput(data).data)

    @extend_schema(summary="我是否订阅了该公开栏", responses={200: BoardSubscriptionOutput})
    def get(self, request, ref: str):
        return self._answer(self.applicant(request), _unit(ref))

    @extend_schema(
        summary="订阅公开栏（申请人本人）",
        request=BoardSubscriptionInput,
        responses={200: BoardSubscriptionOutput},
    )
    def post(self, request, ref: str):
        applicant, unit = self.applicant(request), _unit(ref)
        data = BoardSubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.board_subscribe(
            actor=applicant.audit_label,
            applicant=applicant,
            unit=unit,
            sms=data.validated_data["sms"],
        )
        return self._answer(applicant, unit)

    @extend_schema(summary="取消订阅公开栏（申请人本人）", responses={200: BoardSubscriptionOutput})
    def delete(self, request, ref: str):
        applicant, unit = self.applicant(request), _unit(ref)
        services.board_unsubscribe(actor=applicant.audit_label, applicant=applicant, unit=unit)
        return self._answer(applicant, unit)
