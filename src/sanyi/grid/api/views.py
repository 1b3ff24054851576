"""API of grid work (under /api/v1/grid/): a grid officer's doorstep tasks and recording a
visit; event reports (list, report, detail, the holder's actions); help to apply; a
supervisor's figures. Scope as on the pages: officers their own grids, handlers the events
at units in their scope, supervisors the grids under their units."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.core.idempotency import request_fingerprint
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


# --- help to apply (帮办代办) ---------------------------------------------------------------


def _assist(request, pk: int):
    _require_officer(request.user)
    assist = selectors.assist_get(request.user, pk)
    if assist is None:
        raise Http404
    return assist


@extend_schema(
    tags=[TAG], summary="网格员代办：本网格居民", responses=s.GridResidentOutput(many=True)
)
class AssistResidentListView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        _require_officer(request.user)
        rows = selectors.grid_residents(request.user, query=request.query_params.get("q", ""))
        return Response(s.GridResidentOutput(rows[:200], many=True).data)


@extend_schema(
    tags=[TAG], summary="网格员代办：可网上申请的事项", responses=s.GridAssistItemOutput(many=True)
)
class AssistItemListView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        _require_officer(request.user)
        return Response(
            s.GridAssistItemOutput(selectors.assist_items(request.user), many=True).data
        )


class AssistStartView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], summary="网格员代办：我的代办", responses=s.GridAssistOutput(many=True)
    )
    def get(self, request):
        _require_officer(request.user)
        return Response(s.GridAssistOutput(selectors.assists(request.user)[:50], many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="网格员代办：开始（选择居民和事项）",
        request=s.GridAssistStartInput,
        responses={201: s.GridAssistOutput},
    )
    def post(self, request):
        _require_officer(request.user)
        form = s.GridAssistStartInput(data=request.data)
        form.is_valid(raise_exception=True)
        applicant = selectors.grid_resident(request.user, form.validated_data["applicant"])
        if applicant is None:
            raise DjangoPermissionDenied("只能为本网格的居民代办")
        item = next(
            (
                i
                for i in selectors.assist_items(request.user)
                if i.pk == form.validated_data["item"]
            ),
            None,
        )
        if item is None:
            raise ValidationError({"item": "该事项暂不支持网上申请，不能代办"})
        assist = services.assist_start(actor=request.user, applicant=applicant, item=item)
        return Response(s.GridAssistOutput(assist).data, status=201)


@extend_schema(tags=[TAG], summary="网格员代办：一件代办", responses=s.GridAssistOutput)
class AssistDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request, pk: int):
        return Response(s.GridAssistOutput(_assist(request, pk)).data)


@extend_schema(
    tags=[TAG],
    summary="网格员代办：发送同意验证码到居民手机",
    request=None,
    responses={201: s.GridAssistCodeOutput},
)
class AssistCodeView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, pk: int):
        sent = services.assist_code_request(assist=_assist(request, pk), actor=request.user)
        return Response(s.GridAssistCodeOutput({"phone": sent.phone}).data, status=201)


@extend_schema(
    tags=[TAG],
    summary="网格员代办：记录居民同意并建立办件",
    request=s.GridAssistConsentInput,
    responses={200: s.GridAssistOutput},
)
class AssistConsentView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, pk: int):
        assist = _assist(request, pk)
        form = s.GridAssistConsentInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        assist = services.assist_consent(
            assist=assist,
            actor=request.user,
            method=data["method"],
            code=data.get("code", ""),
            authorisation=data.get("authorisation"),
        )
        return Response(s.GridAssistOutput(assist).data)


@extend_schema(
    tags=[TAG],
    summary="网格员代办：上传材料照片并提交申请",
    request=s.GridAssistSubmitInput,
    responses={200: s.GridAssistOutput},
)
class AssistSubmitView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    def post(self, request, pk: int):
        assist = _assist(request, pk)
        form = s.GridAssistSubmitInput(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        photos = dict(zip(data.get("materials", []), data.get("photos", []), strict=True))
        assist = services.assist_submit(assist=assist, actor=request.user, photos=photos)
        return Response(s.GridAssistOutput(assist).data)


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
