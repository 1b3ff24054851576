"""Test data for the annual report.

Requests and appeals are written as rows directly (not through the request services):
the report only reads their dates, columns and outcomes, and the tests need requests
received and concluded on exact days in past years.
"""

from __future__ import annotations

import datetime as dt
import itertools

from sanyi.annual_reports import services
from sanyi.annual_reports.choices import ReportScope
from sanyi.applicants.tests import factories as applicant_f
from sanyi.core.ids import make_uscc
from sanyi.disclosure_requests.choices import (
    AppealResult,
    ApplicantColumn,
    DeliveryForm,
    IntakeChannel,
    RequestStatus,
)
from sanyi.disclosure_requests.models import Appeal, InfoRequest
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

SYSTEM = "系统：测试"
_seq = itertools.count(1)

FIGURES = {
    "licensing": {"value": "12", "note": "据业务系统统计"},
    "penalty": {"value": "3", "note": "据执法部门报送"},
    "compulsory": {"value": "0", "note": "据执法部门报送"},
    "fees": {"value": "1.25", "note": "据非税收入系统"},
}


def setting() -> dict:
    """A district tree with an officer at the district, one at a subdistrict, a supervisor
    and an officer of another district."""
    tree = org_f.tree()
    tree["officer"] = org_f.staff(tree["district"], Role.DISCLOSURE_OFFICER)
    tree["sub_officer"] = org_f.staff(tree["sub1"], Role.DISCLOSURE_OFFICER)
    tree["supervisor"] = org_f.staff(tree["district"], Role.SUPERVISOR)
    tree["clerk"] = org_f.staff(tree["district"], Role.WINDOW_CLERK)
    tree["other_district"] = org_f.district()
    tree["outsider"] = org_f.staff(tree["other_district"], Role.DISCLOSURE_OFFICER)
    return tree


def _applicant(column: str):
    if column == ApplicantColumn.NATURAL_PERSON:
        return applicant_f.person()
    # A USCC with letters, so it can never be read as a resident ID.
    return applicant_f.organisation(
        organisation_category=column, id_number=make_uscc(f"91430100MB{next(_seq):07d}")
    )


def info_request(
    agency,
    *,
    column: str = ApplicantColumn.NATURAL_PERSON,
    received: dt.date | None,
    concluded: dt.date | None = None,
    outcome: str = "",
) -> InfoRequest:
    n = next(_seq)
    submitted = received or dt.date(2026, 12, 31)
    if concluded is None:
        status = RequestStatus.IN_PROGRESS if received else RequestStatus.AWAITING_CONFIRMATION
    else:
        status = RequestStatus.REPLIED
    return InfoRequest.objects.create(
        number=f"GKTEST-{n:06d}",
        agency=agency,
        applicant=_applicant(column),
        applicant_column=column,
        channel=IntakeChannel.ONLINE,
        query_code_hash="0" * 64,
        submitted_on=submitted,
        received_on=received,
        description="测试申请",
        delivery_form=DeliveryForm.ELECTRONIC,
        status=status,
        outcome=outcome,
        concluded_on=concluded,
    )


def appeal(
    request: InfoRequest,
    *,
    kind: str,
    filed: dt.date,
    result: str = AppealResult.PENDING,
    concluded: dt.date | None = None,
) -> Appeal:
    return Appeal.objects.create(
        request=request,
        kind=kind,
        filed_on=filed,
        result=result,
        concluded_on=concluded,
        authority="示范区人民政府",
    )


def draft(unit, *, year: int, actor=SYSTEM, scope=ReportScope.SUBTREE, texts=True, figures=True):
    report = services.annual_report_create(actor=actor, org_unit=unit, year=year, scope=scope)
    return services.annual_report_update(
        actor=actor,
        report=report,
        overview="全年政务公开工作总体情况。" if texts else None,
        problems="存在的问题和改进措施。" if texts else None,
        figures=FIGURES if figures else None,
    )
