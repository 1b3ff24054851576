"""API of grid work (under /api/v1/grid/): a grid officer's doorstep tasks and recording a
visit. Scope as on the pages: only the officer's own grids."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.core.idempotency import request_fingerprint
from sanyi.grid import selectors, services
from sanyi.grid.api import serializers as s

TAG = "网格"


def _require_officer(user) -> None:
    if not selectors.is_officer(user):
        raise DjangoPermissionDenied("只有网格员可以查看上门任务")


@extend_schema(tags=[TAG], summary="网格员：今日任务", responses=s.GridTaskOutput(many=True))
class TaskListView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        _require_officer(request.user)
        rows = selectors.grid_tasks(request.user)[:200]
        return Response(s.GridTaskOutput(rows, many=True).data)


VISIT_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="幂等键（可选，不超过80个字符）：同一次走访重发时使用同一个值，"
    "只记录一次，返回第一次的结果；同一个值用于内容不同的提交时返回409",
)


def _fingerprint(request) -> str:
    """What the request asks, for comparing a repeat with the first send."""
    fields = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
    contents = []
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            contents.append(upload.read())
            upload.seek(0)
    return request_fingerprint(fields, contents)


@extend_schema(
    tags=[TAG],
    summary="网格员：记录上门走访并完成环节",
    description="手机离线时保存的走访草稿联网后发送到这里，带上草稿生成时的 Idempotency-Key，"
    "重发不会重复记录。",
    parameters=[VISIT_KEY],
    request=s.GridVisitInput,
    responses={201: s.GridVisitOutput},
)
class VisitRecordView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, pk: int):
        _require_officer(request.user)
        key = request.headers.get("Idempotency-Key", "").strip()
        fingerprint = _fingerprint(request) if key else ""
        # A repeat of a visit already recorded: its step is closed now, so look before
        # asking for the (open) task.
        earlier = selectors.visit_for_key(request.user, key, fingerprint)
        if earlier is not None:
            return Response(s.GridVisitOutput(earlier).data, status=201)
        task = selectors.grid_task(request.user, pk)
        if task is None:
            raise Http404
        form = s.GridVisitInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        signature = data.get("signature")
        if signature is not None and signature.size > 512 * 1024:
            raise ValidationError({"signature": "签名图片过大"})
        visit = services.visit_record(
            task=task,
            actor=request.user,
            idempotency_key=key,
            fingerprint=fingerprint,
            data=services.VisitInput(
                visited_at=data["visited_at"],
                outcome=data["outcome"],
                notes=data.get("notes", ""),
                photos=list(data.get("photos", [])),
                keep_location=data.get("keep_location", False),
                confirmation=data["confirmation"],
                code=data.get("code", ""),
                signature=signature.read() if signature is not None else b"",
            ),
        )
        return Response(s.GridVisitOutput(visit).data, status=201)
