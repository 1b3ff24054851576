"""Sections 二 and 四, the figure providers, and the checks that name a failing cell."""

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanyi.annual_reports.compute import cell_label, compute_report, report_checks
from sanyi.annual_reports.figures import register_figure, unregister_figure
from sanyi.annual_reports.tests import factories as f
from sanyi.disclosure_requests import selectors as dr_selectors
from sanyi.disclosure_requests.choices import AppealKind, AppealResult
from sanyi.disclosure_requests.choices import Outcome as O
from sanyi.openness.choices import DocumentKind, Validity
from sanyi.openness.models import Publication
from sanyi.openness.services import publication_validity_set
from sanyi.openness.tests import factories as open_f

D = dt.date
AFTER = D(2027, 3, 1)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


@pytest.fixture
def pubs(org_tree):
    """Publications of the district and a subdistrict, published on given days."""
    org_tree["district"].uscc = open_f.org_f.unique_uscc()
    org_tree["district"].save(update_fields=["uscc"])
    org_tree["sub1"].uscc = open_f.org_f.unique_uscc()
    org_tree["sub1"].save(update_fields=["uscc"])
    from sanyi.orgs.models import Role
    from sanyi.orgs.tests import factories as org_f

    writer = org_f.staff(org_tree["district"], Role.DISCLOSURE_OFFICER)
    reviewer = org_f.staff(org_tree["district"], Role.DISCLOSURE_OFFICER)

    def pub(unit, kind, published_on, validity=Validity.VALID, changed_on=None, revoke=False):
        if revoke:
            p = open_f.revoked(unit, writer=writer, reviewer=reviewer, document_kind=kind)
        else:
            p = open_f.published(unit, writer=writer, reviewer=reviewer, document_kind=kind)
        Publication.objects.filter(pk=p.pk).update(publish_at=_at(published_on))
        if validity != Validity.VALID:
            publication_validity_set(actor=writer, publication=p, validity=validity, on=changed_on)
        return p

    org_tree["pub"] = pub
    return org_tree


def test_section_2_counts_made_abolished_and_in_force(pubs):
    org_tree, pub = pubs, pubs["pub"]
    R, N = DocumentKind.REGULATION, DocumentKind.NORMATIVE
    # Normative documents of the district:
    pub(org_tree["district"], N, D(2024, 5, 1))  # older, still valid: in force
    pub(
        org_tree["district"], N, D(2025, 3, 1), Validity.ABOLISHED, D(2026, 6, 30)
    )  # abolished in 2026
    pub(org_tree["district"], N, D(2026, 2, 1))  # made in 2026, valid
    pub(org_tree["district"], N, D(2026, 4, 1), Validity.EXPIRED, D(2026, 9, 1))  # made, expired
    pub(
        org_tree["district"], N, D(2026, 5, 1), Validity.ABOLISHED, D(2027, 2, 1)
    )  # abolished later
    pub(org_tree["sub1"], N, D(2026, 7, 1))  # the subdistrict's: made, valid
    pub(org_tree["district"], N, D(2026, 8, 1), revoke=True)  # revoked: not public, not counted
    pub(org_tree["district"], N, D(2027, 1, 10))  # next year
    pub(org_tree["district"], DocumentKind.OTHER, D(2026, 3, 1))  # not a policy document
    # A regulation made in 2026.
    pub(org_tree["district"], R, D(2026, 10, 1))
    cells = compute_report(unit=org_tree["district"], year=2026, today=AFTER)["cells"]
    assert (
        cells["s2.normative.made"],
        cells["s2.normative.abolished"],
        cells["s2.normative.in_force"],
    ) == (4, 1, 4)
    assert (
        cells["s2.regulation.made"],
        cells["s2.regulation.abolished"],
        cells["s2.regulation.in_force"],
    ) == (1, 0, 1)
    alone = compute_report(unit=org_tree["district"], year=2026, scope="unit_only", today=AFTER)
    assert alone["cells"]["s2.normative.made"] == 3
    assert alone["cells"]["s2.normative.in_force"] == 3


