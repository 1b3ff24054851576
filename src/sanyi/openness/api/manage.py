"""Staff endpoints under /api/v1/openness/manage/: directory entries, the negative list and
publications, with the publication workflow as POST actions.

Disclosure officers and supervisors read what lies in their org subtree; anything outside
it does not exist for them (404). Every write goes through ``openness.services``, which
checks the disclosure officer role, the status and the four-eyes rule again; their
``ValidationError``/``PermissionDenied`` become problem+json responses in Chinese.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.core.numbers import parse_id
from sanyi.core.pagination import KeysetPagination
from sanyi.openness import selectors, services
from sanyi.openness.api.serializers import (
    OpennessAttachmentInput,
    OpennessDirectoryEntryInput,
    OpennessDirectoryEntryOutput,
    OpennessDirectoryEntryUpdateInput,
    OpennessInterpretationInput,
    OpennessNegativeEntryInput,
    OpennessNegativeEntryOutput,
    OpennessNegativeEntryUpdateInput,
    OpennessPublicationInput,
    OpennessPublicationStaffOutput,
    OpennessPublicationStaffQuery,
    OpennessPublicationUpdateInput,
    OpennessPublishInput,
    OpennessReviewInput,
    OpennessRevokeInput,
    OpennessStaffInterpretationOutput,
    OpennessValidityInput,
)
from sanyi.openness.models import Area, DirectoryEntry, NegativeListEntry, Publication
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role, scope_paths

TAG = "政务公开维护"
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="编号")


class _StaffView(APIView):
    """Signed-in disclosure officers and supervisors only; JSON bodies."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.is_openness_staff(request.user):
            raise PermissionDenied("只有政务公开专员和监督人员可以使用政务公开维护接口")

    def parse(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def unit_in_scope(self, pk: int, field: str) -> OrgUnit:
        unit = selectors.openness_units(viewer=self.request.user).filter(pk=pk).first()
        if unit is None:
            raise ValidationError({field: [f"找不到编号为 {pk} 的单位，或它不在您的管辖范围内"]})
        return unit

    @staticmethod
    def area(code: str | None, field: str = "area") -> Area | None:
        if not code:
            return None
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise ValidationError({field: [f"没有编号为“{code}”的公开领域"]})
        return area


class _StaffList(generics.GenericAPIView, _StaffView):
    """A paginated list (limit/offset) for the staff endpoints."""

    # The publication list pages by seeking instead (its own pagination_class).

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Creating needs an officer; supervisors only read (refused before the body).
        if request.method not in SAFE_METHODS and not scope_paths(
            request.user, Role.DISCLOSURE_OFFICER
        ):
            raise PermissionDenied("只有政务公开专员可以新建")

    def page(self, queryset, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)


# --- directory entries ---------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="公开目录事项（管辖范围内）",
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT, description="公开主体（含下级单位）"),
            OpenApiParameter("level", OpenApiTypes.STR, description="公开层级代码"),
            OpenApiParameter("area", OpenApiTypes.STR, description="公开领域编号"),
        ],
        responses={200: OpennessDirectoryEntryOutput(many=True)},
    ),
    post=extend_schema(
        tags=[TAG],
        summary="新增公开目录事项",
        request=OpennessDirectoryEntryInput,
        responses={201: OpennessDirectoryEntryOutput},
    ),
)
class OpennessDirectoryEntryListView(_StaffList):
    queryset = DirectoryEntry.objects.none()
    serializer_class = OpennessDirectoryEntryOutput

    def get(self, request):
        params = request.query_params
        unit = None
        if params.get("unit"):
            unit_id = parse_id(params["unit"], label="公开主体编号", param="unit")
            unit = self.unit_in_scope(unit_id, "unit")
        filters = selectors.DirectoryFilters(
            unit=unit, level=params.get("level", ""), area=self.area(params.get("area"))
        )
        qs = selectors.directory_entry_list(viewer=request.user, filters=filters)
        return self.page(qs, OpennessDirectoryEntryOutput)

    def post(self, request):
        data = self.parse(OpennessDirectoryEntryInput)
        org_unit = self.unit_in_scope(data.pop("org_unit"), "org_unit")
        area = self.area(data.pop("area"))
        entry = services.directory_entry_create(
            actor=request.user, org_unit=org_unit, area=area, **data
        )
        return Response(OpennessDirectoryEntryOutput(entry).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="一个公开目录事项",
        parameters=[ID],
        responses={200: OpennessDirectoryEntryOutput},
    ),
    patch=extend_schema(
        tags=[TAG],
        summary="修改公开目录事项",
        description="只改给出的键；公开主体不能改。",
        parameters=[ID],
        request=OpennessDirectoryEntryUpdateInput,
        responses={200: OpennessDirectoryEntryOutput},
    ),
)
class OpennessDirectoryEntryDetailView(_StaffView):
    def entry(self, pk: int) -> DirectoryEntry:
        try:
            return selectors.directory_entry_get(viewer=self.request.user, pk=pk)
        except DirectoryEntry.DoesNotExist:
            raise Http404 from None

    def get(self, request, pk: int):
        return Response(OpennessDirectoryEntryOutput(self.entry(pk)).data)

    def patch(self, request, pk: int):
        entry = self.entry(pk)
        data = self.parse(OpennessDirectoryEntryUpdateInput, partial=True)
        if "area" in data:
            data["area"] = self.area(data["area"])
        entry = services.directory_entry_update(actor=request.user, entry=entry, **data)
        return Response(OpennessDirectoryEntryOutput(self.entry(entry.pk)).data)


