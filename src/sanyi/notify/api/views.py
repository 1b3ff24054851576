"""Notifications over the API, under /api/v1/notifications/.

Every signed-in staff member (token or session) reads their own inbox and marks messages
read; one user's messages do not exist for another (404). System admins and supervisors
read the delivery status list; system admins re-queue stopped deliveries.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.core.http import staff_user
from sanyi.notify import selectors, services
from sanyi.notify.api.serializers import (
    NotifyDeliveryOutput,
    NotifyDeliveryQuery,
    NotifyMessageOutput,
    NotifyMessageQuery,
    NotifyReadAllOutput,
)
from sanyi.notify.models import Message, OutboxMessage

TAG = "通知"
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="编号")


@extend_schema(tags=[TAG], summary="我的消息（新的在前）", parameters=[NotifyMessageQuery])
class NotifyMessageListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = NotifyMessageOutput
    queryset = Message.objects.none()

    def get_queryset(self) -> QuerySet[Any]:
        query = NotifyMessageQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.inbox(user=staff_user(self.request))
        if query.validated_data.get("unread"):
            qs = qs.filter(read_at__isnull=True)
        return qs


@extend_schema(tags=[TAG], summary="一条消息", parameters=[ID])
class NotifyMessageDetailView(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = NotifyMessageOutput

    def get_object(self) -> Any:
        return get_object_or_404(
            selectors.inbox(user=staff_user(self.request)), pk=self.kwargs["pk"]
        )


@extend_schema(
    tags=[TAG],
    summary="把一条消息标为已读",
    parameters=[ID],
    request=None,
    responses={200: NotifyMessageOutput},
)
class NotifyMessageReadView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, pk: int) -> Response:
        message = get_object_or_404(selectors.inbox(user=staff_user(request)), pk=pk)
        services.message_mark_read(message=message)
        return Response(NotifyMessageOutput(message).data)


@extend_schema(
    tags=[TAG], summary="把全部消息标为已读", request=None, responses={200: NotifyReadAllOutput}
)
class NotifyReadAllView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request) -> Response:
        marked = services.messages_mark_all_read(user=staff_user(request))
        return Response(NotifyReadAllOutput({"marked": marked}).data)


@extend_schema(
    tags=[TAG],
    summary="短信、邮件和 Webhook 的发送情况（系统管理员、督查人员）",
    parameters=[NotifyDeliveryQuery],
)
class NotifyDeliveryListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = NotifyDeliveryOutput
    queryset = OutboxMessage.objects.none()

    def get_queryset(self) -> QuerySet[Any]:
        if not selectors.can_see_deliveries(staff_user(self.request)):
            raise PermissionDenied("只有系统管理员和督查人员可以查看发送情况")
        query = NotifyDeliveryQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.deliveries(
            viewer=staff_user(self.request),
            filters=selectors.DeliveryFilters(**query.validated_data),
        )


@extend_schema(
    tags=[TAG],
    summary="重新发送一条失败或已停止的消息（系统管理员）",
    parameters=[ID],
    request=None,
    responses={200: NotifyDeliveryOutput},
)
class NotifyDeliveryRequeueView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, pk: int) -> Response:
        if not selectors.can_manage_webhooks(staff_user(request)):
            raise PermissionDenied("只有系统管理员可以重新发送")
        row = get_object_or_404(OutboxMessage, pk=pk)
        from django.core.exceptions import ValidationError

        try:
            row = services.outbox_requeue(actor=staff_user(request), outbox=row)
        except ValidationError as exc:
            raise DRFValidationError(exc.message_dict) from exc
        row.refresh_from_db()
        return Response(NotifyDeliveryOutput(row).data)
