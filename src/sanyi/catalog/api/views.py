"""Catalogue endpoints under /api/v1/catalog/.

Reading published items, their version history and diffs, search and life events is
public. Writing (drafts, review, publication, new drafts, cancellation) is for catalogue
admins in scope and goes through ``catalog.services``, which check the role, the status and
the four-eyes rule; their ``ValidationError``/``PermissionDenied`` become problems. A
draft outside the caller's scope does not exist for them (404); a published item outside
it can be read but not changed (403).
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.catalog import services
from sanyi.catalog.admin_selectors import is_catalog_admin, version_findings
from sanyi.catalog.api.filters import CatalogItemFilter
from sanyi.catalog.api.selectors import public_life_events, published_items
from sanyi.catalog.api.serializers import (
    CatalogCancelInput,
    CatalogCancelOutput,
    CatalogDiffQuery,
    CatalogItemCreateInput,
    CatalogItemDetailOutput,
    CatalogItemSummaryOutput,
    CatalogLifeEventDetailOutput,
    CatalogLifeEventOutput,
    CatalogLintOutput,
    CatalogNewDraftInput,
    CatalogPublishInput,
    CatalogReductionQuery,
    CatalogReductionReportOutput,
    CatalogReviewInput,
    CatalogReviewOutput,
    CatalogVersionDiffOutput,
    CatalogVersionOutput,
    CatalogVersionSummaryOutput,
    CatalogVersionUpdateInput,
    plain,
)
from sanyi.catalog.choices import ItemLevel, ItemType, VersionStatus
from sanyi.catalog.guide import GuideInvalid, guide_of, versions_with_children
from sanyi.catalog.lint import Severity
from sanyi.catalog.models import ImplementationItem, ItemVersion, LifeEvent
from sanyi.catalog.public import public_life_event
from sanyi.catalog.reports import reduction_report
from sanyi.catalog.selectors import (
    life_event_merged_guide,
    version_detail,
    version_diff,
    visible_versions,
)
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role

TAG_PUBLIC = "政务服务事项"
TAG_ADMIN = "政务服务事项维护"
CODE = OpenApiParameter(
    "implementation_code", OpenApiTypes.STR, OpenApiParameter.PATH, description="实施编码"
)
VERSION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="版本编号")
EVENT_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="“一件事”编号"
)


# --- shaping ------------------------------------------------------------------------------------


def _unit(unit: OrgUnit | None) -> dict | None:
    return {"id": unit.pk, "name": unit.name} if unit is not None else None


def _limit(version: ItemVersion, key: str) -> dict:
    return {
        "value": getattr(version, f"{key}_value"),
        "unit": getattr(version, f"{key}_unit"),
        "note": getattr(version, f"{key}_note"),
    }


def item_summary(version: ItemVersion) -> dict:
    item = version.implementation_item
    return {
        "implementation_code": item.implementation_code,
        "base_code": item.base_item.base_code,
        "name": item.base_item.name,
        "item_type": item.base_item.item_type,
        "item_type_display": ItemType(item.base_item.item_type).label,
        "level": item.level,
        "level_display": ItemLevel(item.level).label,
        "implementing_unit": _unit(item.implementing_unit),
        "version_id": version.pk,
        "version_number": version.number,
        "effective_on": version.effective_on,
        "published_at": version.published_at,
        "handling_type": version.handling_type,
        "visits": version.visits,
        "statutory_limit": _limit(version, "statutory_limit"),
        "promised_limit": _limit(version, "promised_limit"),
    }


def version_data(version: ItemVersion) -> dict:
    """A version loaded with ``versions_with_children``."""
    item = version.implementation_item
    return {
        "id": version.pk,
        "implementation_code": item.implementation_code,
        "base_code": item.base_item.base_code,
        "name": item.base_item.name,
        "item_type": item.base_item.item_type,
        "implementing_unit": _unit(item.implementing_unit),
        "number": version.number,
        "status": version.status,
        "status_display": VersionStatus(version.status).label,
        "approved": version.reviewed_by_id is not None,
        "change_note": version.change_note,
        "created_by": version.created_by_label,
        "created_at": version.created_at,
        "submitted_at": version.submitted_at,
        "reviewed_at": version.reviewed_at,
        "published_at": version.published_at,
        "effective_on": version.effective_on,
        "guide": guide_of(version),
    }


def version_summary(version: ItemVersion) -> dict:
    return {
        "id": version.pk,
        "number": version.number,
        "status": version.status,
        "status_display": VersionStatus(version.status).label,
        "change_note": version.change_note,
        "created_at": version.created_at,
        "published_at": version.published_at,
        "effective_on": version.effective_on,
    }


def _guide_problem(exc: GuideInvalid, prefix: str = "guide") -> ValidationError:
    """clean_guide's paths (``materials[2].name``) as the API's dotted field names."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        path = error.path.replace("[", ".").replace("]", "")
        field = f"{prefix}.{path}" if path else prefix
        errors.setdefault(field, []).append(error.message)
    return ValidationError(errors)


