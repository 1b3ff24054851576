"""The annual-report part of the demo: the district's report for this year passes its
checks, last year's is issued."""

import datetime as dt
import random

from django.utils import timezone

from sanyi.annual_reports.choices import ReportStatus
from sanyi.annual_reports.models import AnnualReport
from sanyi.annual_reports.selectors import report_document
from sanyi.annual_reports.tests import factories as f
from sanyi.core.demo import DEMO_ACTOR, parts
from sanyi.disclosure_requests.choices import Outcome
from sanyi.orgs.models import OrgUnit


def _run(name: str):
    part = next(p for p in parts() if p.name == name)
    return part.run(actor=DEMO_ACTOR, rng=random.Random(2026))


def test_demo_reports(db):
    _run("orgs")
    this_year = timezone.localdate().year
    district = OrgUnit.objects.get(name="示范区", parent__isnull=True)
    community = OrgUnit.objects.get(name="翠苑社区")
    f.info_request(
        community,
        column="commercial",
        received=dt.date(this_year - 1, 12, 1),
        concluded=dt.date(this_year, 1, 6),
        outcome=Outcome.DISCLOSE,
    )
    f.info_request(district, column="natural_person", received=dt.date(this_year, 1, 2))
    assert not _part_loaded()
    result = _run("annual_reports")
    assert _part_loaded()
    current = AnnualReport.objects.get(org_unit=district, year=this_year)
    doc = report_document(current)
    assert current.status == ReportStatus.DRAFT
    assert doc.ok, doc.failures
    assert doc.data["cells"]["s3.carried_in.commercial"] == 1
    last = AnnualReport.objects.get(org_unit=district, year=this_year - 1)
    assert last.status == ReportStatus.ISSUED
    assert last.snapshot["cells"]["s3.carried_over.total"] == 1
    assert "年度报告" in result.summary


def _part_loaded() -> bool:
    return next(p for p in parts() if p.name == "annual_reports").loaded()
