"""Staff pages (list, create, edit, checks, issue, revise, downloads) and the public pages."""

import datetime as dt

import pytest
from django.urls import reverse

from sanyi.annual_reports import services
from sanyi.annual_reports.choices import ReportStatus
from sanyi.annual_reports.models import AnnualReport
from sanyi.annual_reports.tests import factories as f
from sanyi.core.tests.error_summary import assert_error_summary
from sanyi.disclosure_requests.choices import Outcome as O

D = dt.date


def _url(name, *args):
    return reverse(f"workbench:annual_reports:{name}", args=args)


def test_the_list_shows_reports_in_scope_with_a_bounded_query_count(
    client, org_tree, django_assert_max_num_queries
):
    for year in (2023, 2024, 2025):
        f.draft(org_tree["district"], year=year)
        f.draft(org_tree["sub1"], year=year)
    f.draft(org_tree["other_district"], year=2025)
    client.force_login(org_tree["officer"])
    with django_assert_max_num_queries(12):
        response = client.get(_url("list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(org_tree["sub1"].name) >= 3
    assert org_tree["other_district"].name not in html.split("已有的报告")[1]
    assert "新建草稿" in html


def test_a_supervisor_reads_but_cannot_create_and_a_clerk_is_refused(client, org_tree):
    report = f.draft(org_tree["district"], year=2025)
    client.force_login(org_tree["supervisor"])
    assert "新建草稿" not in client.get(_url("list")).content.decode()
    page = client.get(_url("detail", report.pk)).content.decode()
    assert "发布报告" not in page and "编辑正文" not in page
    assert client.get(_url("edit", report.pk)).status_code == 403
    assert client.post(_url("issue", report.pk)).status_code == 403
    client.force_login(org_tree["clerk"])
    assert client.get(_url("list")).status_code == 403
    client.force_login(org_tree["outsider"])
    assert client.get(_url("detail", report.pk)).status_code == 404


def test_an_officer_creates_edits_and_sees_the_checks(client, org_tree):
    client.force_login(org_tree["officer"])
    response = client.post(
        _url("create"), {"org_unit": org_tree["district"].pk, "year": 2025, "scope": "subtree"}
    )
    report = AnnualReport.objects.get(org_unit=org_tree["district"], year=2025)
    assert response.status_code == 302 and response["Location"] == _url("detail", report.pk)
    page = client.get(_url("detail", report.pk)).content.decode()
    assert "有4项检查未通过" in page
    assert "二、第二十条第（五）项 · 行政许可 本年处理决定数量：没有系统统计数" in page
    assert 'class="num cell-error" data-cell="s2.licensing"' in page
    edit_page = client.get(_url("edit", report.pk)).content.decode()
    assert "系统统计数：没有" in edit_page
    data = {
        "scope": "subtree",
        "overview": "总体情况。",
        "problems": "问题与改进。",
        "other_matters": "",
        "notes": "",
        "figure_licensing": "12",
        "note_licensing": "",
        "figure_penalty": "",
        "note_penalty": "",
        "figure_compulsory": "",
        "note_compulsory": "",
        "figure_fees": "",
        "note_fees": "",
    }
    response = client.post(_url("edit", report.pk), data)
    assert response.status_code == 400
    assert "行政许可：手工填写的数字须注明数据来源" in response.content.decode()
    assert_error_summary(response, {"id_figure_licensing": "须注明数据来源"})
    data.update(
        note_licensing="业务系统", figure_penalty="1", note_penalty="报送",
        figure_compulsory="0", note_compulsory="报送", figure_fees="0.5", note_fees="财政",
    )  # fmt: skip
    assert client.post(_url("edit", report.pk), data).status_code == 302
    page = client.get(_url("detail", report.pk)).content.decode()
    assert "全部检查通过" in page
    assert "行政许可（第二十条第（五）项）数字为手工填写（业务系统）" in page
    response = client.post(_url("issue", report.pk), follow=True)
    assert "年度报告已发布" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.ISSUED


def test_issue_is_refused_on_the_page_with_the_failing_cell(client, org_tree):
    f.info_request(
        org_tree["district"], column="legal_service", received=D(2026, 1, 5),
        concluded=D(2025, 12, 30), outcome=O.DISCLOSE,
    )  # fmt: skip
    report = f.draft(org_tree["district"], year=2025)
    client.force_login(org_tree["officer"])
    response = client.post(_url("issue", report.pk), follow=True)
    html = response.content.decode()
    assert "三、（七）总计 + 四、结转下年度继续办理 · 法律服务机构" in html
    assert 'class="num cell-error" data-cell="s3.concluded_total.legal_service"' in html
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_revise_from_the_page(client, org_tree):
    report = f.draft(org_tree["district"], year=2025)
    services.annual_report_issue(actor=org_tree["officer"], report=report)
    client.force_login(org_tree["officer"])
    assert client.get(_url("edit", report.pk)).status_code == 302
    response = client.post(_url("revise", report.pk), {"reason": "更正错字"})
    revision = AnnualReport.objects.get(org_unit=org_tree["district"], year=2025, revision=2)
    assert response["Location"] == _url("detail", revision.pk)
    page = client.get(_url("detail", revision.pk)).content.decode()
    assert "第2版" in page and "更正错字" in page


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("json", "application/json"),
        ("html", "text/html"),
        ("xlsx", "application/vnd.openxmlformats"),
        ("pdf", "application/pdf"),
    ],
)
def test_downloads(client, org_tree, fmt, content_type):
    report = f.draft(org_tree["district"], year=2025)
    client.force_login(org_tree["supervisor"])
    response = client.get(_url("download", report.pk, fmt))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    assert client.get(_url("download", report.pk, "doc")).status_code == 404


