"""What a step allows (``selectors.task_actions``): the case page offers exactly those
actions and ``task_act`` refuses the others; 不同意 concludes the case as 不予准予; a failed
submit on the case page comes back with its error summary."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanyi.cases import selectors, services
from sanyi.cases.choices import CaseStatus, Decision, EventKind, TaskAction, TaskStatus
from sanyi.cases.models import Case, CaseTask
from sanyi.cases.tests import factories as f
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db

A = TaskAction


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


@pytest.fixture
def four_steps(w):
    """受理 → 审查 → 决定 → 送达 (the window hands the decision over), as the licensing
    items of the catalogue are modelled."""
    steps = [
        f._step("受理", 1, "department", "window_clerk"),
        f._step("审查", 3, "department", "approver"),
        f._step("决定", 2, "department", "approver"),
        f._step("送达", 1, "department", "window_clerk"),
    ]
    version = catalog_f.item(
        unit=w["dept"],
        status="published",
        reviewer=org_f.staff(w["district"], Role.CATALOG_ADMIN),
        guide=f.licence_guide(steps=steps),
    )
    return version.implementation_item


def _open(case: Case) -> CaseTask:
    return CaseTask.objects.get(case=case, status=TaskStatus.OPEN)


def _actor(w, task: CaseTask):
    """The department's approver, or its window clerk for the window's steps."""
    if task.role == Role.WINDOW_CLERK:
        if "dept_clerk" not in w:
            w["dept_clerk"] = org_f.staff(w["dept"], Role.WINDOW_CLERK)
        return w["dept_clerk"]
    return w["approver"]


def _advance(w, case: Case, times: int) -> CaseTask:
    task = _open(case)
    for _ in range(times):
        task = services.task_act(task=task, action=A.APPROVE, actor=_actor(w, task))
    return task


def _allowed(w, task: CaseTask, viewer=None) -> set[str]:
    return set(selectors.task_actions(viewer=viewer or _actor(w, task), task=task).allowed)


def _offered(client, w, case: Case, task: CaseTask) -> set[str]:
    """The actions the case page's step form lists for ``task``."""
    services.task_claim(task=task, actor=_actor(w, task))
    client.force_login(_actor(w, task))
    page = client.get(reverse("workbench:cases:work_case", args=[case.pk])).content.decode()
    select = re.search(r'<select name="task-task_action".*?</select>', page, re.S)
    assert select, "no step form on the page"
    return set(re.findall(r'<option value="([a-z_]+)"', select.group(0)))


ALWAYS = {A.REQUEST_CORRECTION, A.FORWARD, A.OPINION}


def test_first_step_offers_no_return_but_allows_disagreeing(w, four_steps):
    task = _open(f.case(w, item=four_steps))
    assert task.name == "审查"
    assert _allowed(w, task) == ALWAYS | {A.APPROVE, A.DISAGREE}


def test_middle_step_offers_return_and_disagreeing(w, four_steps):
    task = _advance(w, f.case(w, item=four_steps), 1)
    assert task.name == "决定"
    assert _allowed(w, task) == ALWAYS | {A.APPROVE, A.RETURN, A.DISAGREE}


def test_last_approver_step_offers_return_and_disagreeing(w):
    task = _advance(w, f.case(w), 1)  # 审核 → 审批, the last step of the item
    assert task.name == "审批"
    assert _allowed(w, task) == ALWAYS | {A.APPROVE, A.RETURN, A.DISAGREE}


def test_window_step_after_the_decision_offers_return_but_no_decision(w, four_steps):
    task = _advance(w, f.case(w, item=four_steps), 2)
    assert task.name == "送达"
    assert _allowed(w, task) == ALWAYS | {A.APPROVE, A.RETURN}


def test_conclusion_step_is_decided_on_its_own_form(w, four_steps):
    task = _advance(w, f.case(w, item=four_steps), 3)
    assert task.step_id is None
    assert _allowed(w, task) == ALWAYS | {A.RETURN}


def test_only_an_approver_may_disagree(w, four_steps):
    task = _open(f.case(w, item=four_steps))
    clerk = org_f.staff(w["dept"], Role.WINDOW_CLERK)
    assert A.DISAGREE not in _allowed(w, task, viewer=clerk)


def test_suspended_case_takes_opinions_only(w, four_steps):
    case = f.case(w, item=four_steps)
    services.clock_stop(case=case, reason="hearing", note="听证", actor=w["approver"])
    assert _allowed(w, _open(case)) == {A.OPINION}


@pytest.mark.parametrize("approvals", [0, 1, 2])
def test_the_page_offers_exactly_what_the_step_allows(client, w, four_steps, approvals):
    case = f.case(w, item=four_steps)
    task = _advance(w, case, approvals)
    assert _offered(client, w, case, task) == _allowed(w, task)