def test_section_4_counts_appeals_filed_in_the_year_with_their_result_at_year_end(org_tree):
    d, sub = org_tree["district"], org_tree["sub1"]
    r1 = f.info_request(d, received=D(2025, 11, 1), concluded=D(2025, 11, 20), outcome=O.PARTIAL)
    r2 = f.info_request(sub, received=D(2026, 2, 1), concluded=D(2026, 2, 20), outcome=O.OTHER)
    review = AppealKind.REVIEW
    f.appeal(
        r1, kind=review, filed=D(2026, 1, 5), result=AppealResult.UPHELD, concluded=D(2026, 3, 1)
    )
    f.appeal(
        r2, kind=review, filed=D(2026, 3, 5), result=AppealResult.CORRECTED, concluded=D(2026, 5, 1)
    )
    # Concluded only in 2027: still pending at the end of 2026.
    f.appeal(
        r2, kind=review, filed=D(2026, 11, 5), result=AppealResult.OTHER, concluded=D(2027, 1, 9)
    )
    f.appeal(r2, kind=AppealKind.LAWSUIT_DIRECT, filed=D(2026, 6, 1))
    f.appeal(
        r1,
        kind=AppealKind.LAWSUIT_AFTER_REVIEW,
        filed=D(2026, 4, 1),
        result=AppealResult.UPHELD,
        concluded=D(2026, 9, 1),
    )
    # Filed in 2025: not in 2026's report.
    f.appeal(
        r1, kind=review, filed=D(2025, 12, 1), result=AppealResult.UPHELD, concluded=D(2025, 12, 20)
    )
    cells = compute_report(unit=d, year=2026, today=AFTER)["cells"]
    measures = ["upheld", "corrected", "other", "pending", "total"]
    assert [cells[f"s4.review.{m}"] for m in measures] == [1, 1, 0, 1, 3]
    assert [cells[f"s4.lawsuit_direct.{m}"] for m in measures] == [0, 0, 0, 1, 1]
    assert [cells[f"s4.lawsuit_after_review.{m}"] for m in measures] == [1, 0, 0, 0, 1]
    alone = compute_report(unit=d, year=2026, scope="unit_only", today=AFTER)["cells"]
    assert [alone[f"s4.review.{m}"] for m in measures] == [1, 0, 0, 0, 1]
    assert alone["s4.lawsuit_after_review.total"] == 1
    assert alone["s4.lawsuit_direct.total"] == 0


def test_a_registered_provider_fills_a_figure_and_a_hand_figure_overrides_it(org_tree):
    seen = {}

    def licensing(units, year):
        seen["units"], seen["year"] = {u.pk for u in units}, year
        return 40

    def fees(units, year):
        return Decimal("3.5")

    register_figure("licensing", licensing)
    register_figure("fees", fees)
    try:
        data = compute_report(unit=org_tree["district"], year=2026, today=AFTER)
        assert data["cells"]["s2.licensing"] == 40
        assert data["figures"]["licensing"]["source"] == "system"
        assert data["cells"]["s2.fees"] == "3.5"
        assert org_tree["comm1"].pk in seen["units"] and seen["year"] == 2026
        assert data["cells"]["s2.penalty"] is None
        data = compute_report(
            unit=org_tree["district"],
            year=2026,
            today=AFTER,
            manual_figures={"licensing": {"value": "41", "note": "含线下办件"}},
        )
        assert data["cells"]["s2.licensing"] == 41
        assert data["figures"]["licensing"] == {
            "source": "manual",
            "note": "含线下办件",
            "system_value": 40,
        }
        alone = compute_report(unit=org_tree["district"], year=2026, scope="unit_only", today=AFTER)
        assert seen["units"] == {org_tree["district"].pk}
        assert alone["cells"]["s2.licensing"] == 40
    finally:
        unregister_figure("licensing", licensing)
        unregister_figure("fees", fees)


def test_a_missing_case_figure_fails_its_check_by_name(org_tree):
    data = compute_report(unit=org_tree["district"], year=2026, today=AFTER)
    messages = [failure.message for failure in report_checks(data)]
    assert (
        "二、第二十条第（五）项 · 行政许可 本年处理决定数量："
        "没有系统统计数，请手工填写并注明数据来源" in messages
    )
    assert len(messages) == 4


