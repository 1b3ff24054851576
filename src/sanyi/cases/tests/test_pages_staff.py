"""Back-office case pages: who may enter, the worklists and their filters, the overdue view,
the case page with its actions, downloads, and the visit rates."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.calendar.selectors import add_workdays
from sanyi.cases import services
from sanyi.cases.choices import (
    CaseChannel,
    CaseStatus,
    DeliveryMethod,
    StopReason,
    TaskStatus,
    WarningLevel,
)
from sanyi.cases.models import Case, CaseTask, ClockStop, Extension
from sanyi.cases.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def url(name, *args):
    return reverse(f"workbench:cases:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return client


def open_task(case: Case) -> CaseTask:
    return case.tasks.get(status=TaskStatus.OPEN)


def claimed(w, case: Case, user=None) -> CaseTask:
    task = open_task(case)
    return services.task_claim(task=task, actor=user or w["approver"])


def past_workday(n: int) -> dt.date:
    """The working day ``n`` working days before today (so that today is day n)."""
    today = timezone.localdate()
    day = today - dt.timedelta(days=1)
    while add_workdays(day, n).date > today:
        day -= dt.timedelta(days=1)
    return day


# --- who may enter --------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(url("home")).status_code == 302


@pytest.mark.parametrize(
    "role", [Role.CATALOG_ADMIN, Role.DISCLOSURE_OFFICER, Role.GRID_OFFICER, Role.SYSTEM_ADMIN]
)
def test_staff_without_a_case_role_get_403(client, w, role):
    case = f.case(w)
    login(client, org_f.staff(w["district"], role))
    for page in [
        url("home"),
        url("work_mine"),
        url("work_unit"),
        url("work_overdue"),
        url("work_visit_rates"),
        url("work_case", case.pk),
    ]:
        assert client.get(page).status_code == 403, page


def test_case_outside_scope_is_refused(client, w):
    case = f.case(w)  # handled by the department of the district
    login(client, w["comm_approver"])
    assert client.get(url("work_case", case.pk)).status_code == 403


def test_area_list_is_for_supervisors_only(client, w):
    login(client, w["approver"])
    assert client.get(url("work_subtree")).status_code == 403
    login(client, w["supervisor"])
    assert client.get(url("work_subtree")).status_code == 200


def test_tile_shows_on_the_workbench_home(client, w):
    login(client, w["approver"])
    page = client.get(reverse("workbench:home")).content.decode()
    assert url("home") in page
    login(client, org_f.staff(w["district"], Role.CATALOG_ADMIN))
    assert url("home") not in client.get(reverse("workbench:home")).content.decode()


# --- home and worklists ---------------------------------------------------------------------


def test_home_counts_my_and_my_units_tasks(client, w):
    f.case(w)
    second = f.case(w)
    claimed(w, second)
    login(client, w["approver"])
    page = client.get(url("home")).content.decode()
    assert 'id="count-mine">1<' in page
    assert 'id="count-unit">2<' in page
    assert "承诺时限的80%亮黄灯" in page


def test_unit_list_offers_claim_and_claiming_moves_the_task_to_mine(client, w):
    case = f.case(w)
    login(client, w["approver"])
    page = client.get(url("work_unit")).content.decode()
    assert case.number in page and "认领" in page
    assert case.number not in client.get(url("work_mine")).content.decode()
    response = client.post(url("work_case_action", case.pk, "claim"), {"task": open_task(case).pk})
    assert response.status_code == 302
    assert open_task(case).assignee == w["approver"]
    assert case.number in client.get(url("work_mine")).content.decode()


def test_worklist_masks_the_applicant(client, w):
    person = f.applicant(name="张三丰")
    case = f.case(w, applicant_=person)
    login(client, w["approver"])
    page = client.get(url("work_unit")).content.decode()
    assert case.number in page
    assert person.id_number not in page
    assert "张三丰" not in page
    assert person.masked_id in page


def test_worklist_sorted_by_due_date(client, w):
    later = f.case(w)
    earlier = f.case(w, on=past_workday(3))
    login(client, w["approver"])
    page = client.get(url("work_unit")).content.decode()
    assert page.index(earlier.number) < page.index(later.number)


def test_worklist_filters(client, w):
    window_case = f.case(w)
    online_case = f.case(w, channel=CaseChannel.ONLINE, on=past_workday(2))
    community_case = f.case(
        w,
        item=w["community_item"],
        window=w["comm_window"],
        clerk=w["comm_clerk"],
    )
    login(client, w["supervisor"])
    everything = client.get(url("work_subtree")).content.decode()
    assert all(c.number in everything for c in (window_case, online_case, community_case))

    def shown(**params):
        page = client.get(url("work_subtree"), params).content.decode()
        return {c.number for c in (window_case, online_case, community_case) if c.number in page}

    assert shown(channel="online") == {online_case.number}
    assert shown(item=w["community_item"].pk) == {community_case.number}
    assert shown(number=online_case.number) == {online_case.number}
    today = timezone.localdate()
    assert shown(accepted_from=today.isoformat()) == {window_case.number, community_case.number}
    assert shown(accepted_to=(today - dt.timedelta(days=1)).isoformat()) == {online_case.number}
    Case.objects.filter(pk=window_case.pk).update(warning_level=WarningLevel.YELLOW)
    assert shown(warning="yellow") == {window_case.number}
    services.clock_stop(
        case=online_case, reason=StopReason.HEARING, actor=w["approver"], note="听证"
    )
    assert shown(status="suspended") == {online_case.number}


def test_worklist_refuses_a_reversed_date_range_in_chinese(client, w):
    login(client, w["approver"])
    page = client.get(
        url("work_unit"), {"accepted_from": "2026-05-02", "accepted_to": "2026-05-01"}
    ).content.decode()
    assert "结束日期不能早于开始日期" in page


def test_worklist_query_count_does_not_grow_with_the_list(client, w, django_assert_max_num_queries):
    for _ in range(3):
        f.case(w)
    login(client, w["supervisor"])
    client.get(url("work_subtree"))  # warm the session
    with django_assert_max_num_queries(12):
        small = client.get(url("work_subtree"), {"channel": "window"})
    for _ in range(12):
        f.case(w)
    with django_assert_max_num_queries(12):
        large = client.get(url("work_subtree"), {"channel": "window"})
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count("/work/cases/") >= 15


def pager_link(page: str, rel: str) -> str:
    """The href of the pager's 下一页 (``next``) or 上一页 (``prev``) link."""
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    assert found, f"no {rel} link"
    return html.unescape(found.group(1))