def _parse(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return plain(serializer.validated_data)


# --- public reading -------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_PUBLIC],
        summary="已发布的事项",
        description="正在施行的办事指南，每个实施编码一条，按基本编码排列，分页返回。",
    )
)
class CatalogItemListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = CatalogItemSummaryOutput
    filterset_class = CatalogItemFilter

    def get_queryset(self):
        return published_items(viewer=self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = CatalogItemSummaryOutput([item_summary(v) for v in page], many=True).data
        return self.get_paginated_response(data)


def _published_or_404(viewer, implementation_code: str) -> ItemVersion:
    version = (
        versions_with_children(published_items(viewer=viewer))
        .select_related("implementation_item__delegated_from")
        .prefetch_related("implementation_item__life_events")
        .filter(implementation_item__implementation_code=implementation_code)
        .first()
    )
    if version is None:
        raise Http404
    return version


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="事项详情（办事指南）",
    description="实施编码对应的正在施行的办事指南：申请材料、办理流程、收费、依据等全部要素。",
    parameters=[CODE],
    responses={200: CatalogItemDetailOutput},
)
class CatalogItemDetailView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, implementation_code: str):
        version = _published_or_404(request.user, implementation_code)
        item = version.implementation_item
        data = {
            **item_summary(version),
            "power_source": item.power_source,
            "implementer_nature": item.implementer_nature,
            "entrusting_body": item.entrusting_body,
            "delegated_from": _unit(item.delegated_from),
            "planned_cancel_on": version.planned_cancel_on,
            "life_events": [
                {"id": e.pk, "name": e.name}
                for e in sorted(item.life_events.all(), key=lambda e: (e.sort_order, e.name))
            ],
            "guide": guide_of(version),
        }
        return Response(CatalogItemDetailOutput(data).data)


def _versions_or_404(viewer, implementation_code: str) -> list[ItemVersion]:
    versions = list(
        visible_versions(viewer)
        .filter(implementation_item__implementation_code=implementation_code)
        .order_by("number")
    )
    if not versions:
        raise Http404
    return versions


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="事项的全部版本",
    description=(
        "一个实施编码的全部版本，从旧到新：已发布、已被替代和已取消的版本公开；"
        "草稿和待审核的版本只有管理该事项的事项管理员能看到。"
    ),
    parameters=[CODE],
    responses={200: CatalogVersionSummaryOutput(many=True)},
)
class CatalogItemVersionsView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, implementation_code: str):
        versions = _versions_or_404(request.user, implementation_code)
        return Response(
            CatalogVersionSummaryOutput([version_summary(v) for v in versions], many=True).data
        )


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="两个版本的差别",
    description="逐个字段比较两个版本，并列出申请材料、流程、收费、依据、业务办理项的新增、删除和修改。",
    parameters=[CODE, CatalogDiffQuery],
    responses={200: CatalogVersionDiffOutput},
)
class CatalogItemDiffView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, implementation_code: str):
        query = _parse(CatalogDiffQuery, request.query_params)
        versions = {v.number: v for v in _versions_or_404(request.user, implementation_code)}
        new_number = query.get("new", max(versions))
        if new_number not in versions:
            raise ValidationError({"new": [f"没有第{new_number}版"]})
        old_number = query.get("old")
        if old_number is None:
            earlier = [n for n in versions if n < new_number]
            old_number = max(earlier) if earlier else None
        elif old_number not in versions:
            raise ValidationError({"old": [f"没有第{old_number}版"]})
        diff = version_diff(
            viewer=request.user,
            old=versions[old_number] if old_number is not None else None,
            new=versions[new_number],
        )
        data = {"implementation_code": implementation_code, **diff.as_dict()}
        return Response(CatalogVersionDiffOutput(data).data)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG_PUBLIC],
        summary="“一件事”列表",
        description="一件事一次办：把一个人生事件要办的几个事项合在一起。只列有已发布事项的。",
    )
)
class CatalogLifeEventListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = CatalogLifeEventOutput

    def get_queryset(self):
        return public_life_events()


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="“一件事”详情（合并指南）",
    description="包含的事项，以及合并后的受理条件和申请材料：同一份材料只列一次，并写明哪些事项需要它。",
    parameters=[EVENT_ID],
    responses={200: CatalogLifeEventDetailOutput},
)
class CatalogLifeEventDetailView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, pk: int):
        try:
            event = public_life_event(pk=pk)
        except LifeEvent.DoesNotExist:
            raise Http404 from None
        merged = life_event_merged_guide(event)
        data = {
            "id": event.pk,
            "name": event.name,
            "description": event.description,
            "audience": event.audience,
            "item_count": len(merged.items),
            "items": [item_summary(v) for v in merged.items],
            "conditions": [
                {"text": e.text, "items": e.items, "detail": e.detail} for e in merged.conditions
            ],
            "materials": [
                {"text": e.text, "items": e.items, "detail": e.detail} for e in merged.materials
            ],
        }
        return Response(CatalogLifeEventDetailOutput(data).data)


@extend_schema(
    tags=[TAG_PUBLIC],
    summary="减材料、减时限、减跑动报告",
    description="已发布事项的统计：材料、时限、跑动次数、即办件，总体并按事项类型、实施主体和层级分列。",
    parameters=[CatalogReductionQuery],
    responses={200: CatalogReductionReportOutput},
)
class CatalogReductionReportView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        query = _parse(CatalogReductionQuery, request.query_params)
        unit = None
        if query.get("unit"):
            unit = OrgUnit.objects.filter(pk=query["unit"]).first()
            if unit is None:
                raise ValidationError({"unit": [f"找不到编号为 {query['unit']} 的单位"]})
        report = reduction_report(viewer=request.user, unit=unit, level=query.get("level"))
        return Response(CatalogReductionReportOutput(report.as_dict()).data)


# --- admin writing -------------------------------------------------------------------------------


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
        return Response(CatalogVersionOutput(version_data(self.version(pk))).data)

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