# --- negative list ------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="负面清单（管辖范围内）",
        responses={200: OpennessNegativeEntryOutput(many=True)},
    ),
    post=extend_schema(
        tags=[TAG],
        summary="新增负面清单事项",
        request=OpennessNegativeEntryInput,
        responses={201: OpennessNegativeEntryOutput},
    ),
)
class OpennessNegativeEntryListView(_StaffList):
    queryset = NegativeListEntry.objects.none()
    serializer_class = OpennessNegativeEntryOutput

    def get(self, request):
        qs = selectors.negative_entry_list(viewer=request.user)
        return self.page(qs, OpennessNegativeEntryOutput)

    def post(self, request):
        data = self.parse(OpennessNegativeEntryInput)
        org_unit = self.unit_in_scope(data.pop("org_unit"), "org_unit")
        data["area"] = self.area(data.get("area"))
        item = services.negative_entry_create(actor=request.user, org_unit=org_unit, **data)
        return Response(OpennessNegativeEntryOutput(item).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="一个负面清单事项",
        parameters=[ID],
        responses={200: OpennessNegativeEntryOutput},
    ),
    patch=extend_schema(
        tags=[TAG],
        summary="修改负面清单事项",
        parameters=[ID],
        request=OpennessNegativeEntryUpdateInput,
        responses={200: OpennessNegativeEntryOutput},
    ),
)
class OpennessNegativeEntryDetailView(_StaffView):
    def item(self, pk: int) -> NegativeListEntry:
        try:
            return selectors.negative_entry_get(viewer=self.request.user, pk=pk)
        except NegativeListEntry.DoesNotExist:
            raise Http404 from None

    def get(self, request, pk: int):
        return Response(OpennessNegativeEntryOutput(self.item(pk)).data)

    def patch(self, request, pk: int):
        item = self.item(pk)
        data = self.parse(OpennessNegativeEntryUpdateInput, partial=True)
        if "area" in data:
            data["area"] = self.area(data["area"])
        item = services.negative_entry_update(actor=request.user, item=item, **data)
        return Response(OpennessNegativeEntryOutput(self.item(item.pk)).data)


# --- publications ---------------------------------------------------------------------------


