"""Serializers of the annual-report API (unique names for the OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers

from sanyi.annual_reports.choices import ReportScope, ReportStatus
from sanyi.core.numbers import IdQueryField


class AnnualReportSummaryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    org_unit = serializers.IntegerField(source="org_unit_id", help_text="报告单位编号")
    org_unit_name = serializers.CharField(source="org_unit.name")
    year = serializers.IntegerField()
    revision = serializers.IntegerField(help_text="版本（修订版从2起）")
    scope = serializers.ChoiceField(choices=ReportScope.choices)
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    issued_at = serializers.DateTimeField(allow_null=True)
    title = serializers.CharField()


class AnnualReportCheckOutput(serializers.Serializer):
    cells = serializers.ListField(child=serializers.CharField(), help_text="涉及的单元格编码")
    message = serializers.CharField(help_text="检查结果（中文，写明单元格）")


class AnnualReportChecksOutput(serializers.Serializer):
    passed = serializers.BooleanField()
    failures = AnnualReportCheckOutput(many=True)


class AnnualReportSectionsOutput(serializers.Serializer):
    overview = serializers.CharField(help_text="一、总体情况")
    problems = serializers.CharField(help_text="五、存在的主要问题及改进情况")
    other_matters = serializers.CharField(help_text="六、其他需要报告的事项")


class AnnualReportDocumentOutput(serializers.Serializer):
    title = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    revision = serializers.IntegerField()
    revision_reason = serializers.CharField()
    issued_at = serializers.CharField(allow_null=True)
    period_note = serializers.CharField(help_text="统计期间与范围；本年度的报告写明截至日期")
    sections = AnnualReportSectionsOutput()
    data = serializers.JSONField(
        help_text=(
            "统计结果：cells 为各单元格数字，编码如 s3.concluded_total.commercial"
            "（三、（七）总计·商业企业），见 docs/openness-annual-report.md；figures 为第二部分"
            "办件数字的来源（system 系统统计、manual 手工填写、missing 缺失）"
        )
    )
    cell_labels = serializers.DictField(
        child=serializers.CharField(),
        help_text=(
            "各单元格编码的中文名称，如 s3.concluded_total.commercial → 三、（七）总计 · 商业企业"
        ),
    )
    checks = AnnualReportChecksOutput()


class AnnualReportDetailOutput(AnnualReportSummaryOutput):
    document = AnnualReportDocumentOutput()


def _year(**kwargs) -> serializers.IntegerField:
    message = "年度（year）应为2008到2100之间的年份"
    return serializers.IntegerField(
        min_value=2008,
        max_value=2100,
        help_text="年度",
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        **kwargs,
    )


class AnnualReportCreateInput(serializers.Serializer):
    org_unit = IdQueryField(label="报告单位编号", param="org_unit")
    year = _year()
    scope = serializers.ChoiceField(choices=ReportScope.choices, default=ReportScope.SUBTREE)


class AnnualReportComputeInput(serializers.Serializer):
    org_unit = IdQueryField(label="单位编号", param="org_unit")
    year = _year()
    scope = serializers.ChoiceField(choices=ReportScope.choices, default=ReportScope.SUBTREE)


class AnnualReportListQuery(serializers.Serializer):
    year = _year(required=False)
    status = serializers.ChoiceField(choices=ReportStatus.choices, required=False)
