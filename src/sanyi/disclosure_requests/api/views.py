"""Requests for information under /api/v1/disclosure-requests/.

Staff (disclosure officers and supervisors) read the requests of the agencies in their org
subtree, ordered by due date; anything outside it is a 404. Actions are POST endpoints that
call ``disclosure_requests.services``, which check the disclosure officer role and the
rules again; their errors become problem+json responses in Chinese. Applicants look up
their own request with the number and the query code (rate-limited per address).
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.core.pdf import PDFDownloadRenderer
from sanyi.core.responses import file_response, stored_file_response
from sanyi.core.throttles import PublicFormThrottle
from sanyi.disclosure_requests import selectors, services
from sanyi.disclosure_requests.api import serializers as s
from sanyi.disclosure_requests.models import Appeal, InfoRequest
from sanyi.orgs.models import User
from sanyi.orgs.permissions import scope_paths

TAG = "政府信息公开申请"
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="申请编号（id）")
# JSON first: errors (and clients that send no Accept) get problem+json.
PDF_RENDERERS = [JSONRenderer, PDFDownloadRenderer]
# The files are PDFs, not JSON: the media type in the key is what the schema documents.
PDF = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="答复书 PDF")}
NOTICE_PDF = {
    (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="告知书 PDF")
}


def _is_request_staff(user) -> bool:
    return bool(scope_paths(user, selectors.READ_ROLES))


def _require_actor(user, obj: InfoRequest) -> None:
    # Before the body is read: a supervisor (who reads) is refused, not told the input is
    # incomplete.
    if not selectors.can_act(user, obj):
        raise PermissionDenied("您可以查看这件申请，但不能办理")


class _StaffView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not _is_request_staff(request.user):
            raise PermissionDenied("只有政务公开专员和监督人员可以使用政府信息公开申请接口")

    def parse(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def info_request(self, pk: int) -> InfoRequest:
        obj = selectors.request_get(viewer=self.request.user, pk=pk)
        if obj is None:
            raise Http404("没有这件申请，或它不在您的管辖范围内")
        return obj

    def detail(self, pk: int) -> Response:
        obj = selectors.request_get(viewer=self.request.user, pk=pk)
        return Response(s.DisclosureRequestDetailOutput(obj).data)


@extend_schema(
    tags=[TAG],
    summary="政府信息公开申请列表（管辖范围内，按答复期限排序）",
    parameters=[s.DisclosureRequestQuery],
    responses={200: s.DisclosureRequestOutput(many=True)},
)
class DisclosureRequestListView(generics.GenericAPIView, _StaffView):
    serializer_class = s.DisclosureRequestOutput
    queryset = InfoRequest.objects.none()

    def get(self, request):
        query = s.DisclosureRequestQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        p = query.validated_data
        filters = selectors.RequestFilters(
            status=p.get("status", ""),
            agency_id=p.get("agency"),
            channel=p.get("channel", ""),
            overdue=p.get("overdue"),
            due_before=p.get("due_before"),
            open_only=p.get("open", False),
        )
        qs = selectors.request_list(viewer=request.user, filters=filters)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.DisclosureRequestOutput(page, many=True).data)


@extend_schema(
    tags=[TAG],
    summary="一件政府信息公开申请（含计时、办理记录、复议诉讼）",
    parameters=[ID],
    responses={200: s.DisclosureRequestDetailOutput},
)
class DisclosureRequestDetailView(_StaffView):
    def get(self, request, pk: int):
        self.info_request(pk)
        return self.detail(pk)


@extend_schema(tags=[TAG], summary="下载答复书", parameters=[ID], responses=PDF)
class DisclosureRequestLetterView(_StaffView):
    renderer_classes = PDF_RENDERERS

    def get(self, request, pk: int):
        obj = self.info_request(pk)
        return _letter_response(obj)


@extend_schema(
    tags=[TAG],
    summary="下载告知书（补正、延期、收费）",
    parameters=[
        ID,
        OpenApiParameter(
            "notice_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="告知书编号"
        ),
    ],
    responses=NOTICE_PDF,
)
class DisclosureRequestNoticeView(_StaffView):
    renderer_classes = PDF_RENDERERS

    def get(self, request, pk: int, notice_id: int):
        obj = self.info_request(pk)
        return _notice_response(obj, notice_id)


@extend_schema(
    tags=[TAG],
    summary="下载答复所附文件",
    parameters=[
        ID,
        OpenApiParameter(
            "file_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="文件编号"
        ),
    ],
    responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
)
class DisclosureRequestReplyFileView(_StaffView):
    """Officers and supervisors in scope; each download leaves an audit row."""

    def get(self, request, pk: int, file_id: int):
        item = selectors.reply_file_get(self.info_request(pk), file_id)
        if item is None:
            raise Http404("没有这个文件")
        services.request_file_download(actor=request.user, item=item)
        return stored_file_response(item.file, item.name, item.content_type)


def _notice_response(obj: InfoRequest, notice_id: int) -> FileResponse:
    notice = obj.notices.filter(pk=notice_id).first()
    if notice is None:
        raise Http404("没有这份告知书")
    return file_response(
        notice.file.open("rb"),
        f"{obj.number}-{notice.get_kind_display()}.pdf",
        "application/pdf",
        nosniff=False,
    )


def _letter_response(obj: InfoRequest) -> FileResponse:
    if not obj.reply_letter:
        raise Http404("这件申请还没有答复书")
    return file_response(
        obj.reply_letter.open("rb"), f"{obj.number}-答复书.pdf", "application/pdf", nosniff=False
    )


class _ActionView(_StaffView):
    input_class: type = s.DisclosureRequestOnInput

    def post(self, request, pk: int):
        obj = self.info_request(pk)
        _require_actor(request.user, obj)
        self.act(obj, self.parse(self.input_class))
        return self.detail(pk)

    def act(self, obj: InfoRequest, data: dict) -> None:
        raise NotImplementedError


def _user_in(field: str, pk: int) -> User:
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationError({field: [f"没有编号为 {pk} 的工作人员"]})
    return user


def _action(name: str, summary: str, input_class, act, description: str = "", parsers=None):
    attrs = {
        "input_class": input_class,
        "act": lambda self, obj, data: act(self.request, obj, data),
    }
    if parsers:
        attrs["parser_classes"] = parsers
    view = type(f"DisclosureRequest{name}View", (_ActionView,), attrs)
    return extend_schema(
        tags=[TAG],
        summary=summary,
        description=description,
        parameters=[ID],
        request=input_class,
        responses={200: s.DisclosureRequestDetailOutput},
    )(view)


ACTIONS = {
    "confirm": _action(
        "Confirm", "确认收到网上申请", s.DisclosureRequestOnInput,
        lambda r, obj, d: services.request_confirm(actor=r.user, request=obj, on=d["on"]),
        "确认之日即收到申请之日（条例第三十一条），开始计算答复期限。",
    ),
    "correction-notice": _action(
        "CorrectionNotice", "发出补正通知", s.DisclosureRequestCorrectionNoticeInput,
        lambda r, obj, d: services.request_correction_notice(
            actor=r.user, request=obj, what=d["what"], due_on=d["due_on"], on=d["on"]
        ),
        "收到申请之日起7个工作日内一次性告知，只能发一次。",
    ),
    "correction-received": _action(
        "CorrectionReceived", "登记收到补正", s.DisclosureRequestNoteInput,
        lambda r, obj, d: services.request_correction_received(
            actor=r.user, request=obj, note=d["note"], on=d["on"]
        ),
        "答复期限自收到补正之日起重新计算；超过补正期限的须写明正当理由。",
    ),
    "consultation-start": _action(
        "ConsultationStart", "开始征求第三方意见", s.DisclosureRequestConsultationStartInput,
        lambda r, obj, d: services.request_consultation_start(actor=r.user, request=obj, **d),
        "第三方自收到征求意见书之日起有15个工作日提出意见（条例第三十二条），"
        "发出至答复（最长到这15个工作日届满）的时间不计算在答复期限内。",
    ),
    "agency-consultation-start": _action(
        "AgencyConsultationStart", "开始征求其他机关意见",
        s.DisclosureRequestAgencyConsultationStartInput,
        lambda r, obj, d: services.request_agency_consultation_start(
            actor=r.user, request=obj, **d
        ),
        "条例第三十三条第三款：征求其他机关意见所需时间不计算在答复期限内，直到登记其答复。",
    ),
    "agency-consultation-end": _action(
        "AgencyConsultationEnd", "登记其他机关意见",
        s.DisclosureRequestAgencyConsultationEndInput,
        lambda r, obj, d: services.request_agency_consultation_end(
            actor=r.user, request=obj, **d
        ),
    ),
    "consultation-end": _action(
        "ConsultationEnd", "结束征求第三方意见", s.DisclosureRequestNoteInput,
        lambda r, obj, d: services.request_consultation_end(
            actor=r.user, request=obj, note=d["note"], on=d["on"]
        ),
    ),
    "extend": _action(
        "Extend", "延长答复期限", s.DisclosureRequestExtendInput,
        lambda r, obj, d: services.request_extend(
            actor=r.user, request=obj, days=d["days"], reason=d["reason"],
            approver=_user_in("approver", d["approver"]), on=d["on"],
        ),
        "只能延长一次，最长20个工作日，须由另一位工作人员批准，并告知申请人。",
    ),
    "fee-notice": _action(
        "FeeNotice", "发出收费通知", s.DisclosureRequestFeeNoticeInput,
        lambda r, obj, d: services.request_fee_notice(
            actor=r.user, request=obj, method=d["method"], pages=d["pages"],
            due_on=d["due_on"], on=d["on"],
        ),
    ),
    "fee-paid": _action(
        "FeePaid", "登记缴费", s.DisclosureRequestOnInput,
        lambda r, obj, d: services.request_fee_paid(actor=r.user, request=obj, on=d["on"]),
    ),
    "reply": _action(
        "Reply", "答复申请", s.DisclosureRequestReplyInput,
        lambda r, obj, d: services.request_reply(
            actor=r.user, request=obj, outcome=d["outcome"], text=d["text"],
            legal_basis=d["legal_basis"], referral=d["referral"], method=d["method"],
            on_spot=d["on_spot"], on=d["on"],
            carriers=services.Carriers(
                files=d["files"], publications=d["publications"],
                paper_method=d["paper_method"], paper_on=d["paper_on"],
                paper_note=d["paper_note"],
            ),
        ),
        "按年度报告的办理结果分类答复，生成答复书（PDF）。予以公开、部分公开的，须附上信息："
        "上传文件（multipart/form-data 的 files）、已公开信息编号（publications）或纸质送达"
        "（paper_method、paper_on），至少一种。",
        parsers=[JSONParser, MultiPartParser],
    ),
    "assign": _action(
        "Assign", "指定承办人", s.DisclosureRequestAssignInput,
        lambda r, obj, d: services.request_assign(
            actor=r.user, request=obj, officer=_user_in("officer", d["officer"])
        ),
    ),
    "withdraw": _action(
        "Withdraw", "登记申请人撤回申请", s.DisclosureRequestWithdrawInput,
        lambda r, obj, d: services.request_withdraw(
            actor=r.user, request=obj, reason=d["reason"], on=d["on"]
        ),
    ),
    "appeals": _action(
        "Appeal", "登记行政复议或行政诉讼", s.DisclosureAppealInput,
        lambda r, obj, d: services.appeal_record(actor=r.user, request=obj, **d),
    ),
}  # fmt: skip


@extend_schema(
    tags=[TAG],
    summary="登记复议或诉讼的审结结果",
    parameters=[
        OpenApiParameter(
            "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="复议诉讼记录编号"
        )
    ],
    request=s.DisclosureAppealConcludeInput,
    responses={200: s.DisclosureAppealOutput},
)
class DisclosureAppealConcludeView(_StaffView):
    def post(self, request, pk: int):
        appeal = Appeal.objects.filter(pk=pk).select_related("request").first()
        if (
            appeal is None
            or selectors.request_get(viewer=request.user, pk=appeal.request_id) is None
        ):
            raise Http404("没有这条复议或诉讼记录，或它不在您的管辖范围内")
        _require_actor(request.user, appeal.request)
        appeal = services.appeal_conclude(
            actor=request.user, appeal=appeal, **self.parse(s.DisclosureAppealConcludeInput)
        )
        return Response(s.DisclosureAppealOutput(appeal).data)


class _TrackView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [JSONParser]
    throttle_classes = [PublicFormThrottle]

    input_class: type = s.DisclosureRequestTrackInput

    def found(self) -> InfoRequest:
        data = self.input_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        self.lookup = dict(data.validated_data)
        obj = selectors.request_track(number=self.lookup["number"], code=self.lookup["code"])
        if obj is None:
            raise Http404("申请编号或查询码不正确")
        return obj


@extend_schema(
    tags=[TAG],
    summary="申请人查询办理进度",
    description="凭申请编号和查询码查询自己的申请；按访问地址限制查询频率。",
    request=s.DisclosureRequestTrackInput,
    responses={200: s.DisclosureRequestTrackOutput},
)
class DisclosureRequestTrackView(_TrackView):
    def post(self, request):
        return Response(s.DisclosureRequestTrackOutput(self.found()).data)


@extend_schema(
    tags=[TAG],
    summary="申请人下载答复书",
    request=s.DisclosureRequestTrackInput,
    responses=PDF,
)
class DisclosureRequestTrackLetterView(_TrackView):
    renderer_classes = PDF_RENDERERS

    def post(self, request):
        return _letter_response(self.found())


@extend_schema(
    tags=[TAG],
    summary="申请人下载告知书",
    request=s.DisclosureRequestTrackNoticeInput,
    responses=NOTICE_PDF,
)
class DisclosureRequestTrackNoticeView(_TrackView):
    renderer_classes = PDF_RENDERERS

    input_class = s.DisclosureRequestTrackNoticeInput

    def post(self, request):
        obj = self.found()
        return _notice_response(obj, self.lookup["notice"])