def _links(data: dict) -> dict:
    """Directory and negative-list entries named by id, as objects."""
    if data.get("directory_entry") is not None:
        entry = DirectoryEntry.objects.filter(pk=data["directory_entry"]).first()
        if entry is None:
            raise ValidationError({"directory_entry": ["没有这个公开目录事项"]})
        data["directory_entry"] = entry
    if data.get("negative_entry") is not None:
        item = NegativeListEntry.objects.filter(pk=data["negative_entry"]).first()
        if item is None:
            raise ValidationError({"negative_entry": ["没有这个负面清单事项"]})
        data["negative_entry"] = item
    return data


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="政府信息（管辖范围内，各种状态）",
        description="草稿、审查中、已发布、已撤销……全部状态，按最近修改排列。",
        parameters=[OpennessPublicationStaffQuery],
        responses={200: OpennessPublicationStaffOutput(many=True)},
    ),
    post=extend_schema(
        tags=[TAG],
        summary="起草政府信息",
        description="新建草稿。公开属性在起草时确定；正文是 HTML，保存时清理。",
        request=OpennessPublicationInput,
        responses={201: OpennessPublicationStaffOutput},
    ),
)
class OpennessPublicationStaffListView(_StaffList):
    queryset = Publication.objects.none()
    serializer_class = OpennessPublicationStaffOutput
    pagination_class = KeysetPagination
    keyset_name = "openness.staff"

    def get(self, request):
        query = OpennessPublicationStaffQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        entry = None
        if params.get("entry"):
            entry = DirectoryEntry.objects.filter(pk=params["entry"]).first()
            if entry is None:
                raise ValidationError({"entry": ["没有这个公开目录事项"]})
        filters = selectors.StaffPublicationFilters(
            status=params.get("status", ""),
            unit=self.unit_in_scope(params["unit"], "unit") if params.get("unit") else None,
            area=self.area(params.get("area")),
            entry=entry,
            topic=params.get("topic", ""),
            document_kind=params.get("document_kind", ""),
            year=params.get("year"),
            text=params.get("q", ""),
        )
        qs = selectors.publication_list(viewer=request.user, filters=filters).select_related(
            "created_by", "submitted_by", "reviewed_by"
        )
        return self.page(qs.prefetch_related("attachments"), OpennessPublicationStaffOutput)

    def post(self, request):
        data = _links(self.parse(OpennessPublicationInput))
        publisher = self.unit_in_scope(data.pop("publisher"), "publisher")
        pub = services.publication_create(actor=request.user, publisher=publisher, **data)
        return Response(
            OpennessPublicationStaffOutput(_reloaded(request, pub)).data,
            status=status.HTTP_201_CREATED,
        )


def _reloaded(request, pub: Publication) -> Publication:
    return selectors.publication_staff_get(viewer=request.user, pk=pub.pk)


class _PublicationView(_StaffView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Scope (404) and the officer role on the publisher (403) before the body is read.
        pub = self.publication(kwargs["pk"])
        if request.method not in SAFE_METHODS and not has_role(
            request.user, Role.DISCLOSURE_OFFICER, pub.publisher
        ):
            raise PermissionDenied("只有发布单位的政务公开专员可以办理")

    def publication(self, pk: int) -> Publication:
        try:
            return selectors.publication_staff_get(viewer=self.request.user, pk=pk)
        except Publication.DoesNotExist:
            raise Http404 from None

    def done(self, pub: Publication) -> Response:
        return Response(OpennessPublicationStaffOutput(_reloaded(self.request, pub)).data)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="一条政府信息（任何状态）",
        parameters=[ID],
        responses={200: OpennessPublicationStaffOutput},
    ),
    patch=extend_schema(
        tags=[TAG],
        summary="修改草稿",
        description="只有草稿（含退回修改的）能改；只改给出的键。",
        parameters=[ID],
        request=OpennessPublicationUpdateInput,
        responses={200: OpennessPublicationStaffOutput},
    ),
)
class OpennessPublicationStaffDetailView(_PublicationView):
    def get(self, request, pk: int):
        return self.done(self.publication(pk))

    def patch(self, request, pk: int):
        pub = self.publication(pk)
        data = _links(self.parse(OpennessPublicationUpdateInput, partial=True))
        return self.done(services.publication_update(actor=request.user, publication=pub, **data))


@extend_schema(
    tags=[TAG],
    summary="提交保密审查",
    parameters=[ID],
    request=None,
    responses={200: OpennessPublicationStaffOutput},
)
class OpennessPublicationSubmitView(_PublicationView):
    def post(self, request, pk: int):
        pub = services.publication_submit(actor=request.user, publication=self.publication(pk))
        return self.done(pub)


