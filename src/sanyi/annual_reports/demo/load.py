"""The annual-report part of the demo: the district's reports, computed from the demo
publications and requests for information (this part runs after theirs).

* the current year: a draft that aggregates the district's subtree, with its text written
  and the case figures entered by hand (until the cases app provides them); it passes its
  checks and shows figures "as of today";
* the year before: the same, issued, so the portal shows a report and staff see a frozen
  one. If last year's figures fail a check it stays a draft, and the demo says why.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from sanyi.annual_reports import services
from sanyi.annual_reports.choices import ReportScope, ReportStatus
from sanyi.annual_reports.models import AnnualReport
from sanyi.annual_reports.selectors import report_document
from sanyi.core.demo import DemoResult
from sanyi.orgs.demo import DISTRICT_NAME
from sanyi.orgs.models import OrgUnit

HAND_FIGURES = {
    "licensing": ("186", "演示数据：据区政务服务中心业务系统统计"),
    "penalty": ("42", "演示数据：据区市场监管、综合执法部门报送汇总"),
    "compulsory": ("3", "演示数据：据区市场监管、综合执法部门报送汇总"),
    "fees": ("12.36", "演示数据：据区财政局非税收入系统统计"),
}


def _texts(year: int) -> dict[str, str]:
    return {
        "overview": (
            f"{year}年，示范区坚持以公开为常态、不公开为例外，围绕基层政务公开标准化规范化，"
            "推进决策、执行、管理、服务、结果公开。\n"
            "主动公开方面，依托区政府门户网站“政务公开”专栏，按区、街道、社区三级公开标准"
            "目录公开政府信息；依申请公开方面，统一受理渠道，严格按照法定期限答复；"
            "政府信息管理方面，落实公开前保密审查，及时清理失效文件；平台建设方面，"
            "完善政务公开专区和便民服务站查阅点；监督保障方面，将政务公开纳入年度考核。"
        ),
        "problems": (
            "一是部分基层单位公开内容更新不够及时；二是政策解读形式还不够丰富。\n"
            "下一步，我区将加强公开时限提醒和督促，增加图文、视频解读，"
            "进一步提升政务公开的标准化、规范化水平。"
        ),
        "other_matters": (
            "本年度依申请公开未收取信息处理费。本报告中的统计数据为演示数据，"
            "不代表任何真实政府机构。"
        ),
    }


def _figures() -> dict[str, dict[str, str]]:
    return {key: {"value": value, "note": note} for key, (value, note) in HAND_FIGURES.items()}


def is_loaded() -> bool:
    return AnnualReport.objects.filter(org_unit__name=DISTRICT_NAME).exists()


def _draft(*, actor, district: OrgUnit, year: int) -> AnnualReport:
    report = services.annual_report_create(
        actor=actor, org_unit=district, year=year, scope=ReportScope.SUBTREE
    )
    return services.annual_report_update(
        actor=actor, report=report, figures=_figures(), **_texts(year)
    )


def load(*, actor, rng) -> DemoResult:
    district = OrgUnit.objects.get(name=DISTRICT_NAME, parent__isnull=True)
    this_year = timezone.localdate().year
    result = DemoResult()
    current = _draft(actor=actor, district=district, year=this_year)
    doc = report_document(current)
    counted = doc.data["cells"]["s3.new.total"] + doc.data["cells"]["s3.carried_in.total"]
    result.notes.append(
        f"{district.name}{this_year}年年度报告（草稿，截至今天，汇总全区）："
        f"{counted}件申请，数据检查{'全部通过' if doc.ok else '有未通过项'}"
    )
    for failure in doc.failures:
        result.notes.append(f"  检查未通过：{failure.message}")
    last = _draft(actor=actor, district=district, year=this_year - 1)
    try:
        services.annual_report_issue(actor=actor, report=last)
    except ValidationError as exc:
        result.notes.append(f"{this_year - 1}年年度报告保留为草稿：" + "；".join(exc.messages))
    else:
        last.refresh_from_db()
        result.notes.append(f"{this_year - 1}年年度报告已发布，门户网站“政务公开”可查看")
    issued = AnnualReport.objects.filter(status=ReportStatus.ISSUED).count()
    result.summary = f"政府信息公开年度报告：{this_year}年草稿1份，已发布{issued}份"
    return result
