"""An approved case of a licence item issues its e-licence when it is concluded."""

import datetime as dt

import pytest

from sanyi.audit.models import AuditEvent
from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.calendar.tests.factories import official_calendar
from sanyi.cases import services as case_services
from sanyi.cases.choices import Decision, EventKind
from sanyi.cases.tests import factories as case_f
from sanyi.licences.models import ELicence

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(db):
    """The case world (a licence item of a department, its approvers and a window)."""
    official_calendar()
    calendar_cache_clear()
    return case_f.world()


def _conclude(cw, decision, **kw):
    case = case_f.case(cw, state="in_progress")
    task = case.tasks.get(status="open")
    while task.step_id is not None:
        task = case_services.task_act(task=task, action="approve", actor=cw["approver"])
    return case_services.case_conclude(
        case=case,
        decision=decision,
        reason="" if decision == Decision.APPROVE else "材料不符合要求",
        basis="" if decision == Decision.APPROVE else "《测试条例》第三条",
        actor=cw["approver"],
        **kw,
    )


def test_approving_a_licence_case_issues_its_licence(cw):
    case = _conclude(cw, Decision.APPROVE)

    licence = ELicence.objects.get(case=case)
    assert licence.name == "测试许可证" and licence.holder == case.applicant
    assert licence.issuing_unit == cw["dept"] and licence.issued_on == case.concluded_on
    event = case.events.get(kind=EventKind.LICENCE_ISSUED)
    assert licence.number in event.note
    row = AuditEvent.objects.get(action="licences.issue", object_id=str(licence.pk))
    assert row.actor == cw["approver"]


def test_the_approver_may_name_the_licence_and_its_end(cw):
    case = _conclude(
        cw, Decision.APPROVE, licence={"name": "食品经营许可证", "valid_until": dt.date(2031, 1, 1)}
    )

    assert (case.licence.name, case.licence.valid_until) == ("食品经营许可证", dt.date(2031, 1, 1))


def test_denying_a_licence_case_issues_nothing(cw):
    case = _conclude(cw, Decision.DENY)

    assert not ELicence.objects.filter(case=case).exists()
