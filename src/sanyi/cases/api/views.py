"""Staff endpoints of case handling under /api/v1/cases/ (for integrations: a provincial
platform, a self-service kiosk, a counter's scanning station).

Only window clerks, approvers and supervisors use them; every case and task is looked up
through the scoped selectors, so anything outside the caller's org subtree is refused, and
every write goes through ``cases.services``, which checks roles and states again. Errors are
problem+json in Chinese. Applicants are not API users: they use the portal pages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.applicants.models import Applicant
from sanyi.cases import documents, selectors, services
from sanyi.cases.api.serializers import (
    CaseAcceptInput,
    CaseClockStopInput,
    CaseConclusionInput,
    CaseCreateInput,
    CaseDeliveryInput,
    CaseDetailOutput,
    CaseEventOutput,
    CaseExtensionInput,
    CaseMaterialOutput,
    CasePrecheckInput,
    CaseSummaryOutput,
    CaseTaskActInput,
    CaseTaskOutput,
    CaseTaskQuery,
    CaseUploadInput,
    CaseVisitInput,
)
from sanyi.cases.models import Case, CaseMaterial, CaseTask
from sanyi.catalog.models import HandlingVariant, ImplementationItem
from sanyi.core.numbers import parse_id
from sanyi.core.pagination import KeysetPagination
from sanyi.core.pdf import PDFDownloadRenderer
from sanyi.core.responses import file_response
from sanyi.orgs.models import OrgUnit, User, Window
from sanyi.orgs.permissions import roles_of

TAG = "办件"
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="办件编号（id）")
TASK_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="任务编号")
MATERIAL_ID = OpenApiParameter(
    "material_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="办件材料编号"
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="提交幂等键：重试时使用同一个值，不会重复提交",
)

START_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="新建幂等键（可选）：重试时使用同一个值，返回同一件办件，不会重复新建",
)


class _CaseView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not any(ra.role in selectors.CASE_ROLES for ra in roles_of(request.user)):
            raise PermissionDenied("只有窗口人员、审批人员和督查人员可以使用办件接口")
        if "pk" in kwargs:
            # Scope before input: a case out of scope is a 404 whatever the body holds.
            self.scope_check(kwargs["pk"])

    def scope_check(self, pk: int) -> None:
        self.case(pk)

    def parse(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def case(self, pk: int) -> Case:
        return selectors.case_get_for(self.request.user, pk)

    def detail(self, case: Case) -> Response:
        case = self.case(case.pk)
        return Response(CaseDetailOutput(case).data)

    @staticmethod
    def window(pk: int | None, field: str = "window") -> Window | None:
        if pk is None:
            return None
        window = Window.objects.select_related("center__org_unit").filter(pk=pk).first()
        if window is None:
            raise ValidationError({field: [f"没有编号为 {pk} 的窗口"]})
        return window

    @staticmethod
    def material(case: Case, pk: int, field: str = "materials") -> CaseMaterial:
        m = case.materials.filter(pk=pk).first()
        if m is None:
            raise ValidationError({field: [f"办件材料 {pk} 不属于本办件"]})
        return m


@extend_schema(tags=[TAG])
class CaseListView(generics.GenericAPIView, _CaseView):
    queryset = Case.objects.none()
    serializer_class = CaseSummaryOutput
    pagination_class = KeysetPagination
    keyset_name = "cases.list"

    @extend_schema(
        summary="办件列表（管辖范围内）",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, description="状态代码"),
            OpenApiParameter("item", OpenApiTypes.INT, description="实施事项编号"),
            OpenApiParameter("warning", OpenApiTypes.STR, description="预警：yellow/red"),
            OpenApiParameter("number", OpenApiTypes.STR, description="办件编号（前缀）或8位短号"),
        ],
        responses={200: CaseSummaryOutput(many=True)},
    )
    def get(self, request):
        params = request.query_params
        filters = {k: params[k] for k in ("status", "warning", "number") if params.get(k)}
        if params.get("item"):
            filters["item"] = parse_id(params["item"], label="实施事项编号", param="item")
        page = self.paginate_queryset(selectors.case_list(request.user, filters=filters))
        return self.get_paginated_response(CaseSummaryOutput(page, many=True).data)

    @extend_schema(
        summary="新建申请（窗口、邮寄录入或代为网上申请的草稿）",
        description=(
            "可选请求头 Idempotency-Key：没有收到应答而重试时使用同一个值，"
            "返回第一次新建的办件，不会再新建一件。"
        ),
        parameters=[START_KEY],
        request=CaseCreateInput,
        responses={201: CaseDetailOutput},
    )
    def post(self, request):
        data = self.parse(CaseCreateInput)
        applicant = Applicant.objects.filter(pk=data["applicant"]).first()
        if applicant is None:
            raise ValidationError({"applicant": ["没有这个申请人"]})
        item = ImplementationItem.objects.filter(implementation_code=data["item"]).first()
        if item is None:
            raise ValidationError({"item": [f"没有实施编码为“{data['item']}”的事项"]})
        variant = None
        if data.get("variant"):
            variant = HandlingVariant.objects.filter(pk=data["variant"]).first()
            if variant is None:
                raise ValidationError({"variant": ["没有这个业务办理项"]})
        case = services.case_start(
            applicant=applicant,
            item=item,
            channel=data["channel"],
            actor=request.user,
            variant=variant,
            form_data=data.get("form_data") or {},
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        return Response(CaseDetailOutput(case).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class CaseDetailView(_CaseView):
    @extend_schema(
        summary="一件办件（材料、环节和时限）", parameters=[ID], responses={200: CaseDetailOutput}
    )
    def get(self, request, pk: int):
        return Response(CaseDetailOutput(self.case(pk)).data)


@extend_schema(tags=[TAG])
class CaseMaterialUploadView(_CaseView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="上传一项材料",
        parameters=[ID, MATERIAL_ID],
        request={"multipart/form-data": CaseUploadInput},
        responses={200: CaseMaterialOutput},
    )
    def post(self, request, pk: int, material_id: int):
        case = self.case(pk)
        cm = self.material(case, material_id, "material")
        data = self.parse(CaseUploadInput)
        cm = services.case_material_upload(
            case=case, case_material=cm, uploaded=data["file"], actor=request.user
        )
        return Response(CaseMaterialOutput(cm).data)


@extend_schema(tags=[TAG])
class CaseSubmitView(_CaseView):
    @extend_schema(
        summary="提交申请（幂等）",
        description="请求头 Idempotency-Key 必填；用同一个值重试，返回同一件办件，不会重复提交。",
        parameters=[ID, IDEMPOTENCY_KEY],
        request=None,
        responses={200: CaseDetailOutput},
    )
    def post(self, request, pk: int):
        key = request.headers.get("Idempotency-Key", "")
        if not key:
            raise ValidationError({"Idempotency-Key": ["请在请求头中提供 Idempotency-Key"]})
        case = services.case_submit(case=self.case(pk), actor=request.user, idempotency_key=key)
        return self.detail(case)


@extend_schema(tags=[TAG])
class CasePrecheckView(_CaseView):
    @extend_schema(
        summary="预审（逐项结果，一次性告知）",
        parameters=[ID],
        request=CasePrecheckInput,
        responses={200: CaseDetailOutput},
    )
    def post(self, request, pk: int):
        case = self.case(pk)
        data = self.parse(CasePrecheckInput)
        results = [
            {**row, "material": self.material(case, row["material"], "results")}
            for row in data["results"]
        ]
        case = services.case_precheck(
            case=case, results=results, actor=request.user, reply_days=data.get("reply_days")
        )
        return self.detail(case)


@extend_schema(tags=[TAG])
class CaseAcceptView(_CaseView):
    @extend_schema(
        summary="受理决定（受理、容缺受理、一次性告知、不予受理）",
        parameters=[ID],
        request=CaseAcceptInput,
        responses={200: CaseDetailOutput},
    )
    def post(self, request, pk: int):
        case = self.case(pk)
        data = self.parse(CaseAcceptInput)
        materials = [
            {**row, "material": self.material(case, row["material"])}
            for row in data.get("materials", [])
        ]
        deficiencies = [
            {
                "material": self.material(case, row["material"], "deficiencies"),
                "due_on": row["due_on"],
            }
            for row in data.get("deficiencies", [])
        ]
        case = services.case_accept(
            case=case,
            window=self.window(data["window"]),
            decision=data["decision"],
            actor=request.user,
            materials=materials,
            deficiencies=deficiencies,
            reason=data.get("reason", ""),
            basis=data.get("basis", ""),
        )
        return self.detail(case)


@extend_schema(tags=[TAG])
class CaseTaskListView(generics.GenericAPIView, _CaseView):
    queryset = CaseTask.objects.none()
    serializer_class = CaseTaskOutput
    pagination_class = KeysetPagination
    keyset_name = "cases.tasks"

    @extend_schema(
        summary="待办任务（我的、本单位、辖区）",
        parameters=[CaseTaskQuery],
        responses={200: CaseTaskOutput(many=True)},
    )
    def get(self, request):
        query = CaseTaskQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)
        scope = params.pop("scope", "mine")
        qs = selectors.worklist(request.user, scope=scope, filters=params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(CaseTaskOutput(page, many=True).data)


class _TaskView(_CaseView):
    def scope_check(self, pk: int) -> None:
        self.task(pk)

    def task(self, pk: int) -> CaseTask:
        task = CaseTask.objects.select_related("case").filter(pk=pk).first()
        if task is None:
            from django.http import Http404

            raise Http404("任务不存在")
        self.case(task.case_id)  # scope check
        return task


@extend_schema(tags=[TAG])
class CaseTaskClaimView(_TaskView):
    @extend_schema(
        summary="认领任务", parameters=[TASK_ID], request=None, responses={200: CaseTaskOutput}
    )
    def post(self, request, pk: int):
        task = services.task_claim(task=self.task(pk), actor=request.user)
        task = selectors.worklist(request.user, scope="mine").filter(pk=task.pk).first() or task
        return Response(CaseTaskOutput(task).data)


@extend_schema(tags=[TAG])
class CaseTaskActView(_TaskView):
    @extend_schema(
        summary="办理任务（同意、退回、要求补正、转交、填写意见）",
        parameters=[TASK_ID],
        request=CaseTaskActInput,
        responses={200: CaseTaskOutput},
    )
    def post(self, request, pk: int):
        task = self.task(pk)
        data = self.parse(CaseTaskActInput)
        to_unit = None
        if data.get("to_unit"):
            to_unit = OrgUnit.objects.filter(pk=data["to_unit"]).first()
            if to_unit is None:
                raise ValidationError({"to_unit": ["没有这个单位"]})
        result = services.task_act(
            task=task,
            action=data["action"],
            actor=request.user,
            opinion=data.get("opinion", ""),
            to_unit=to_unit,
            basis=data.get("basis", ""),
        )
        result = CaseTask.objects.select_related(
            "case__applicant", "case__implementation_item__base_item", "unit", "assignee"
        ).get(pk=result.pk)
        return Response(CaseTaskOutput(result).data)


@extend_schema(tags=[TAG])
class CaseClockStopView(_CaseView):
    @extend_schema(
        summary="暂停计时",
        parameters=[ID],
        request=CaseClockStopInput,
        responses={200: CaseDetailOutput},
    )
    def post(self, request, pk: int):
        data = self.parse(CaseClockStopInput)
        case = services.clock_stop(
            case=self.case(pk), reason=data["reason"], note=data.get("note", ""), actor=request.user
        )
        return self.detail(case)


@extend_schema(tags=[TAG])
class CaseClockRestartView(_CaseView):
    @extend_schema(
        summary="恢复计时", parameters=[ID], request=None, responses={200: CaseDetailOutput}
    )
    def post(self, request, pk: int):
        case = services.clock_restart(case=self.case(pk), actor=request.user)
        return self.detail(case)


@extend_schema(tags=[TAG])
class CaseExtensionView(_CaseView):
    @extend_schema(
        summary="批准延期（批准人须与申请人不同）",
        parameters=[ID],
        request=CaseExtensionInput,
        responses={200: CaseDetailOutput},
    )
    def post(self, request, pk: int):
        data = self.parse(CaseExtensionInput)
        requested_by = User.objects.filter(pk=data["requested_by"], is_active=True).first()
        if requested_by is None:
            raise ValidationError({"requested_by": ["没有这名工作人员"]})
        case = services.case_extend(
            case=self.case(pk),
            days=data["days"],
            reason=data["reason"],
            requested_by=requested_by,
            actor=request.user,
        )
        return self.detail(case)


@extend_schema(tags=[TAG])
class CaseConclusionView(_CaseView):
    @extend_schema(
        summary="办结（准予或不予准予）",
        parameters=[ID],
        request=CaseConclusionInput,
        responses={200: CaseDetailOutput},
    )
    def post(self, request, pk: int):
        data = self.parse(CaseConclusionInput)
        licence = (
            {"valid_until": data["licence_valid_until"]}
            if data.get("licence_valid_until")
            else None
        )
        case = services.case_conclude(
            case=self.case(pk),
            decision=data["decision"],
            reason=data.get("reason", ""),
            basis=data.get("basis", ""),
            actor=request.user,
            licence=licence,
        )
        return self.detail(case)


@extend_schema(tags=[TAG])
class CaseDeliveryView(_CaseView):
    @extend_schema(
        summary="出件（窗口领取、邮寄、电子送达）",
        parameters=[ID],
        request=CaseDeliveryInput,
        responses={200: CaseDetailOutput},
    )
    def post(self, request, pk: int):
        data = self.parse(CaseDeliveryInput)
        case = services.case_deliver(
            case=self.case(pk),
            method=data["method"],
            actor=request.user,
            window=self.window(data.get("window")),
            tracking_number=data.get("tracking_number", ""),
            address=data.get("address", ""),
            recipient_name=data.get("recipient_name", ""),
        )
        return self.detail(case)


@extend_schema(tags=[TAG])
class CaseVisitView(_CaseView):
    @extend_schema(
        summary="登记到现场",
        parameters=[ID],
        request=CaseVisitInput,
        responses={201: CaseDetailOutput},
    )
    def post(self, request, pk: int):
        data = self.parse(CaseVisitInput)
        case = self.case(pk)
        services.visit_record(
            case=case,
            purpose=data["purpose"],
            actor=request.user,
            window=self.window(data.get("window")),
        )
        return Response(CaseDetailOutput(self.case(pk)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class CaseTimelineView(_CaseView):
    @extend_schema(
        summary="办件记录（时间线）", parameters=[ID], responses={200: CaseEventOutput(many=True)}
    )
    def get(self, request, pk: int):
        events = selectors.case_timeline(self.case(pk))
        return Response(CaseEventOutput(events, many=True).data)


@extend_schema(tags=[TAG])
class CaseReceiptView(_CaseView):
    # JSON first: errors (and clients that send no Accept) get problem+json.
    renderer_classes = [JSONRenderer, PDFDownloadRenderer]

    @extend_schema(
        summary="受理回执（PDF）",
        parameters=[ID],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF")
        },
    )
    def get(self, request, pk: int):
        case = self.case(pk)
        try:
            pdf = documents.receipt_pdf(case, base_url=request.build_absolute_uri("/"))
        except ValueError:
            raise DjangoValidationError({"case": "办件尚未受理，没有受理回执"}) from None
        return file_response(pdf, f"receipt-{case.number}.pdf", "application/pdf", nosniff=False)


@extend_schema(tags=[TAG])
class CaseOverdueView(generics.GenericAPIView, _CaseView):
    queryset = Case.objects.none()
    serializer_class = CaseSummaryOutput
    pagination_class = KeysetPagination
    keyset_name = "cases.overdue"

    @extend_schema(summary="超期办件（管辖范围内）", responses={200: CaseSummaryOutput(many=True)})
    def get(self, request):
        page = self.paginate_queryset(selectors.overdue_cases(request.user))
        return self.get_paginated_response(CaseSummaryOutput(page, many=True).data)