def test_worklist_pages_forward_and_back_keeping_the_filters(client, w):
    for _ in range(27):
        f.case(w)
    f.case(w, channel=CaseChannel.ONLINE)  # filtered out
    login(client, w["approver"])
    first = client.get(url("work_unit"), {"channel": "window"}).content.decode()
    assert "共27个环节，第1页" in first
    assert first.count('name="task"') == 25
    assert 'rel="prev"' not in first

    link = pager_link(first, "next")
    assert "channel=window" in link and "after=" in link
    second = client.get(url("work_unit") + link).content.decode()
    assert "第2页" in second
    assert second.count('name="task"') == 2
    assert 'rel="next"' not in second

    back = client.get(url("work_unit") + pager_link(second, "prev")).content.decode()
    assert "第1页" in back
    assert task_ids(back) == task_ids(first)
    assert not set(task_ids(first)) & set(task_ids(second))


def task_ids(page: str) -> list[str]:
    return re.findall(r'name="task" value="(\d+)"', page)


def test_a_tampered_worklist_link_shows_the_first_page(client, w):
    f.case(w)
    login(client, w["approver"])
    response = client.get(url("work_unit"), {"after": "x" * 40, "channel": "window"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "翻页链接已失效，已回到第一页。" in page
    assert "共1个环节" in page


def test_a_cursor_of_another_list_is_not_taken(client, w):
    for _ in range(3):
        f.case(w)
    login(client, w["supervisor"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sanyi.cases.web.staff.PER_PAGE", 2)
        link = pager_link(client.get(url("work_subtree")).content.decode(), "next")
    # The area list's position, replayed on the unit list.
    page = client.get(url("work_unit") + link).content.decode()
    assert "翻页链接已失效" in page


def test_the_worklist_total_stops_at_the_cap(client, w, monkeypatch):
    for _ in range(4):
        f.case(w)
    monkeypatch.setattr("sanyi.core.pagination.TOTAL_CAP", 3)
    monkeypatch.setattr("sanyi.cases.web.staff.PER_PAGE", 2)
    login(client, w["approver"])
    page = client.get(url("work_unit")).content.decode()
    assert "超过3个环节，第1页" in page
    home = client.get(url("home")).content.decode()
    assert 'id="count-unit">超过3<' in home


def test_deep_worklist_pages_cost_what_the_first_does(client, w, django_assert_max_num_queries):
    for _ in range(7):
        f.case(w)
    login(client, w["supervisor"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sanyi.cases.web.staff.PER_PAGE", 2)
        client.get(url("work_subtree"))  # warm the session
        with django_assert_max_num_queries(12):
            page = client.get(url("work_subtree")).content.decode()
        for _ in range(2):
            with django_assert_max_num_queries(12):
                page = client.get(url("work_subtree") + pager_link(page, "next")).content.decode()
    assert "第3页" in page


# --- overdue view ---------------------------------------------------------------------------


def test_overdue_view_shows_red_and_yellow_by_unit(client, w):
    red = f.case(w, on=past_workday(12))  # promised 10 working days: overdue
    yellow = f.case(w, on=past_workday(9))  # 9 of 10 used
    fine = f.case(w)
    services.case_update_warnings()
    assert Case.objects.get(pk=yellow.pk).warning_level == WarningLevel.YELLOW
    login(client, w["supervisor"])
    page = client.get(url("work_overdue")).content.decode()
    assert red.number in page
    assert yellow.number not in page and fine.number not in page
    assert "红灯超期<strong>1</strong>件，黄灯预警<strong>1</strong>件" in page
    summary = page[page.index("按当前办理单位") : page.index('id="cases-title"')]
    assert w["dept"].name in summary and "<td" in summary

    page = client.get(url("work_overdue"), {"level": "yellow"}).content.decode()
    assert yellow.number in page
    assert red.number not in page and fine.number not in page


def test_overdue_view_filters_by_the_unit_handling_the_cases(client, w):
    red = f.case(w, on=past_workday(12))
    community_red = f.case(
        w,
        item=w["community_item"],
        window=w["comm_window"],
        clerk=w["comm_clerk"],
        on=past_workday(30),
    )
    login(client, w["supervisor"])
    everything = client.get(url("work_overdue")).content.decode()
    assert red.number in everything and community_red.number in everything
    unit = community_red.current_unit

    page = client.get(url("work_overdue"), {"unit": unit.pk}).content.decode()

    assert community_red.number in page and red.number not in page
    assert f"{unit.name}：红灯超期<strong>1</strong>件" in page
    outside = client.get(url("work_overdue"), {"unit": w["dept"].pk + 10_000})
    assert outside.status_code == 404


def test_overdue_pages_and_totals_are_bounded(
    client, w, monkeypatch, django_assert_max_num_queries
):
    cases = [f.case(w, on=past_workday(12 + n)) for n in range(4)]
    monkeypatch.setattr("sanyi.core.pagination.TOTAL_CAP", 3)
    monkeypatch.setattr("sanyi.cases.web.staff.PER_PAGE", 2)
    login(client, w["supervisor"])
    client.get(url("work_overdue"))  # warm the session

    with django_assert_max_num_queries(12):
        first = client.get(url("work_overdue")).content.decode()
    with django_assert_max_num_queries(12):
        second = client.get(url("work_overdue") + pager_link(first, "next")).content.decode()

    assert "红灯超期<strong>超过3</strong>件" in first
    assert "超过3件" in first  # the unit's row of the summary
    # Most overdue first: accepted longest ago.
    numbers = [c.number for c in reversed(cases)]
    assert all(n in first for n in numbers[:2]) and not any(n in first for n in numbers[2:])
    assert all(n in second for n in numbers[2:])


# --- the case page --------------------------------------------------------------------------


def test_case_page_shows_clock_timeline_and_materials(client, w):
    case = f.case(w, on=past_workday(3))
    login(client, w["supervisor"])
    page = client.get(url("work_case", case.pk)).content.decode()
    assert case.number in page
    assert 'id="clock-elapsed">3个工作日' in page
    assert 'id="clock-stopped">0个工作日' in page
    assert 'id="clock-remaining">7个工作日' in page
    assert "受理" in page and "进入办理环节" in page
    assert "申请书" in page
    # A supervisor reads masked data and gets no action forms.
    assert case.applicant.id_number not in page
    assert "显示完整号码" not in page
    assert 'id="form-stop"' not in page


def test_acting_approver_may_show_the_full_id_and_it_is_audited(client, w):
    case = f.case(w)
    claimed(w, case)
    login(client, w["approver"])
    page = client.get(url("work_case", case.pk)).content.decode()
    assert case.applicant.id_number not in page and "显示完整号码" in page
    response = client.post(url("work_case_show_id", case.pk))
    assert case.applicant.id_number in response.content.decode()
    assert AuditEvent.objects.filter(
        action="cases.applicant_id_viewed", object_id=str(case.pk)
    ).exists()


def test_supervisor_may_not_show_the_full_id(client, w):
    case = f.case(w)
    login(client, w["supervisor"])
    assert client.post(url("work_case_show_id", case.pk)).status_code == 403
    assert not AuditEvent.objects.filter(action="cases.applicant_id_viewed").exists()


def test_approve_moves_the_case_to_the_next_step(client, w):
    case = f.case(w)
    task = claimed(w, case)
    login(client, w["approver"])
    response = client.post(
        url("work_case_action", case.pk, "task"),
        {"task": task.pk, "task-task_action": "approve", "task-opinion": "材料齐全"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert open_task(case).name == "审批"


def test_return_without_opinion_is_refused_beside_the_field(client, w):
    case = f.case(w)
    task = claimed(w, case)
    login(client, w["approver"])
    response = client.post(
        url("work_case_action", case.pk, "task"),
        {"task": task.pk, "task-task_action": "return", "task-opinion": ""},
    )
    assert response.status_code == 200
    assert "请填写办理意见" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_service_refusal_shows_beside_the_field_and_saves_nothing(client, w):
    case = f.case(w)
    task = claimed(w, case)
    login(client, w["approver"])
    # The first handling step cannot be returned: the service refuses.
    response = client.post(
        url("work_case_action", case.pk, "task"),
        {"task": task.pk, "task-task_action": "return", "task-opinion": "退回重审"},
    )
    assert response.status_code == 200
    assert "已是第一个办理环节" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.opinion == ""


def test_someone_elses_task_cannot_be_acted_on(client, w):
    case = f.case(w)
    task = claimed(w, case, w["approver2"])
    login(client, w["approver"])
    response = client.post(
        url("work_case_action", case.pk, "task"),
        {"task": task.pk, "task-task_action": "approve"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    page = client.get(response["Location"]).content.decode()
    assert "已由" in page


def test_stop_and_restart_the_clock(client, w):
    case = f.case(w)
    login(client, w["approver"])
    refused = client.post(
        url("work_case_action", case.pk, "stop"), {"stop-reason": "hearing", "stop-note": ""}
    )
    assert "这个字段是必填项" in refused.content.decode() or "必填" in refused.content.decode()
    assert not ClockStop.objects.filter(case=case).exists()
    client.post(
        url("work_case_action", case.pk, "stop"),
        {"stop-reason": "expert_review", "stop-note": "组织专家评审"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    page = client.get(url("work_case", case.pk)).content.decode()
    assert "专家评审" in page and "恢复计时" in page
    client.post(url("work_case_action", case.pk, "restart"))
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_extension_needs_another_approver(client, w):
    case = f.case(w)
    claimed(w, case)  # approver handles the step and asks for more time
    login(client, w["approver2"])
    page = client.get(url("work_case", case.pk)).content.decode()
    assert 'id="form-extend"' in page
    before = Case.objects.get(pk=case.pk).promised_due_on
    response = client.post(
        url("work_case_action", case.pk, "extend"),
        {
            "extend-days": "5",
            "extend-reason": "需要现场核查",
            "extend-requested_by": str(w["approver"].pk),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.extension_days == 5 and case.promised_due_on > before
    assert Extension.objects.get(case=case).approved_by == w["approver2"]


def test_extension_by_the_requester_is_refused(client, w):
    case = f.case(w)
    claimed(w, case, w["approver2"])  # approver2 handles the step and would ask
    login(client, w["approver2"])
    page = client.get(url("work_case", case.pk)).content.decode()
    # Nobody else has handled the case: there is no one whose request approver2 may approve.
    assert 'id="form-extend"' not in page
    assert "目前还没有其他人承办过本件的环节" in page
    response = client.post(
        url("work_case_action", case.pk, "extend"),
        {
            "extend-days": "5",
            "extend-reason": "需要现场核查",
            "extend-requested_by": str(w["approver2"].pk),
        },
    )
    assert response.status_code == 200
    assert not Extension.objects.filter(case=case).exists()


def _to_conclusion(w, case) -> CaseTask:
    task = claimed(w, case)
    while task.step_id is not None:
        task = services.task_act(task=task, action="approve", actor=w["approver"])
    return task


def test_conclude_approve_issues_a_licence_and_a_document(client, w):
    case = f.case(w)
    _to_conclusion(w, case)
    login(client, w["approver"])
    page = client.get(url("work_case", case.pk)).content.decode()
    assert 'id="form-conclude"' in page and "证照名称" in page
    refused = client.post(
        url("work_case_action", case.pk, "conclude"),
        {"conclude-decision": "approve", "conclude-reason": "符合条件", "conclude-basis": "某法"},
    )
    assert "准予许可时请填写证照名称" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS
    response = client.post(
        url("work_case_action", case.pk, "conclude"),
        {
            "conclude-decision": "approve",
            "conclude-reason": "符合条件",
            "conclude-basis": "《测试条例》第三条",
            "conclude-licence_name": "测试许可证",
            "conclude-licence_valid_from": timezone.localdate().isoformat(),
            "conclude-licence_valid_until": (
                timezone.localdate() + dt.timedelta(days=365 * 5)
            ).isoformat(),
            "conclude-licence_scope": "预包装食品销售",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED
    assert case.licence.name == "测试许可证"
    assert case.licence.details == {"许可范围": "预包装食品销售"}
    document = case.documents.get()
    download = client.get(url("work_case_document", case.pk, document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "no-store" in download["Cache-Control"]


def test_deny_needs_reason_and_basis(client, w):
    case = f.case(w, item=w["community_item"], window=w["comm_window"], clerk=w["comm_clerk"])
    task = open_task(case)
    while task.step_id is not None:
        task = services.task_act(task=task, action="approve", actor=f._actor_for(w, task))
    login(client, f._actor_for(w, task))
    response = client.post(
        url("work_case_action", case.pk, "conclude"),
        {"conclude-decision": "deny", "conclude-reason": "", "conclude-basis": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "这个字段是必填项" in body or "必填" in body
    assert Case.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS


def test_delivery_by_post_needs_a_tracking_number(client, w):
    case = f.case(w, state="concluded")
    login(client, w["clerk"])
    refused = client.post(
        url("work_case_action", case.pk, "deliver"),
        {"deliver-method": "post", "deliver-address": "示范区人民路1号"},
    )
    assert "邮寄送达时请填写邮件单号" in refused.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CONCLUDED
    response = client.post(
        url("work_case_action", case.pk, "deliver"),
        {
            "deliver-method": "post",
            "deliver-address": "示范区人民路1号",
            "deliver-tracking_number": "EMS1234567890",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED
    assert case.delivery.method == DeliveryMethod.POST
    assert case.delivery.tracking_number == "EMS1234567890"
    assert case.delivery.handed_over_by == w["clerk"]


def test_delivery_at_the_window_counts_a_visit(client, w):
    case = f.case(w, state="concluded")
    visits = case.visits
    login(client, w["clerk"])
    client.post(
        url("work_case_action", case.pk, "deliver"),
        {
            "deliver-method": "window",
            "deliver-window": str(w["window"].pk),
            "deliver-recipient_name": "李四",
        },
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED and case.visits == visits + 1


def test_record_a_visit(client, w):
    case = f.case(w)
    login(client, w["clerk"])
    before = case.visits
    response = client.post(
        url("work_case_action", case.pk, "visit"),
        {"visit-purpose": "correction", "visit-window": str(w["window"].pk)},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.visits == before + 1


def test_unknown_action_is_404(client, w):
    case = f.case(w)
    login(client, w["approver"])
    assert client.post(url("work_case_action", case.pk, "delete")).status_code == 404


def test_material_download_is_permission_checked(client, w):
    case = f.case(w)
    material = case.materials.exclude(file="").first()
    login(client, w["approver"])
    response = client.get(url("work_case_material", case.pk, material.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    login(client, w["comm_approver"])
    assert client.get(url("work_case_material", case.pk, material.pk)).status_code == 403


def test_case_page_query_count_is_bounded(client, w, django_assert_max_num_queries):
    case = f.case(w)
    claimed(w, case)
    login(client, w["approver"])
    client.get(url("work_case", case.pk))
    with django_assert_max_num_queries(30):
        assert client.get(url("work_case", case.pk)).status_code == 200


# --- visit rates ----------------------------------------------------------------------------


def test_visit_rates_per_unit_and_item(client, w):
    f.case(w, state="delivered")  # accepted at the window and picked up: 2 visits
    online = f.case(w, channel=CaseChannel.ONLINE, state="concluded")  # none yet
    assert Case.objects.get(pk=online.pk).visits == 0
    login(client, w["supervisor"])
    page = client.get(url("work_visit_rates")).content.decode()
    assert "办结件数</dt><dd>2件" in page
    assert "零跑动</dt><dd>1件，占50.0%" in page
    assert "最多跑一次</dt><dd>1件，占50.0%" in page
    assert w["item"].base_item.name in page
    empty = client.get(url("work_visit_rates"), {"end": "2020-01-01"}).content.decode()
    assert "所选期间没有办结的办件" in empty


def test_forward_to_another_department(client, w):
    case = f.case(w)
    task = claimed(w, case)
    login(client, w["approver"])
    refused = client.post(
        url("work_case_action", case.pk, "task"),
        {"task": task.pk, "task-task_action": "forward", "task-opinion": "属于其他部门职责"},
    )
    assert "转交时请选择接收单位" in refused.content.decode()
    response = client.post(
        url("work_case_action", case.pk, "task"),
        {
            "task": task.pk,
            "task-task_action": "forward",
            "task-opinion": "属于其他部门职责",
            "task-to_unit": str(w["dept2"].pk),
        },
    )
    assert response.status_code == 302
    assert open_task(case).unit == w["dept2"]
    case.refresh_from_db()
    assert case.current_unit == w["dept2"]


def test_forward_targets_are_grouped_by_level_filterable_and_leave_out_the_own_unit(client, w):
    case = f.case(w)
    claimed(w, case)
    login(client, w["approver"])
    page = client.get(url("work_case", case.pk))
    html = page.content.decode()
    [(task, form)] = page.context["step_forms"]
    groups = dict(form.fields["to_unit"].choices[1:])
    assert list(groups) == ["区直部门", "街道、乡镇", "社区、村"]
    assert (w["dept2"].pk, w["dept2"].name) in groups["区直部门"]
    assert (w["comm1"].pk, f"{w['comm1'].name}（{w['sub1'].name}）") in groups["社区、村"]
    # the step's own unit is not offered: the service would refuse it
    assert task.unit_id not in {pk for choices in groups.values() for pk, _ in choices}
    assert '<optgroup label="街道、乡镇">' in html
    assert 'data-filterable="输入单位名称筛选"' in html


def test_request_correction_stops_the_clock(client, w):
    case = f.case(w)
    task = claimed(w, case)
    login(client, w["approver"])
    client.post(
        url("work_case_action", case.pk, "task"),
        {
            "task": task.pk,
            "task-task_action": "request_correction",
            "task-opinion": "请补充房屋租赁合同原件",
        },
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    stop = ClockStop.objects.get(case=case)
    assert stop.reason == StopReason.CORRECTION and stop.restarted_on is None
    page = client.get(url("work_case", case.pk)).content.decode()
    assert "补正材料" in page and "尚未恢复" in page


def test_clerks_home_links_to_the_pickup_list(client, w):
    f.case(w, state="concluded")
    login(client, w["clerk"])
    page = client.get(url("home")).content.decode()
    assert 'id="count-pickup">1<' in page
    assert url("counter_pickup") in page
