"""Every state change of a case goes through the shared transition helper
(sanyi.core.transitions): it locks the case, refuses a step from the wrong status before
anything changes, and writes the audit row through the helper's step."""

import pytest
from django.core.exceptions import ValidationError

from sanyi.audit.models import AuditEvent
from sanyi.audit.services import audit_record
from sanyi.cases import services
from sanyi.cases.choices import CaseStatus, TaskStatus
from sanyi.cases.tests import factories as f
from sanyi.core import transitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def through_helper(monkeypatch):
    """The audit actions written through the helper's steps (and only those)."""
    seen: list[str] = []

    def writer(**kwargs):
        seen.append(kwargs["action"])
        return audit_record(**kwargs)

    monkeypatch.setattr(transitions, "_audit_writer", writer)
    return seen


def _case_actions(case):
    return list(
        AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_delivering_a_case_still_in_progress_is_refused_by_the_helper(w, through_helper):
    case = f.case(w, state="in_progress")
    before = AuditEvent.objects.count()
    through_helper.clear()

    with pytest.raises(ValidationError) as refused:
        services.case_deliver(case=case, method="electronic", actor=w["clerk"])

    assert refused.value.message_dict == {"status": [f"办件{case.number}当前为“办理中”，不能出件"]}
    assert AuditEvent.objects.count() == before and through_helper == []
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_every_audited_change_after_the_start_comes_through_the_helper(w, through_helper):
    case = f.case(w, state="delivered", channel="online")
    services.visit_record(case=case, purpose="other", actor=w["clerk"])

    actions = _case_actions(case)
    assert actions[0] == "cases.start"  # a new case: no status to move from
    assert actions[1:] and set(actions[1:]) <= set(through_helper)
    for action in ("cases.submit", "cases.precheck", "cases.accept", "cases.conclude"):
        assert action in through_helper
    assert through_helper[-2:] == ["cases.deliver", "cases.visit"]
    assert "cases.task_approve" in through_helper  # audited on the task it acted on


def test_a_retried_submit_is_a_skipped_step_that_audits_nothing(w, through_helper):
    case = f.case(w, state="draft", channel="online")
    f.provide_all(case, case.applicant.audit_label)
    services.case_submit(case=case, actor=case.applicant.audit_label, idempotency_key="r1")
    before = AuditEvent.objects.count()

    again = services.case_submit(case=case, actor=case.applicant.audit_label, idempotency_key="r1")

    assert again.pk == case.pk and again.status == CaseStatus.PRECHECK
    assert AuditEvent.objects.count() == before


def test_acting_on_a_finished_step_names_the_step_before_the_case_status(w):
    case = f.case(w, state="concluded")
    done = case.tasks.filter(status=TaskStatus.DONE).first()

    with pytest.raises(ValidationError) as refused:
        services.task_act(task=done, action="approve", actor=w["approver"])

    assert refused.value.message_dict == {"task": ["该环节已办结，不能再处理"]}