def test_a_hand_edited_snapshot_fails_and_names_the_cell(org_tree):
    f.info_request(
        org_tree["district"],
        column="commercial",
        received=D(2026, 3, 1),
        concluded=D(2026, 3, 5),
        outcome=O.DISCLOSE,
    )
    data = compute_report(
        unit=org_tree["district"], year=2026, today=AFTER, manual_figures=f.FIGURES
    )
    assert report_checks(data) == []
    edited = copy.deepcopy(data)
    edited["cells"]["s3.concluded_total.commercial"] = 2
    failures = report_checks(edited)
    messages = [failure.message for failure in failures]
    assert "三、（七）总计 · 商业企业：应为（一）至（六）各项之和 1，实为 2" in messages
    assert any(
        m.startswith("三、（七）总计 + 四、结转下年度继续办理 · 商业企业：") for m in messages
    )
    assert {c for failure in failures for c in failure.cells} >= {"s3.concluded_total.commercial"}


def test_a_row_total_that_is_not_the_sum_of_the_columns_is_named(org_tree):
    data = compute_report(
        unit=org_tree["district"], year=2026, today=AFTER, manual_figures=f.FIGURES
    )
    data["cells"]["s3.withhold_process.research"] = 1
    data["cells"]["s3.concluded_total.research"] = 1
    data["cells"]["s3.new.research"] = 1
    data["cells"]["s4.review.upheld"] = 2
    messages = [failure.message for failure in report_checks(data)]
    assert (
        "三、（三）不予公开 6.属于四类过程性信息 · 总计：应为各类申请人之和 1，实为 0" in messages
    )
    assert "四、行政复议 · 总计：应为维持、纠正、其他、尚未审结之和 2，实为 0" in messages


def test_inconsistent_request_data_fails_the_balance_check(org_tree):
    # Concluded in 2025 but received only in 2026: a data error the balance catches.
    f.info_request(
        org_tree["district"],
        column="research",
        received=D(2026, 1, 5),
        concluded=D(2025, 12, 30),
        outcome=O.DISCLOSE,
    )
    data = compute_report(
        unit=org_tree["district"], year=2025, today=AFTER, manual_figures=f.FIGURES
    )
    messages = [failure.message for failure in report_checks(data)]
    assert messages == [
        "三、（七）总计 + 四、结转下年度继续办理 · 科研机构：一、新收 + 二、上年结转 = 0，"
        "三、（七）总计 + 四、结转下年度 = 1，两者应当相等",
        "三、（七）总计 + 四、结转下年度继续办理 · 总计：一、新收 + 二、上年结转 = 0，"
        "三、（七）总计 + 四、结转下年度 = 1，两者应当相等",
    ]


def test_cell_labels_are_chinese():
    assert cell_label("s3.concluded_total.commercial") == "三、（七）总计 · 商业企业"
    assert cell_label("s3.partial.total") == "三、（二）部分公开 · 总计"
    assert cell_label("s3.other_no_fee.natural_person").startswith(
        "三、（六）其他处理 2.申请人逾期未按"
    )
    assert cell_label("s4.lawsuit_direct.pending") == "四、行政诉讼（未经复议直接起诉） · 尚未审结"
    assert (
        cell_label("s2.normative.in_force")
        == "二、第二十条第（一）项 · 行政规范性文件 现行有效件数"
    )


def test_a_future_year_cannot_be_computed(org_tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        compute_report(unit=org_tree["district"], year=2027, today=D(2026, 11, 28))
    assert "year" in exc.value.message_dict


def test_the_report_reads_only_received_requests_and_appeals_filed_in_the_period(org_tree):
    # The selectors the report counts from: a request never received is not one yet, and
    # an appeal counts in the year it was filed, both ends included.
    d = org_tree["district"]
    received = f.info_request(d, received=D(2026, 3, 1))
    f.info_request(d, received=None)
    first = f.appeal(received, kind=AppealKind.REVIEW, filed=D(2026, 1, 1))
    last = f.appeal(received, kind=AppealKind.REVIEW, filed=D(2026, 12, 31))
    f.appeal(received, kind=AppealKind.REVIEW, filed=D(2027, 1, 1))

    assert list(dr_selectors.requests_received_qs()) == [received]
    filed = dr_selectors.appeals_filed_qs(start=D(2026, 1, 1), end=D(2026, 12, 31))
    assert set(filed) == {first, last}
