"""Writing reports: drafts, hand figures, issuing (frozen), revisions, permissions, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanyi.annual_reports import services
from sanyi.annual_reports.choices import ReportStatus
from sanyi.annual_reports.models import AnnualReport
from sanyi.annual_reports.selectors import annual_report_list, report_document
from sanyi.annual_reports.tests import factories as f
from sanyi.audit.models import AuditEvent
from sanyi.disclosure_requests.choices import Outcome as O

D = dt.date
TODAY = D(2026, 11, 28)


def test_an_officer_creates_a_draft_for_their_unit_or_below(org_tree):
    report = services.annual_report_create(
        actor=org_tree["sub_officer"], org_unit=org_tree["comm1"], year=2026
    )
    assert report.status == ReportStatus.DRAFT and report.revision == 1
    assert AuditEvent.objects.filter(
        action="annual_report.create", object_id=str(report.pk)
    ).exists()
    with pytest.raises(PermissionDenied):
        services.annual_report_create(
            actor=org_tree["sub_officer"], org_unit=org_tree["district"], year=2026
        )
    with pytest.raises(PermissionDenied):
        services.annual_report_create(
            actor=org_tree["supervisor"], org_unit=org_tree["district"], year=2026
        )


def test_one_report_per_unit_and_year(org_tree):
    services.annual_report_create(
        actor=org_tree["officer"], org_unit=org_tree["district"], year=2025
    )
    with pytest.raises(ValidationError) as exc:
        services.annual_report_create(
            actor=org_tree["officer"], org_unit=org_tree["district"], year=2025
        )
    assert "已经存在" in exc.value.message_dict["year"][0]


def test_hand_figures_need_a_note_and_valid_numbers(org_tree):
    report = services.annual_report_create(
        actor=org_tree["officer"], org_unit=org_tree["district"], year=2025
    )
    with pytest.raises(ValidationError) as exc:
        services.annual_report_update(
            actor=org_tree["officer"],
            report=report,
            figures={
                "licensing": {"value": "12", "note": ""},
                "penalty": {"value": "2.5", "note": "x"},
                "fees": {"value": "-1", "note": "x"},
                "compulsory": {"value": "1.23456", "note": "x"},
            },
        )
    errors = exc.value.message_dict
    assert errors["licensing"] == ["行政许可：手工填写的数字须注明数据来源"]
    assert errors["penalty"] == ["行政处罚：处理决定数量须为整数"]
    assert errors["fees"] == ["行政事业性收费：不能为负数"]
    assert "compulsory" in errors
    report = services.annual_report_update(
        actor=org_tree["officer"], report=report, figures=f.FIGURES
    )
    assert report.manual_figures["fees"] == {"value": "1.25", "note": "据非税收入系统"}


def test_issuing_refuses_while_a_check_fails_and_names_the_cell(org_tree):
    report = f.draft(org_tree["district"], year=2025, actor=org_tree["officer"], figures=False)
    with pytest.raises(ValidationError) as exc:
        services.annual_report_issue(actor=org_tree["officer"], report=report, today=TODAY)
    assert (
        "二、第二十条第（六）项 · 行政处罚 本年处理决定数量："
        "没有系统统计数，请手工填写并注明数据来源" in exc.value.messages
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.snapshot is None


def test_issuing_refuses_inconsistent_request_data(org_tree):
    f.info_request(
        org_tree["district"], received=D(2026, 1, 5), concluded=D(2025, 12, 30), outcome=O.DISCLOSE
    )
    report = f.draft(org_tree["district"], year=2025, actor=org_tree["officer"])
    with pytest.raises(ValidationError) as exc:
        services.annual_report_issue(actor=org_tree["officer"], report=report, today=TODAY)
    assert any(
        m.startswith("三、（七）总计 + 四、结转下年度继续办理 · 自然人") for m in exc.value.messages
    )


def test_the_current_year_cannot_be_issued_before_it_ends(org_tree):
    report = f.draft(org_tree["district"], year=2026, actor=org_tree["officer"])
    with pytest.raises(ValidationError) as exc:
        services.annual_report_issue(actor=org_tree["officer"], report=report, today=TODAY)
    assert exc.value.message_dict["year"] == ["2026年度尚未结束，年度报告须在次年1月1日以后发布"]


def test_the_text_sections_are_required_to_issue(org_tree):
    report = f.draft(org_tree["district"], year=2025, actor=org_tree["officer"], texts=False)
    with pytest.raises(ValidationError) as exc:
        services.annual_report_issue(actor=org_tree["officer"], report=report, today=TODAY)
    assert "一、总体情况" in exc.value.messages[0]


def test_an_issued_report_is_frozen(org_tree):
    f.info_request(
        org_tree["comm1"], received=D(2025, 3, 1), concluded=D(2025, 3, 20), outcome=O.DISCLOSE
    )
    report = f.draft(org_tree["district"], year=2025, actor=org_tree["officer"])
    report = services.annual_report_issue(actor=org_tree["officer"], report=report, today=TODAY)
    assert report.status == ReportStatus.ISSUED and report.issued_by == org_tree["officer"]
    assert report.snapshot["cells"]["s3.new.total"] == 1
    # Data changes later (a late registration for 2025): the issued report does not.
    f.info_request(
        org_tree["comm1"], received=D(2025, 6, 1), concluded=D(2025, 6, 9), outcome=O.PARTIAL
    )
    doc = report_document(AnnualReport.objects.get(pk=report.pk))
    assert doc.data["cells"]["s3.new.total"] == 1
    with pytest.raises(ValidationError):
        services.annual_report_update(actor=org_tree["officer"], report=report, overview="改")
    with pytest.raises(ValidationError):
        services.annual_report_issue(actor=org_tree["officer"], report=report, today=TODAY)


def test_a_revision_copies_the_report_and_supersedes_it_when_issued(org_tree):
    report = f.draft(org_tree["district"], year=2025, actor=org_tree["officer"])
    report = services.annual_report_issue(actor=org_tree["officer"], report=report, today=TODAY)
    with pytest.raises(ValidationError):
        services.annual_report_revise(actor=org_tree["officer"], report=report, reason=" ")
    f.info_request(
        org_tree["comm1"], received=D(2025, 6, 1), concluded=D(2025, 6, 9), outcome=O.PARTIAL
    )
    revision = services.annual_report_revise(
        actor=org_tree["officer"], report=report, reason="补录一件漏登记的申请"
    )
    assert (revision.revision, revision.status, revision.previous) == (
        2,
        ReportStatus.DRAFT,
        report,
    )
    assert revision.overview == report.overview and revision.manual_figures == report.manual_figures
    with pytest.raises(ValidationError):
        services.annual_report_revise(actor=org_tree["officer"], report=report, reason="再改")
    assert report_document(revision).data["cells"]["s3.new.total"] == 1
    services.annual_report_issue(actor=org_tree["officer"], report=revision, today=TODAY)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUPERSEDED
    assert AuditEvent.objects.filter(action="annual_report.supersede").count() == 1


def test_supervisors_read_and_outsiders_see_nothing(org_tree):
    mine = services.annual_report_create(
        actor=org_tree["officer"], org_unit=org_tree["sub1"], year=2026
    )
    theirs = f.draft(org_tree["other_district"], year=2026)
    assert list(annual_report_list(viewer=org_tree["supervisor"])) == [mine]
    assert list(annual_report_list(viewer=org_tree["sub_officer"])) == [mine]
    assert list(annual_report_list(viewer=org_tree["outsider"])) == [theirs]
    assert list(annual_report_list(viewer=org_tree["clerk"])) == []
    with pytest.raises(PermissionDenied):
        services.annual_report_update(actor=org_tree["supervisor"], report=mine, overview="x")


def test_a_draft_can_be_discarded_but_not_an_issued_report(org_tree):
    draft = f.draft(org_tree["district"], year=2025, actor=org_tree["officer"])
    issued = services.annual_report_issue(actor=org_tree["officer"], report=draft, today=TODAY)
    with pytest.raises(ValidationError):
        services.annual_report_discard(actor=org_tree["officer"], report=issued)
    other = f.draft(org_tree["sub1"], year=2025, actor=org_tree["officer"])
    services.annual_report_discard(actor=org_tree["officer"], report=other)
    assert not AnnualReport.objects.filter(pk=other.pk).exists()