def test_return_on_the_first_step_is_refused_by_the_service(w, four_steps):
    task = _open(f.case(w, item=four_steps))
    with pytest.raises(ValidationError, match="已是第一个办理环节"):
        services.task_act(task=task, action=A.RETURN, actor=w["approver"], opinion="退回")
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_disagreeing_at_the_window_step_is_refused(w, four_steps):
    task = _advance(w, f.case(w, item=four_steps), 2)
    with pytest.raises(ValidationError, match="不作审批决定"):
        services.task_act(task=task, action=A.DISAGREE, actor=_actor(w, task), opinion="不符合")
    assert _open(task.case).pk == task.pk


def test_disagreeing_needs_a_reason(w, four_steps):
    task = _open(f.case(w, item=four_steps))
    with pytest.raises(ValidationError, match="不同意须写明理由"):
        services.task_act(task=task, action=A.DISAGREE, actor=w["approver"], opinion=" ")


def test_disagreeing_at_a_middle_step_concludes_as_not_approved(w, four_steps):
    case = f.case(w, item=four_steps)
    task = _advance(w, case, 1)
    services.task_act(
        task=task,
        action=A.DISAGREE,
        actor=w["approver"],
        opinion="经营场所不符合消防要求",
        basis="《行政许可法》第三十八条",
    )
    case.refresh_from_db()
    task.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED
    assert case.decision == Decision.DENY
    assert case.decision_reason == "经营场所不符合消防要求"
    assert case.decision_basis == "《行政许可法》第三十八条"
    assert (task.status, task.action) == (TaskStatus.DONE, A.DISAGREE)
    assert not case.tasks.filter(status=TaskStatus.OPEN).exists()
    assert case.documents.filter(title__contains="不予准予").exists()
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds.index(EventKind.TASK_DONE) < kinds.index(EventKind.CONCLUDED)


def test_disagreeing_without_a_basis_cites_the_guide(w, four_steps):
    case = f.case(w, item=four_steps)
    services.task_act(task=_open(case), action=A.DISAGREE, actor=w["approver"], opinion="不符合")
    case.refresh_from_db()
    assert case.decision == Decision.DENY and case.decision_basis


def test_disagree_on_the_page_concludes_the_case(client, w, four_steps):
    case = f.case(w, item=four_steps)
    task = _advance(w, case, 1)
    services.task_claim(task=task, actor=w["approver"])
    client.force_login(w["approver"])
    response = client.post(
        reverse("workbench:cases:work_case_action", args=[case.pk, "task"]),
        {"task": task.pk, "task-task_action": "disagree", "task-opinion": "不符合条件"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.decision) == (CaseStatus.CONCLUDED, Decision.DENY)


# --- a failed submit on the case page ---------------------------------------------------------


def _post_task(client, w, case, task, **data):
    services.task_claim(task=task, actor=w["approver"])
    client.force_login(w["approver"])
    return client.post(
        reverse("workbench:cases:work_case_action", args=[case.pk, "task"]),
        {"task": task.pk, **{f"task-{k}": v for k, v in data.items()}},
    )


def test_failed_step_form_comes_back_with_its_summary_and_anchor(client, w, four_steps):
    case = f.case(w, item=four_steps)
    response = _post_task(client, w, case, _open(case), task_action="disagree", opinion="")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('id="error-summary"') == 1
    summary = page[page.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert 'role="alert"' in page[page.index("<div", page.index('id="error-summary"') - 80) :]
    assert '<a href="#id_task-opinion">办理意见：不同意时请写明理由</a>' in summary
    # The form that failed posts to the summary's anchor; its field says it is wrong.
    assert f"/{case.pk}/task/#error-summary" in page
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="id_task-opinion"', page) or (
        re.search(r'<textarea[^>]*id="id_task-opinion"[^>]*aria-invalid="true"', page)
    )
    assert 'aria-describedby="id_task-opinion_helptext id_task-opinion_error"' in page


def test_service_refusal_is_linked_to_the_action_field(client, w, four_steps):
    case = f.case(w, item=four_steps)
    # Not offered on the first step, posted anyway: the service's reason, on the field.
    response = _post_task(client, w, case, _open(case), task_action="return", opinion="退回")
    page = response.content.decode()
    assert '<a href="#id_task-task_action">处理：已是第一个办理环节，不能再退回</a>' in page


def test_only_the_failed_form_shows_a_summary(client, w, four_steps):
    case = f.case(w, item=four_steps)
    client.force_login(w["approver"])
    response = client.post(
        reverse("workbench:cases:work_case_action", args=[case.pk, "stop"]),
        {"stop-reason": "hearing", "stop-note": ""},
    )
    page = response.content.decode()
    assert page.count('id="error-summary"') == 1
    form = page[page.index('id="form-stop"') :]
    assert form.index('id="error-summary"') < form.index("</form>")
    assert '<a href="#id_stop-note">说明：' in page
