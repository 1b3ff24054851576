"""Annual-report API under /api/v1/annual-reports/: list, detail, compute, create, issue.

Scoped like the staff pages: disclosure officers and supervisors see the reports of their
units and below; only officers create and issue. A report outside the caller's scope is a
404 problem.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.annual_reports import services
from sanyi.annual_reports.api.serializers import (
    AnnualReportComputeInput,
    AnnualReportCreateInput,
    AnnualReportDetailOutput,
    AnnualReportDocumentOutput,
    AnnualReportListQuery,
    AnnualReportSummaryOutput,
)
from sanyi.annual_reports.models import AnnualReport
from sanyi.annual_reports.selectors import (
    READ_ROLES,
    adhoc_document,
    annual_report_get,
    annual_report_list,
    can_read,
    report_document,
)
from sanyi.orgs.models import OrgUnit
from sanyi.orgs.permissions import scope_paths

TAG = "政府信息公开年度报告"
REPORT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="报告编号")


def _require_reader(user) -> None:
    if not scope_paths(user, READ_ROLES):
        raise PermissionDenied("只有政务公开工作人员和监督人员可以查看年度报告")


def _detail(report: AnnualReport) -> dict:
    doc = report_document(report)
    return {
        "id": report.pk,
        "org_unit_id": report.org_unit_id,
        "org_unit": report.org_unit,
        "year": report.year,
        "revision": report.revision,
        "scope": report.scope,
        "status": report.status,
        "issued_at": report.issued_at,
        "title": report.title,
        "document": doc.as_dict(),
    }


class _ReportView(APIView):
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _require_reader(request.user)

    def report(self, pk: int) -> AnnualReport:
        try:
            return annual_report_get(viewer=self.request.user, pk=pk)
        except AnnualReport.DoesNotExist:
            raise Http404("年度报告不存在或不在您的管理范围内") from None


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="年度报告列表",
        description="本人管理或监督范围内各单位的年度报告（含草稿），按年度倒序。",
        parameters=[AnnualReportListQuery],
    ),
    post=extend_schema(
        tags=[TAG],
        summary="新建年度报告（草稿）",
        description="政务公开工作人员为本单位或下级单位新建某年度的报告草稿；每个单位每年一份。",
        request=AnnualReportCreateInput,
        responses={201: AnnualReportDetailOutput},
    ),
)
class AnnualReportListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = AnnualReportSummaryOutput

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _require_reader(request.user)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AnnualReport.objects.none()
        query = AnnualReportListQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return annual_report_list(
            viewer=self.request.user,
            year=query.validated_data.get("year"),
            status=query.validated_data.get("status", ""),
        )

    def post(self, request):
        data = AnnualReportCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit = OrgUnit.objects.filter(pk=data.validated_data["org_unit"]).first()
        if unit is None or not can_read(request.user, unit):
            raise Http404("单位不存在或不在您的管理范围内")
        report = services.annual_report_create(
            actor=request.user,
            org_unit=unit,
            year=data.validated_data["year"],
            scope=data.validated_data["scope"],
        )
        report = annual_report_get(viewer=request.user, pk=report.pk)
        return Response(
            AnnualReportDetailOutput(_detail(report)).data, status=status.HTTP_201_CREATED
        )


@extend_schema(
    tags=[TAG],
    summary="一份年度报告",
    description=(
        "报告正文、全部统计数字和数据检查结果。草稿的数字按最新数据统计；"
        "已发布的报告给出发布时固定下来的数字。"
    ),
    parameters=[REPORT_ID],
    responses={200: AnnualReportDetailOutput},
)
class AnnualReportDetailView(_ReportView):
    def get(self, request, pk: int):
        return Response(AnnualReportDetailOutput(_detail(self.report(pk))).data)


@extend_schema(
    tags=[TAG],
    summary="按现有数据统计（不保存）",
    description="为范围内的单位统计某年度报告的全部数字并做数据检查，不新建报告。",
    request=AnnualReportComputeInput,
    responses={200: AnnualReportDocumentOutput},
)
class AnnualReportComputeView(_ReportView):
    def post(self, request):
        data = AnnualReportComputeInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit = OrgUnit.objects.filter(pk=data.validated_data["org_unit"]).first()
        if unit is None or not can_read(request.user, unit):
            raise Http404("单位不存在或不在您的管理范围内")
        doc = adhoc_document(
            unit=unit, year=data.validated_data["year"], scope=data.validated_data["scope"]
        )
        return Response(AnnualReportDocumentOutput(doc.as_dict()).data)


@extend_schema(
    tags=[TAG],
    summary="发布年度报告",
    description=(
        "数据检查全部通过、年度已经结束、正文已填写时发布草稿；发布后数字固定。"
        "检查未通过时返回 400，逐项写明未通过的单元格。"
    ),
    parameters=[REPORT_ID],
    request=None,
    responses={200: AnnualReportDetailOutput},
)
class AnnualReportIssueView(_ReportView):
    def post(self, request, pk: int):
        report = services.annual_report_issue(actor=request.user, report=self.report(pk))
        report = annual_report_get(viewer=request.user, pk=report.pk)
        return Response(AnnualReportDetailOutput(_detail(report)).data)