@extend_schema(
    tags=[TAG],
    summary="保密审查（另一名专员）",
    description="起草人和提交人以外的另一名政务公开专员通过或退回；退回须写审查意见。",
    parameters=[ID],
    request=OpennessReviewInput,
    responses={200: OpennessPublicationStaffOutput},
)
class OpennessPublicationReviewView(_PublicationView):
    def post(self, request, pk: int):
        data = self.parse(OpennessReviewInput)
        pub = services.publication_review(
            actor=request.user,
            publication=self.publication(pk),
            approve=data["approve"],
            comment=data["comment"],
        )
        return self.done(pub)


@extend_schema(
    tags=[TAG],
    summary="发布或定时发布",
    description="审查通过的主动公开信息：不给时间或时间已过则立即发布，否则到时自动公开。",
    parameters=[ID],
    request=OpennessPublishInput,
    responses={200: OpennessPublicationStaffOutput},
)
class OpennessPublicationPublishView(_PublicationView):
    def post(self, request, pk: int):
        data = self.parse(OpennessPublishInput)
        pub = services.publication_publish(
            actor=request.user, publication=self.publication(pk), at=data["at"]
        )
        return self.done(pub)


@extend_schema(
    tags=[TAG],
    summary="撤销",
    description="从所有公开页面撤下已发布或定时发布的信息，须写明原因。",
    parameters=[ID],
    request=OpennessRevokeInput,
    responses={200: OpennessPublicationStaffOutput},
)
class OpennessPublicationRevokeView(_PublicationView):
    def post(self, request, pk: int):
        data = self.parse(OpennessRevokeInput)
        pub = services.publication_revoke(
            actor=request.user, publication=self.publication(pk), reason=data["reason"]
        )
        return self.done(pub)


@extend_schema(
    tags=[TAG],
    summary="变更有效性",
    description="标记失效或废止（须给日期），或恢复有效。",
    parameters=[ID],
    request=OpennessValidityInput,
    responses={200: OpennessPublicationStaffOutput},
)
class OpennessPublicationValidityView(_PublicationView):
    def post(self, request, pk: int):
        data = self.parse(OpennessValidityInput)
        pub = services.publication_validity_set(
            actor=request.user,
            publication=self.publication(pk),
            validity=data["validity"],
            on=data["on"],
        )
        return self.done(pub)


@extend_schema(
    tags=[TAG],
    summary="上传附件",
    description="给草稿添加附件（multipart/form-data，字段 file）。",
    parameters=[ID],
    request={"multipart/form-data": OpennessAttachmentInput},
    responses={201: OpennessPublicationStaffOutput},
)
class OpennessPublicationAttachmentView(_PublicationView):
    parser_classes = [MultiPartParser]

    def post(self, request, pk: int):
        data = self.parse(OpennessAttachmentInput)
        pub = self.publication(pk)
        services.publication_attachment_add(
            actor=request.user, publication=pub, uploaded=data["file"]
        )
        return Response(
            OpennessPublicationStaffOutput(_reloaded(request, pub)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(
    tags=[TAG],
    summary="添加政策解读",
    description=(
        "文字、图片或视频解读；图片解读用 multipart/form-data 上传 picture。"
        "上传视频（video，MP4 或 WebM，按内容识别）须同时上传 captions（WebVTT 字幕）、"
        "poster（JPG/PNG 封面）并填写 transcript（文字稿），且只能在草稿状态上传。"
    ),
    parameters=[ID],
    request={
        "application/json": OpennessInterpretationInput,
        "multipart/form-data": OpennessInterpretationInput,
    },
    responses={201: OpennessStaffInterpretationOutput},
)
class OpennessPublicationInterpretationView(_PublicationView):
    parser_classes = [JSONParser, MultiPartParser]

    def post(self, request, pk: int):
        data = self.parse(OpennessInterpretationInput)
        upload = [data.pop(key) for key in ("video", "captions", "poster", "transcript")]
        item = services.interpretation_create(
            actor=request.user,
            policy=self.publication(pk),
            video=services.VideoUpload(*upload) if upload[0] else None,
            **data,
        )
        return Response(
            OpennessStaffInterpretationOutput(item).data, status=status.HTTP_201_CREATED
        )
