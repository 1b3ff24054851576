"""API of grid work (under /api/v1/grid/): a grid officer's doorstep tasks and recording a
visit; event reports (list, report, detail, the holder's actions). Scope as on the pages:
officers their own grids, handlers the events at units in their scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

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


def _require_event_user(user) -> None:
    if not (selectors.is_officer(user) or selectors.is_event_handler(user)):
        raise DjangoPermissionDenied("只有网格员和办理人员可以查看网格事件")


class EventListView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=[TAG],
        summary="网格事件：列表（网格员看本网格，办理人员看本单位和经手的）",
        responses=s.GridEventOutput(many=True),
    )
    def get(self, request):
        _require_event_user(request.user)
        rows = selectors.event_list(request.user)[:200]
        return Response(s.GridEventOutput(rows, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="网格员：上报事件",
        request=s.GridEventInput,
        responses={201: s.GridEventDetailOutput},
    )
    def post(self, request):
        if not selectors.is_officer(request.user):
            raise DjangoPermissionDenied("只有网格员可以上报事件")
        form = s.GridEventInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        grid = selectors.officer_grids(request.user).filter(pk=data["grid"]).first()
        applicant = None
        if data.get("applicant"):
            applicant = selectors.grid_applicants(request.user).filter(pk=data["applicant"]).first()
            if applicant is None:
                raise ValidationError({"applicant": "涉及居民须是您所在网格的居民"})
        event = services.event_report(
            actor=request.user,
            data=services.EventInput(
                grid=grid,
                category=data["category"],
                title=data["title"],
                description=data["description"],
                place=data["place"],
                applicant=applicant,
                photos=list(data.get("photos", [])),
            ),
        )
        return Response(s.GridEventDetailOutput(event).data, status=201)


def _event(request, pk: int):
    _require_event_user(request.user)
    event = selectors.event_get(request.user, pk)
    if event is None:
        raise Http404
    return event


@extend_schema(tags=[TAG], summary="网格事件：详情和办理记录", responses=s.GridEventDetailOutput)
class EventDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, pk: int):
        return Response(s.GridEventDetailOutput(_event(request, pk)).data)


@extend_schema(
    tags=[TAG],
    summary="网格事件：受理、转派、办结、转为办件或主动服务",
    request=s.GridEventActionInput,
    responses=s.GridEventDetailOutput,
)
class EventActionView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, pk: int):
        event = _event(request, pk)
        if not selectors.event_may_act(request.user, event):
            raise DjangoPermissionDenied("该事件不在您所在单位办理")
        form = s.GridEventActionInput(data=request.data)
        form.is_valid(raise_exception=True)
        data, user = form.validated_data, request.user
        action = data["action"]
        if action == "accept":
            event = services.event_accept(event=event, actor=user)
        elif action == "route":
            target = selectors.event_route_targets(event).filter(pk=data.get("to_unit") or 0)
            event = services.event_route(
                event=event, actor=user, to_unit=target.first(), note=data.get("note", "")
            )
        elif action == "close":
            event = services.event_close(event=event, actor=user, result=data.get("result", ""))
        elif action == "to_case":
            event = services.event_to_case(
                event=event,
                actor=user,
                case_number=data.get("case_number", ""),
                note=data.get("note", ""),
            )
        else:
            event = services.event_offer(
                event=event, actor=user, item=data.get("item", ""), note=data.get("note", "")
            )
        return Response(s.GridEventDetailOutput(event).data)
