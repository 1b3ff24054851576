"""Section 三 against a plain re-count, for random sets of requests: every cell matches,
and consistent data always passes the balance 一 + 二 = 三(七) + 四."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.annual_reports.compute import (
    APPLICANT_COLUMNS,
    OUTCOME_CODES,
    S3_COLUMNS,
    compute_report,
    report_checks,
)
from sanyi.annual_reports.tests import factories as f
from sanyi.disclosure_requests.models import InfoRequest
from sanyi.orgs.tests import factories as org_f

YEAR = 2026
START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
TODAY = dt.date(2027, 2, 1)

request_st = st.tuples(
    st.sampled_from([c for c, _ in APPLICANT_COLUMNS]),
    st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 1, 31)),
    st.one_of(st.none(), st.integers(min_value=0, max_value=120)),  # days to conclude
    st.sampled_from(OUTCOME_CODES),
)


def _oracle(rows):
    cells = {}

    def add(row, col):
        for c in (col, "total"):
            cells[(row, c)] = cells.get((row, c), 0) + 1

    for col, received, concluded, outcome in rows:
        if received > TODAY:
            continue
        if START <= received <= END:
            add("new", col)
        if received < START and (concluded is None or concluded >= START):
            add("carried_in", col)
        if concluded is not None and START <= concluded <= END:
            add(outcome, col)
            add("concluded_total", col)
        if received <= END and (concluded is None or concluded > END):
            add("carried_over", col)
    return cells


_world: dict = {}


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=st.lists(request_st, max_size=25))
@pytest.mark.django_db
def test_section_3_matches_a_plain_recount(raw):
    if (
        "district" not in _world
        or not type(_world["district"]).objects.filter(pk=_world["district"].pk).exists()
    ):
        d = org_f.district()
        _world.update(district=d, sub=org_f.unit(d, "subdistrict"))
    units = [_world["district"], _world["sub"]]
    rows = []
    for i, (col, received, days, outcome) in enumerate(raw):
        concluded = None if days is None else received + dt.timedelta(days=days)
        if concluded is not None and concluded > TODAY:
            concluded = None
        rows.append((col, received, concluded, outcome))
        f.info_request(
            units[i % 2],
            column=col,
            received=received,
            concluded=concluded,
            outcome=outcome if concluded else "",
        )
    try:
        data = compute_report(unit=_world["district"], year=YEAR, today=TODAY)
        expected = _oracle(rows)
        for row in ["new", "carried_in", *OUTCOME_CODES, "concluded_total", "carried_over"]:
            for col, _ in S3_COLUMNS:
                assert data["cells"][f"s3.{row}.{col}"] == expected.get((row, col), 0), (row, col)
        assert [
            c for failure in report_checks(data) for c in failure.cells if c.startswith("s3")
        ] == []
    finally:
        InfoRequest.objects.filter(agency__in=units).delete()
