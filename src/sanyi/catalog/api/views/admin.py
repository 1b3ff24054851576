"""Admin writing: drafts, review, publication, new drafts and cancellation, for catalogue
admins in scope.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.catalog import services
from sanyi.catalog.admin_selectors import is_catalog_admin, version_findings
from sanyi.catalog.api.serializers import (
    CatalogCancelInput,
    CatalogCancelOutput,
    CatalogItemCreateInput,
    CatalogLintOutput,
    CatalogNewDraftInput,
    CatalogPublishInput,
    CatalogReviewInput,
    CatalogReviewOutput,
    CatalogVersionOutput,
    CatalogVersionUpdateInput,
)
from sanyi.catalog.api.views.shaping import (
    CODE,
    TAG_ADMIN,
    VERSION_ID,
    _guide_problem,
    _parse,
    version_data,
    version_summary,
)
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.guide import GuideInvalid
from sanyi.catalog.lint import Severity
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.catalog.selectors import (
    version_detail,
)
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role


class _AdminView(APIView):
    permission_classes = [IsAuthenticated]
    # Guides are nested lists; only JSON carries them faithfully.
    parser_classes = [JSONParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if not is_catalog_admin(request.user):
            raise PermissionDenied("只有事项管理员可以维护政务服务事项")
        # Scope before input: a draft out of scope is a 404 and an item out of scope a 403
        # whatever the body holds, so a refusal never depends on getting the body right.
        if "pk" in kwargs:
            unit = self.version(kwargs["pk"]).implementation_item.implementing_unit
        elif "implementation_code" in kwargs:
            unit = _item_or_404(kwargs["implementation_code"]).implementing_unit
        else:
            return
        if not has_role(request.user, Role.CATALOG_ADMIN, unit):
            raise PermissionDenied("该事项的实施单位不在您的管理范围内")

    def version(self, pk: int) -> ItemVersion:
        try:
            return version_detail(viewer=self.request.user, pk=pk)
        except ItemVersion.DoesNotExist:
            raise Http404 from None

    def reloaded(self, version: ItemVersion) -> dict:
        return version_data(version_detail(viewer=self.request.user, pk=version.pk))


@extend_schema(
    tags=[TAG_ADMIN],
    summary="新建事项（草稿）",
    description=(
        "在自己管理的单位下新建实施清单事项及其第1版草稿。编码按编码规则生成；"
        "指南内容可以先空着，之后修改。"
    ),
    request=CatalogItemCreateInput,
    responses={201: CatalogVersionOutput},
)
class CatalogDraftCreateView(_AdminView):
    def post(self, request):
        data = _parse(CatalogItemCreateInput, request.data)
        unit = OrgUnit.objects.filter(pk=data["implementing_unit"], is_active=True).first()
        if unit is None:
            raise ValidationError(
                {"implementing_unit": [f"找不到编号为 {data['implementing_unit']} 的现有单位"]}
            )
        try:
            version = services.item_create(
                actor=request.user,
                name=data["name"],
                item_type=data["item_type"],
                implementing_unit=unit,
                level=data["level"],
                power_source=data["power_source"],
                implementer_nature=data["implementer_nature"],
                entrusting_body=data["entrusting_body"],
                base_code=data["base_code"] or None,
                guide=data.get("guide") or {},
                change_note=data["change_note"],
            )
        except GuideInvalid as exc:
            raise _guide_problem(exc) from None
        return Response(
            CatalogVersionOutput(self.reloaded(version)).data, status=status.HTTP_201_CREATED
        )


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_ADMIN],
        summary="一个版本",
        description="版本的状态和全部指南内容。草稿和待审核的版本只有管理该事项的事项管理员能看到。",
        parameters=[VERSION_ID],
        responses={200: CatalogVersionOutput},
    ),
    patch=extend_schema(
        tags=[TAG_ADMIN],
        summary="修改草稿",
        description="只改给出的键；列表（材料、流程……）整体替换。只有草稿能改。",
        parameters=[VERSION_ID],
        request=CatalogVersionUpdateInput,
        responses={200: CatalogVersionOutput},
    ),
)
class CatalogVersionView(_AdminView):
    permission_classes = [AllowAny]

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [IsAuthenticated()]
        return [AllowAny()]

    def get(self, request, pk: int):
        data = version_data(self.version(pk), handbook=request.user.is_authenticated)
        return Response(CatalogVersionOutput(data).data)

    def patch(self, request, pk: int):
        version = self.version(pk)
        data = _parse(CatalogVersionUpdateInput, request.data)
        try:
            version = services.item_version_update(
                actor=request.user,
                version=version,
                guide=data.get("guide") or {},
                change_note=data.get("change_note"),
            )
        except GuideInvalid as exc:
            raise _guide_problem(exc) from None
        return Response(CatalogVersionOutput(self.reloaded(version)).data)


@extend_schema(
    tags=[TAG_ADMIN],
    summary="提交审核",
    description="把草稿交给另一位事项管理员审核。质量检查有错误时不能提交。",
    parameters=[VERSION_ID],
    request=None,
    responses={200: CatalogVersionOutput},
)
class CatalogVersionSubmitView(_AdminView):
    def post(self, request, pk: int):
        version = services.item_version_submit(actor=request.user, version=self.version(pk))
        return Response(CatalogVersionOutput(self.reloaded(version)).data)


@extend_schema(
    tags=[TAG_ADMIN],
    summary="审核（四眼原则）",
    description="第二位事项管理员通过或退回待审核的版本；编写人和提交人不能审核自己的版本，退回须写审核意见。",
    parameters=[VERSION_ID],
    request=CatalogReviewInput,
    responses={200: CatalogReviewOutput},
)
class CatalogVersionReviewView(_AdminView):
    def post(self, request, pk: int):
        data = _parse(CatalogReviewInput, request.data)
        review = services.item_version_review(
            actor=request.user,
            version=self.version(pk),
            approve=data["approve"],
            comment=data["comment"],
        )
        version = ItemVersion.objects.get(pk=review.version_id)
        return Response(
            CatalogReviewOutput(
                {
                    "id": review.pk,
                    "approved": review.approved,
                    "comment": review.comment,
                    "reviewer": request.user.get_username(),
                    "created_at": review.created_at,
                    "version": version_summary(version),
                }
            ).data
        )


@extend_schema(
    tags=[TAG_ADMIN],
    summary="发布",
    description="发布审核通过的版本，原来施行的版本随即被替代。发布即生效，生效日期不能晚于今天。",
    parameters=[VERSION_ID],
    request=CatalogPublishInput,
    responses={200: CatalogVersionOutput},
)
class CatalogVersionPublishView(_AdminView):
    def post(self, request, pk: int):
        data = _parse(CatalogPublishInput, request.data)
        version = services.item_version_publish(
            actor=request.user, version=self.version(pk), effective_on=data["effective_on"]
        )
        return Response(CatalogVersionOutput(self.reloaded(version)).data)


@extend_schema(
    tags=[TAG_ADMIN],
    summary="质量检查结果",
    description="按指南质量规则（L001…）检查一个版本；错误会阻止提交和发布。",
    parameters=[VERSION_ID],
    responses={200: CatalogLintOutput},
)
class CatalogVersionLintView(_AdminView):
    permission_classes = [AllowAny]

    def get(self, request, pk: int):
        findings = version_findings(self.version(pk))
        errors = sum(f.severity == Severity.ERROR for f in findings)
        data = {
            "version_id": pk,
            "errors": errors,
            "warnings": len(findings) - errors,
            "findings": [f.as_dict() for f in findings],
        }
        return Response(CatalogLintOutput(data).data)


def _item_or_404(implementation_code: str) -> ImplementationItem:
    # Codes are public facts (their published guides are); whether the caller may change
    # the item is the service's decision (403), not hidden behind a 404.
    item = (
        ImplementationItem.objects.select_related("implementing_unit")
        .filter(implementation_code=implementation_code)
        .first()
    )
    if item is None:
        raise Http404
    return item


@extend_schema(
    tags=[TAG_ADMIN],
    summary="新建草稿版本",
    description="复制已发布的版本作为新的草稿，用来修改正在施行的指南。",
    parameters=[CODE],
    request=CatalogNewDraftInput,
    responses={201: CatalogVersionOutput},
)
class CatalogNewDraftView(_AdminView):
    def post(self, request, implementation_code: str):
        data = _parse(CatalogNewDraftInput, request.data)
        draft = services.item_version_new_draft(
            actor=request.user,
            implementation_item=_item_or_404(implementation_code),
            change_note=data["change_note"],
        )
        return Response(
            CatalogVersionOutput(self.reloaded(draft)).data, status=status.HTTP_201_CREATED
        )


@extend_schema(
    tags=[TAG_ADMIN],
    summary="取消事项",
    description="在取消日期停止施行：日期已到则立即取消，否则在公开的指南上公告取消日期，到期自动取消。",
    parameters=[CODE],
    request=CatalogCancelInput,
    responses={200: CatalogCancelOutput},
)
class CatalogCancelView(_AdminView):
    def post(self, request, implementation_code: str):
        data = _parse(CatalogCancelInput, request.data)
        item = services.item_cancel(
            actor=request.user,
            implementation_item=_item_or_404(implementation_code),
            planned_cancel_on=data["planned_cancel_on"],
            reason=data["reason"],
        )
        cancelled = not item.versions.filter(
            status__in=[VersionStatus.PUBLISHED, VersionStatus.DRAFT, VersionStatus.IN_REVIEW]
        ).exists()
        return Response(
            CatalogCancelOutput(
                {
                    "implementation_code": item.implementation_code,
                    "planned_cancel_on": data["planned_cancel_on"],
                    "cancelled": cancelled,
                }
            ).data
        )
