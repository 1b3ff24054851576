"""The life of a case through the services: start, submit, pre-check, accept, route,
conclude, deliver."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanyi.applicants.services import reuse_consent_grant
from sanyi.cases import services
from sanyi.cases.choices import CaseStatus, EventKind, MaterialStatus, TaskStatus
from sanyi.cases.models import Case
from sanyi.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def test_window_case_runs_from_acceptance_to_delivery(w):
    case = f.case(w, state="delivered")
    assert case.status == CaseStatus.DELIVERED
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == EventKind.CREATED
    assert EventKind.ACCEPTED in kinds and EventKind.CONCLUDED in kinds
    assert kinds[-1] == EventKind.DELIVERED
    assert case.visits == 2  # submit + pickup
    assert case.documents.count() == 1
    assert case.licence.holder_id == case.applicant_id


def _online(w, person=None, item=None):
    person = person or f.applicant()
    case = services.case_start(
        applicant=person, item=item or w["item"], channel="online", actor=person.audit_label
    )
    return person, case


def test_start_copies_materials_and_numbers_by_code_and_day(w):
    _, case = _online(w)
    today = dt.date.today()
    assert case.number == f"{w['item'].implementation_code}-{today:%Y%m%d}-0001"
    _, second = _online(w)
    assert second.number.endswith("-0002")
    statuses = dict(case.materials.values_list("name", "status"))
    assert statuses == {
        "申请书": MaterialStatus.PENDING,
        "房屋租赁合同": MaterialStatus.PENDING,
        "营业执照": MaterialStatus.SHARED,  # shared data: never asked for
    }
    assert case.status == CaseStatus.DRAFT


def test_submit_is_idempotent_and_checks_required_materials(w):
    person, case = _online(w)
    with pytest.raises(ValidationError) as exc:
        services.case_submit(case=case, actor=person.audit_label, idempotency_key="a1")
    assert "申请书" in str(exc.value)
    f.provide_all(case, person.audit_label)
    first = services.case_submit(case=case, actor=person.audit_label, idempotency_key="a1")
    again = services.case_submit(case=case, actor=person.audit_label, idempotency_key="a1")
    assert first.pk == again.pk and again.status == CaseStatus.PRECHECK
    assert case.events.filter(kind=EventKind.SUBMITTED).count() == 1
    assert Case.objects.filter(applicant=person).count() == 1


def test_precheck_sends_one_notice_with_every_problem_then_fix(w):
    from sanyi.notify.models import Message

    person, case = _online(w)
    f.provide_all(case, person.audit_label)
    case = services.case_submit(case=case, actor=person.audit_label, idempotency_key="k")
    m1, m2 = case.materials.exclude(status=MaterialStatus.SHARED).order_by("position")
    case = services.case_precheck(
        case=case,
        results=[
            {"material": m1, "status": "to_fix", "problem": "缺少签名"},
            {"material": m2, "status": "to_fix", "problem": "复印件不清晰"},
        ],
        actor=w["clerk"],
        reply_days=5,
    )
    assert case.status == CaseStatus.PRECHECK_RETURNED
    round_ = case.precheck_rounds.get()
    assert (
        "1. 申请书：缺少签名" in round_.notice and "2. 房屋租赁合同：复印件不清晰" in round_.notice
    )
    assert Message.objects.filter(applicant=person, event="case.correction_needed").count() == 1
    with pytest.raises(ValidationError):
        services.case_resubmit(case=case, actor=person.audit_label)
    for m in (m1, m2):
        services.case_material_upload(
            case=case, case_material=m, uploaded=f.upload(), actor=person.audit_label
        )
    case = services.case_resubmit(case=case, actor=person.audit_label)
    assert case.status == CaseStatus.PRECHECK
    assert case.precheck_rounds.get().resolved_at is not None
    case = services.case_precheck(
        case=case,
        results=[{"material": m, "status": "ok"} for m in (m1, m2)],
        actor=w["clerk"],
    )
    assert case.status == CaseStatus.AWAITING_ACCEPTANCE


def test_precheck_outside_scope_is_refused(w):
    person, case = _online(w)
    f.provide_all(case, person.audit_label)
    case = services.case_submit(case=case, actor=person.audit_label, idempotency_key="k")
    with pytest.raises(PermissionDenied):
        services.case_precheck(case=case, results=[], actor=w["comm_clerk"])


def test_subdistrict_center_may_not_accept_a_district_item(w):
    case = f.case(w, state="awaiting")
    with pytest.raises(PermissionDenied):  # a community clerk is no clerk of the subdistrict
        services.case_accept(
            case=case, window=w["sub_window"], decision="accept", actor=w["comm_clerk"]
        )
    with pytest.raises(ValidationError) as exc:
        services.case_accept(
            case=case, window=w["sub_window"], decision="accept", actor=w["sub_clerk"]
        )
    message = exc.value.message_dict["window"][0]
    assert "只能受理乡级（街道、乡镇）事项" in message and "请引导申请人" in message


def test_community_item_routes_up_to_subdistrict_and_department(w):
    person = f.applicant()
    case = services.case_start(
        applicant=person, item=w["community_item"], channel="window", actor=w["comm_clerk"]
    )
    f.provide_all(case, w["comm_clerk"])
    with pytest.raises(ValidationError):  # the district center does not take community items
        services.case_accept(case=case, window=w["window"], decision="accept", actor=w["clerk"])
    case = services.case_accept(
        case=case,
        window=w["comm_window"],
        decision="accept",
        actor=w["comm_clerk"],
        materials=list(case.materials.all()),
    )
    task = case.tasks.get(status=TaskStatus.OPEN)
    assert (task.name, task.unit, task.role) == ("审核", w["sub1"], "approver")
    with pytest.raises(PermissionDenied):  # the department's approver is not there yet
        services.task_act(task=task, action="approve", actor=w["approver"])
    task = services.task_act(task=task, action="approve", actor=w["sub_approver"], opinion="符合")
    assert (task.name, task.unit) == ("审批", w["dept"])  # delegated from the department
    # return to the previous step, then forward to another department
    back = services.task_act(task=task, action="return", actor=w["approver"], opinion="补充核查")
    assert (back.name, back.unit) == ("审核", w["sub1"])
    task = services.task_act(task=back, action="approve", actor=w["sub_approver"])
    moved = services.task_act(
        task=task, action="forward", actor=w["approver"], to_unit=w["dept2"], opinion="请会签"
    )
    assert moved.unit == w["dept2"] and moved.name == "审批"
    case.refresh_from_db()
    assert case.current_unit == w["dept2"]
    kinds = list(case.events.values_list("kind", flat=True))
    assert EventKind.TASK_RETURNED in kinds and EventKind.FORWARDED in kinds


def test_last_step_leads_to_a_conclusion_task(w):
    case = f.case(w, state="in_progress")
    task = case.tasks.get(status=TaskStatus.OPEN)
    task = services.task_act(task=task, action="approve", actor=w["approver"])
    task = services.task_act(task=task, action="approve", actor=w["approver"])
    assert task.name == "办结" and task.step is None
    with pytest.raises(ValidationError):
        services.task_act(task=task, action="approve", actor=w["approver"])


def test_request_correction_stops_the_clock(w):
    case = f.case(w, state="in_progress")
    task = case.tasks.get(status=TaskStatus.OPEN)
    services.task_act(
        task=task, action="request_correction", actor=w["approver"], opinion="请补充租赁合同原件"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    stop = case.clock_stops.get()
    assert stop.reason == "correction" and stop.restarted_on is None
    with pytest.raises(ValidationError):
        services.task_act(task=task, action="approve", actor=w["approver"])


def test_claimed_task_is_acted_on_by_its_assignee_only(w):
    case = f.case(w, state="in_progress")
    task = case.tasks.get(status=TaskStatus.OPEN)
    services.task_claim(task=task, actor=w["approver"])
    with pytest.raises(PermissionDenied):
        services.task_act(task=task, action="approve", actor=w["approver2"])
    with pytest.raises(PermissionDenied):  # supervisors read, they do not act
        services.task_act(task=task, action="opinion", actor=w["supervisor"], opinion="x")


def test_accept_with_deficiency_and_correction_notice(w):
    case = f.case(w, state="awaiting")
    m_app, m_lease = case.materials.exclude(status=MaterialStatus.SHARED).order_by("position")
    with pytest.raises(ValidationError) as exc:  # the application form cannot be deferred
        services.case_accept(
            case=case,
            window=w["window"],
            decision="accept_with_deficiency",
            actor=w["clerk"],
            materials=[m_lease],
            deficiencies=[{"material": m_app, "due_on": dt.date.today() + dt.timedelta(days=5)}],
        )
    assert "不是办事指南列明的可容缺材料" in str(exc.value)
    case = services.case_accept(
        case=case,
        window=w["window"],
        decision="accept_with_deficiency",
        actor=w["clerk"],
        materials=[m_app],
        deficiencies=[{"material": m_lease, "due_on": dt.date.today() + dt.timedelta(days=5)}],
    )
    assert case.status == CaseStatus.IN_PROGRESS
    m_lease.refresh_from_db()
    assert m_lease.status == MaterialStatus.DEFICIENT


def test_correction_notice_then_accept_counts_two_visits(w):
    case = f.case(w, state="awaiting")
    m_app = case.materials.get(name="申请书")
    case = services.case_accept(
        case=case,
        window=w["window"],
        decision="correction_notice",
        actor=w["clerk"],
        materials=[{"material": m_app, "status": "to_fix", "problem": "未签字"}],
    )
    assert case.status == CaseStatus.CORRECTION_NOTICE
    assert "申请书：未签字" in case.precheck_rounds.get().notice
    services.case_material_upload(
        case=case, case_material=m_app, uploaded=f.upload(), actor=w["clerk"]
    )
    case = services.case_accept(
        case=case,
        window=w["window"],
        decision="accept",
        actor=w["clerk"],
        materials=list(case.materials.exclude(status=MaterialStatus.SHARED)),
    )
    assert case.status == CaseStatus.IN_PROGRESS and case.visits == 2


def test_reject_needs_reason_and_basis(w):
    case = f.case(w, state="awaiting")
    with pytest.raises(ValidationError) as exc:
        services.case_accept(case=case, window=w["window"], decision="reject", actor=w["clerk"])
    assert set(exc.value.message_dict) == {"reason", "basis"}
    case = services.case_accept(
        case=case,
        window=w["window"],
        decision="reject",
        actor=w["clerk"],
        reason="不属于本区管辖",
        basis="《行政许可法》第三十二条",
    )
    assert case.status == CaseStatus.NOT_ACCEPTED


def test_conclude_deny_and_post_delivery(w):
    case = f.case(w, state="in_progress")
    with pytest.raises(ValidationError):
        services.case_conclude(case=case, decision="deny", reason="", basis="", actor=w["approver"])
    case = services.case_conclude(
        case=case,
        decision="deny",
        reason="场所不符合要求",
        basis="《条例》第十条",
        actor=w["approver"],
    )
    from sanyi.licences.models import ELicence

    assert case.status == CaseStatus.CONCLUDED
    assert not ELicence.objects.filter(case=case).exists()  # a denial issues no licence
    with pytest.raises(ValidationError):
        services.case_deliver(case=case, method="post", actor=w["clerk"])
    case = services.case_deliver(
        case=case, method="post", actor=w["clerk"], tracking_number="SF123", address="测试路2号"
    )
    assert case.status == CaseStatus.DELIVERED and case.delivery.tracking_number == "SF123"
    assert case.visits == 1


def test_upload_checks_content_and_page_count(w, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    person, case = _online(w)
    cm = case.materials.get(name="申请书")
    fake = SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.case_material_upload(
            case=case, case_material=cm, uploaded=fake, actor=person.audit_label
        )
    assert "PDF、JPG或PNG" in str(exc.value)
    settings.SANYI_CASE_PDF_MAX_PAGES = 2
    with pytest.raises(ValidationError) as exc:
        services.case_material_upload(
            case=case, case_material=cm, uploaded=f.upload(pages=3), actor=person.audit_label
        )
    assert "共3页" in str(exc.value)
    shared = case.materials.get(name="营业执照")
    with pytest.raises(ValidationError):
        services.case_material_upload(
            case=case, case_material=shared, uploaded=f.upload(), actor=person.audit_label
        )


def test_wallet_reuse_needs_consent_and_ownership(w):
    old = f.case(w, state="delivered")
    person = old.applicant
    _, case = _online(w, person=person)
    cm = case.materials.get(name="申请书")
    source = old.materials.get(name="申请书")
    with pytest.raises(ValidationError):
        services.case_material_reuse(
            case=case, case_material=cm, source=source, actor=person.audit_label
        )
    reuse_consent_grant(applicant=person, actor=person.audit_label)
    case.applicant.refresh_from_db()
    cm = services.case_material_reuse(
        case=case, case_material=cm, source=source, actor=person.audit_label
    )
    assert cm.origin == "wallet" and cm.reused_from == source and cm.sha256 == source.sha256
    lease = case.materials.get(name="房屋租赁合同")
    lic = services.case_material_reuse(
        case=case, case_material=lease, source=old.licence, actor=person.audit_label
    )
    assert lic.origin == "licence"
    _, other = _online(w)
    reuse_consent_grant(applicant=other.applicant, actor=other.applicant.audit_label)
    with pytest.raises(ValidationError):
        services.case_material_reuse(
            case=other,
            case_material=other.materials.get(name="申请书"),
            source=source,
            actor=other.applicant.audit_label,
        )


def test_withdraw_cancels_tasks_and_tells_the_assignee(w):
    from sanyi.notify.models import Message

    case = f.case(w, state="in_progress")
    services.task_claim(task=case.tasks.get(), actor=w["approver"])
    case = services.case_withdraw(case=case, actor=case.applicant.audit_label, reason="不需要了")
    assert case.status == CaseStatus.WITHDRAWN
    assert not case.tasks.filter(status=TaskStatus.OPEN).exists()
    told = Message.objects.filter(event="case.withdrawn", object_id=str(case.pk))
    assert list(told.values_list("user", flat=True)) == [w["approver"].pk]
    with pytest.raises(ValidationError):
        services.case_withdraw(case=case, actor=case.applicant.audit_label, reason="again")


def test_future_business_day_is_refused(w):
    person = f.applicant()
    with pytest.raises(ValidationError):
        services.case_start(
            applicant=person,
            item=w["item"],
            channel="online",
            actor=person.audit_label,
            on=dt.date.today() + dt.timedelta(days=1),
        )


def test_notifications_are_written_with_the_case(w):
    from sanyi.notify.models import Message

    case = f.case(w, state="in_progress")
    assert Message.objects.filter(applicant=case.applicant, event="case.accepted").count() == 1
    assert Message.objects.filter(user=w["approver"], event="case.task_new").exists()


def test_a_refused_walk_in_start_leaves_no_agent_or_authorisation_behind(w):
    from sanyi.applicants.models import AgentAuthorisation, Applicant
    from sanyi.catalog.models import HandlingVariant

    # given: a handling variant of another item's guide, which the start refuses (written
    # past the published-version guard: the guide is frozen, the test needs one anyway)
    [foreign] = HandlingVariant.objects.bulk_create(
        [HandlingVariant(version=w["community_version"], name="别的事项的办理项", position=99)]
    )
    principal_id, agent_id = f.applicant_f.resident_id(), f.applicant_f.resident_id()
    # when
    with pytest.raises(ValidationError):
        services.case_start_at_counter(
            actor=w["clerk"],
            item=w["item"],
            variant=foreign,
            id_number=principal_id,
            name="王奶奶",
            agent_id_number=agent_id,
            agent_name="王小明",
            agent_document=f.upload("授权委托书.pdf"),
        )
    # then: applicant, agent, authorisation and case are written together or not at all
    assert not Applicant.objects.filter(id_number__in=[principal_id, agent_id]).exists()
    assert not AgentAuthorisation.objects.exists()
    assert not Case.objects.exists()


def test_a_walk_in_start_by_an_agent_opens_a_window_case_with_the_authorisation(w):
    case = services.case_start_at_counter(
        actor=w["clerk"],
        item=w["item"],
        variant=None,
        id_number=f.applicant_f.resident_id(),
        name="王奶奶",
        agent_id_number=f.applicant_f.resident_id(),
        agent_name="王小明",
        agent_document=f.upload("授权委托书.pdf"),
    )
    assert case.channel == "window" and case.status == CaseStatus.AWAITING_ACCEPTANCE
    assert case.agent_authorisation.agent == case.agent
    assert case.agent_authorisation.principal == case.applicant


def test_a_walk_in_agent_without_the_written_authorisation_is_refused(w):
    from sanyi.applicants.models import AgentAuthorisation, Applicant

    principal_id, agent_id = f.applicant_f.resident_id(), f.applicant_f.resident_id()
    # when: an agent is named but no authorisation document is handed over
    with pytest.raises(ValidationError) as refused:
        services.case_start_at_counter(
            actor=w["clerk"],
            item=w["item"],
            variant=None,
            id_number=principal_id,
            name="王奶奶",
            agent_id_number=agent_id,
            agent_name="王小明",
        )
    # then: the field is named, and nothing is written
    assert refused.value.message_dict == {"document": ["请上传授权委托书"]}
    assert not Applicant.objects.filter(id_number__in=[principal_id, agent_id]).exists()
    assert not AgentAuthorisation.objects.exists() and not Case.objects.exists()
