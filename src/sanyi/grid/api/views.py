"""API of grid work (under /api/v1/grid/): a grid officer's doorstep tasks and recording a
visit, and a supervisor's figures. Scope as on the pages: only the officer's own grids,
only the grids under the supervisor's units."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.grid import selectors, services
from sanyi.grid import supervision_selectors as sup
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


@extend_schema(
    tags=[TAG],
    summary="网格员：记录上门走访并完成环节",
    request=s.GridVisitInput,
    responses={201: s.GridVisitOutput},
)
class VisitRecordView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, pk: int):
        _require_officer(request.user)
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


@extend_schema(
    tags=[TAG],
    summary="督查人员：网格督查统计",
    parameters=[s.GridSupervisionQuery],
    responses=s.GridSupervisionOutput,
)
class SupervisionView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        if not sup.is_supervisor(request.user):
            raise DjangoPermissionDenied("只有督查人员可以查看网格督查")
        query = s.GridSupervisionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = sup.period_default()
        figures = sup.supervision_figures(
            viewer=request.user,
            start=query.validated_data.get("start") or start,
            end=query.validated_data.get("end") or end,
        )
        return Response(s.GridSupervisionOutput(figures).data)