def test_the_workbench_tile_shows_for_officers(client, org_tree):
    client.force_login(org_tree["officer"])
    assert _url("list") in client.get(reverse("workbench:home")).content.decode()
    client.force_login(org_tree["clerk"])
    assert _url("list") not in client.get(reverse("workbench:home")).content.decode()


def test_public_pages_show_only_issued_reports(client, org_tree, django_assert_max_num_queries):
    issued = f.draft(org_tree["district"], year=2025)
    services.annual_report_issue(actor=org_tree["officer"], report=issued)
    draft = f.draft(org_tree["sub1"], year=2025)
    with django_assert_max_num_queries(6):
        listing = client.get(reverse("openness:annual_reports:list"))
    html = listing.content.decode()
    assert issued.title in html and draft.title not in html
    detail = client.get(reverse("openness:annual_reports:detail", args=[issued.pk]))
    assert detail.status_code == 200
    assert "三、收到和处理政府信息公开申请情况" in detail.content.decode()
    assert client.get(reverse("openness:annual_reports:detail", args=[draft.pk])).status_code == 404
    pdf = client.get(reverse("openness:annual_reports:pdf", args=[issued.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("openness:annual_reports:pdf", args=[draft.pk])).status_code == 404
    # A superseded revision leaves the portal once its successor is issued.
    revision = services.annual_report_revise(
        actor=org_tree["officer"], report=issued, reason="更正"
    )
    assert (
        client.get(reverse("openness:annual_reports:detail", args=[issued.pk])).status_code == 200
    )
    services.annual_report_issue(actor=org_tree["officer"], report=revision)
    assert (
        client.get(reverse("openness:annual_reports:detail", args=[issued.pk])).status_code == 404
    )
    assert (
        client.get(reverse("openness:annual_reports:detail", args=[revision.pk])).status_code == 200
    )


def test_discarding_a_draft_needs_a_confirmation(client, org_tree):
    report = f.draft(org_tree["district"], year=2025)
    client.force_login(org_tree["officer"])
    client.post(_url("discard", report.pk))
    assert AnnualReport.objects.filter(pk=report.pk).exists()
    response = client.post(_url("discard", report.pk), {"confirm": "yes"})
    assert response["Location"] == _url("list")
    assert not AnnualReport.objects.filter(pk=report.pk).exists()


def test_the_history_page_is_open_to_readers_only(client, org_tree):
    report = f.draft(org_tree["district"], year=2025)
    url = reverse("workbench:object_history", args=["annual_reports.annualreport", report.pk])
    client.force_login(org_tree["supervisor"])
    assert client.get(url).status_code == 200
    client.force_login(org_tree["outsider"])
    assert client.get(url).status_code in (403, 404)
