"""Section 三: a known set of requests and every cell of the table, written out by hand."""

import datetime as dt

import pytest

from sanyi.annual_reports.compute import S3_COLUMNS, S3_ROWS, compute_report, report_checks
from sanyi.annual_reports.tests import factories as f
from sanyi.disclosure_requests.choices import ApplicantColumn as C
from sanyi.disclosure_requests.choices import Outcome as O

NP, CO, RE, PI, LS, OT = (
    C.NATURAL_PERSON,
    C.COMMERCIAL,
    C.RESEARCH,
    C.PUBLIC_INTEREST,
    C.LEGAL_SERVICE,
    C.OTHER,
)
D = dt.date
# After the year, so 2026 is a complete year.
AFTER = D(2027, 3, 1)

# Each of the 21 outcomes once, received and concluded in 2026, spread over the columns.
EVERY_OUTCOME = [
    (O.DISCLOSE, NP),
    (O.PARTIAL, CO),
    (O.WITHHOLD_STATE_SECRET, RE),
    (O.WITHHOLD_LAW, PI),
    (O.WITHHOLD_SECURITY, LS),
    (O.WITHHOLD_THIRD_PARTY, OT),
    (O.WITHHOLD_INTERNAL, NP),
    (O.WITHHOLD_PROCESS, CO),
    (O.WITHHOLD_ENFORCEMENT, RE),
    (O.WITHHOLD_INQUIRY, PI),
    (O.UNAVAILABLE_NOT_HELD, LS),
    (O.UNAVAILABLE_NEEDS_CREATION, OT),
    (O.UNAVAILABLE_UNCLEAR, NP),
    (O.NOT_PROCESSED_PETITION, CO),
    (O.NOT_PROCESSED_REPEAT, RE),
    (O.NOT_PROCESSED_PUBLICATION, PI),
    (O.NOT_PROCESSED_EXCESSIVE, LS),
    (O.NOT_PROCESSED_CONFIRMATION, OT),
    (O.OTHER_NO_CORRECTION, NP),
    (O.OTHER_NO_FEE, CO),
    (O.OTHER, RE),
]

# Columns: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
EXPECTED = {
    "new": (7, 5, 4, 4, 3, 4, 27),
    "carried_in": (1, 1, 0, 0, 1, 0, 3),
    "disclose": (4, 1, 0, 0, 0, 0, 5),
    "partial": (0, 1, 0, 0, 0, 0, 1),
    "withhold_state_secret": (0, 0, 1, 0, 0, 0, 1),
    "withhold_law": (0, 0, 0, 1, 0, 0, 1),
    "withhold_security": (0, 0, 0, 0, 1, 0, 1),
    "withhold_third_party": (0, 1, 0, 0, 0, 1, 2),
    "withhold_internal": (1, 0, 0, 0, 0, 0, 1),
    "withhold_process": (0, 1, 0, 0, 0, 0, 1),
    "withhold_enforcement": (0, 0, 1, 0, 0, 0, 1),
    "withhold_inquiry": (0, 0, 0, 1, 0, 0, 1),
    "unavailable_not_held": (0, 0, 0, 0, 1, 0, 1),
    "unavailable_needs_creation": (0, 0, 0, 0, 0, 1, 1),
    "unavailable_unclear": (1, 0, 0, 0, 0, 0, 1),
    "not_processed_petition": (0, 1, 0, 0, 0, 0, 1),
    "not_processed_repeat": (0, 0, 1, 0, 0, 0, 1),
    "not_processed_publication": (0, 0, 0, 1, 0, 0, 1),
    "not_processed_excessive": (0, 0, 0, 0, 1, 0, 1),
    "not_processed_confirmation": (0, 0, 0, 0, 0, 1, 1),
    "other_no_correction": (1, 0, 0, 0, 0, 0, 1),
    "other_no_fee": (0, 1, 0, 0, 0, 0, 1),
    "other": (0, 0, 1, 0, 0, 0, 1),
    "concluded_total": (7, 6, 4, 3, 3, 3, 26),
    "carried_over": (1, 0, 0, 1, 1, 1, 4),
}


@pytest.fixture
def known_requests(org_tree):
    district, sub, comm = org_tree["district"], org_tree["sub1"], org_tree["comm1"]
    req = f.info_request
    # Concluded in 2025: in no row of 2026.
    req(district, column=NP, received=D(2025, 10, 1), concluded=D(2025, 10, 20), outcome=O.DISCLOSE)
    # Carried over from 2025: two concluded in 2026, one still open.
    req(district, column=NP, received=D(2025, 12, 20), concluded=D(2026, 1, 10), outcome=O.DISCLOSE)
    req(
        sub,
        column=CO,
        received=D(2025, 12, 28),
        concluded=D(2026, 1, 15),
        outcome=O.WITHHOLD_THIRD_PARTY,
    )
    req(comm, column=LS, received=D(2025, 11, 30))
    # Every outcome once, at units across the subtree.
    units = [district, sub, comm]
    for i, (outcome, column) in enumerate(EVERY_OUTCOME):
        req(
            units[i % 3],
            column=column,
            received=D(2026, 3, 2) + dt.timedelta(days=i),
            concluded=D(2026, 4, 1) + dt.timedelta(days=i),
            outcome=outcome,
        )
    # More disclosures, so a cell holds more than one.
    req(district, column=NP, received=D(2026, 5, 1), concluded=D(2026, 5, 20), outcome=O.DISCLOSE)
    req(sub, column=NP, received=D(2026, 5, 6), concluded=D(2026, 5, 22), outcome=O.DISCLOSE)
    req(comm, column=CO, received=D(2026, 6, 1), concluded=D(2026, 6, 12), outcome=O.DISCLOSE)
    # Carried into 2027: one concluded in January 2027, two still open.
    req(district, column=NP, received=D(2026, 12, 20), concluded=D(2027, 1, 8), outcome=O.PARTIAL)
    req(district, column=PI, received=D(2026, 12, 28))
    req(sub, column=OT, received=D(2026, 12, 30))
    # Not counted: received in 2027; not yet confirmed as received; another district's.
    req(district, column=NP, received=D(2027, 1, 5))
    req(district, column=NP, received=None)
    req(
        org_tree["other_district"],
        column=NP,
        received=D(2026, 6, 1),
        concluded=D(2026, 6, 2),
        outcome=O.DISCLOSE,
    )
    return org_tree


def test_every_cell_of_section_3(known_requests):
    org_tree = known_requests
    data = compute_report(unit=org_tree["district"], year=2026, today=AFTER)
    cells = data["cells"]
    actual = {row: tuple(cells[f"s3.{row}.{col}"] for col, _ in S3_COLUMNS) for row in S3_ROWS}
    assert actual == EXPECTED


def test_expected_matrix_balances(known_requests):
    """The hand-written matrix itself obeys 一 + 二 = 三(七) + 四 in every column."""
    for i in range(7):
        left = EXPECTED["new"][i] + EXPECTED["carried_in"][i]
        right = EXPECTED["concluded_total"][i] + EXPECTED["carried_over"][i]
        assert left == right


def test_section_3_passes_its_checks(known_requests):
    data = compute_report(
        unit=known_requests["district"], year=2026, today=AFTER, manual_figures=f.FIGURES
    )
    assert report_checks(data) == []


def test_a_unit_alone_counts_only_its_own_requests(known_requests):
    org_tree = known_requests
    data = compute_report(unit=org_tree["district"], year=2026, scope="unit_only", today=AFTER)
    cells = data["cells"]
    # At the district itself: 7 of the 21 (every third), 1 extra disclosure, and three
    # received in December (two of them carried into 2027 … one is the sub's).
    assert cells["s3.new.total"] == 7 + 1 + 2
    assert cells["s3.carried_in.total"] == 1
    assert cells["s3.carried_over.natural_person"] == 1
    assert cells["s3.carried_over.public_interest"] == 1
    assert cells["s3.carried_over.total"] == 2


def test_the_2025_report_carries_into_2026(known_requests):
    data = compute_report(unit=known_requests["district"], year=2025, today=AFTER)
    cells = data["cells"]
    assert cells["s3.new.total"] == 4
    assert cells["s3.concluded_total.total"] == 1
    assert cells["s3.disclose.natural_person"] == 1
    assert cells["s3.carried_over.total"] == 3
    assert (cells["s3.carried_over.natural_person"], cells["s3.carried_over.commercial"]) == (1, 1)


def test_the_current_year_counts_up_to_today(known_requests):
    data = compute_report(unit=known_requests["district"], year=2026, today=D(2026, 5, 10))
    cells = data["cells"]
    assert data["complete_year"] is False
    assert data["period_end"] == "2026-05-10"
    # Received by 10 May: the 21, two of the extra disclosures.
    assert cells["s3.new.total"] == 23
    # Concluded by 10 May: the two from 2025 and the 21; the two extras are still open.
    assert cells["s3.concluded_total.total"] == 23
    assert cells["s3.carried_over.total"] == 3
