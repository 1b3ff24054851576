"""The window pages (一窗受理): pre-check of online applications with the one-time notice,
the acceptance screen for walk-ins and pre-checked cases, receipts, instant items and
handing over results at the window."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sanyi.cases.choices import CaseStatus, MaterialStatus
from sanyi.cases.models import Case, PrecheckRound, Visit
from sanyi.cases.tests import factories as f
from sanyi.core.tests.error_summary import assert_error_summary
from sanyi.notify.models import Message
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(client, w):
    client.force_login(w["clerk"])
    return client


@pytest.fixture
def comm_clerk(client, w):
    client.force_login(w["comm_clerk"])
    return client


def _deferrable(case):
    return case.materials.get(material__necessity="deferrable")


def _precheck_data(case, problems=None):
    """Form data: every material ok unless ``problems`` gives {material pk: problem}."""
    problems = problems or {}
    data = {}
    for cm in case.materials.exclude(status=MaterialStatus.SHARED):
        problem = problems.get(cm.pk)
        data[f"status_{cm.pk}"] = "to_fix" if problem else "ok"
        data[f"problem_{cm.pk}"] = problem or ""
    return data


# --- access ------------------------------------------------------------------------------------


def test_counter_pages_are_for_clerks_with_a_window(client, w):
    client.force_login(w["approver"])

    assert client.get(reverse("workbench:cases:counter")).status_code == 403
    assert client.get(reverse("workbench:cases:counter_walk_in")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("workbench:cases:counter"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_counter_home_counts_the_queues(clerk, w):
    f.case(w, state="precheck", channel="online")

    html = clerk.get(reverse("workbench:cases:counter")).content.decode()

    assert 'id="count-precheck">1<' in html
    assert str(w["window"].center.name) in html


# --- pre-check -----------------------------------------------------------------------------------


def test_precheck_queue_lists_submitted_online_cases(clerk, w, django_assert_max_num_queries):
    cases = [f.case(w, state="precheck", channel="online") for _ in range(3)]

    with django_assert_max_num_queries(10):
        response = clerk.get(reverse("workbench:cases:counter_precheck_queue"))

    html = response.content.decode()
    for case in cases:
        assert case.number in html
        assert case.applicant.id_number not in html  # masked in lists


def test_precheck_preview_shows_one_notice_and_saves_nothing(clerk, w):
    case = f.case(w, state="precheck", channel="online")
    url = reverse("workbench:cases:counter_precheck", args=[case.number])

    form = case.materials.get(name="申请书")
    response = clerk.post(
        url, {**_precheck_data(case, {form.pk: "缺少申请人签名"}), "action": "preview"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "一次性告知书预览" in html
    assert "缺少申请人签名" in html
    case.refresh_from_db()
    assert case.status == CaseStatus.PRECHECK
    assert not PrecheckRound.objects.filter(case=case).exists()
    assert not Message.objects.filter(event="case.correction_needed").exists()


def test_precheck_send_returns_the_case_with_every_problem_at_once(clerk, w):
    case = f.case(w, state="precheck", channel="online")
    url = reverse("workbench:cases:counter_precheck", args=[case.number])

    problems = {
        case.materials.get(name="申请书").pk: "缺少签名",
        _deferrable(case).pk: "合同已过期",
    }
    response = clerk.post(
        url,
        {
            **_precheck_data(case, problems),
            "reply_days": "5",
            "action": "send",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PRECHECK_RETURNED
    notice = PrecheckRound.objects.get(case=case).notice
    assert "缺少签名" in notice and "合同已过期" in notice
    assert Message.objects.filter(event="case.correction_needed").count() == 1


def test_precheck_all_ok_waits_for_acceptance(clerk, w):
    case = f.case(w, state="precheck", channel="online")

    clerk.post(
        reverse("workbench:cases:counter_precheck", args=[case.number]),
        {**_precheck_data(case), "action": "send"},
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_ACCEPTANCE


def test_to_fix_without_a_problem_text_is_refused(clerk, w):
    case = f.case(w, state="precheck", channel="online")
    cm = case.materials.get(name="申请书")
    data = {**_precheck_data(case), f"status_{cm.pk}": "to_fix", "action": "send"}

    response = clerk.post(reverse("workbench:cases:counter_precheck", args=[case.number]), data)

    assert response.status_code == 200
    assert "请写明这份材料的问题" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.PRECHECK


def test_clerk_reads_uploaded_files_of_cases_in_scope_only(client, w):
    case = f.case(w, state="precheck", channel="online")
    cm = case.materials.get(name="申请书")
    url = reverse("workbench:cases:counter_material_file", args=[case.number, cm.pk])

    client.force_login(w["clerk"])
    assert client.get(url).status_code == 200
    client.force_login(w["comm_clerk"])
    assert client.get(url).status_code == 404


# --- walk-in acceptance ------------------------------------------------------------------------


def _walk_in(client, w, item, id_number=None, **extra):
    id_number = id_number or f.applicant_f.resident_id()
    response = client.post(
        reverse("workbench:cases:counter_walk_in"),
        {
            "id_number": id_number,
            "name": "张三",
            "phone": "10099990000",
            "item": _option(item),
            **extra,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Case.objects.get(applicant__id_number=id_number)


def _option(item) -> str:
    """The picker's value of an item: "item pk:variant pk" (its first variant)."""
    variant = item.versions.get(status="published").variants.order_by("position").first()
    return f"{item.pk}:{variant.pk}" if variant else str(item.pk)


def _accept_data(case, *, tick=True, **extra):
    data = {"decision": "accept", "action": "decide"}
    for cm in case.materials.exclude(status=MaterialStatus.SHARED):
        if tick:
            data[f"received_{cm.pk}"] = "on"
        data[f"problem_{cm.pk}"] = ""
    data.update(extra)
    return data


def test_walk_in_accepted_with_a_receipt(clerk, w):
    case = _walk_in(clerk, w, w["item"])
    assert case.status == CaseStatus.AWAITING_ACCEPTANCE
    assert case.variant == w["version"].variants.order_by("position").first()
    page = clerk.get(reverse("workbench:cases:counter_accept", args=[case.number]))
    assert "autofocus" in clerk.get(reverse("workbench:cases:counter_walk_in")).content.decode()
    assert "营业执照" in page.content.decode()  # shared: listed as not collected

    response = clerk.post(
        reverse("workbench:cases:counter_accept", args=[case.number]), _accept_data(case)
    )

    assert response["Location"] == reverse("workbench:cases:counter_receipt", args=[case.number])
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.window == w["window"]
    assert Visit.objects.filter(case=case).count() == 1
    receipt = clerk.get(response["Location"]).content.decode()
    assert "受理回执" in receipt and "data-print" in receipt
    pdf = clerk.get(reverse("workbench:cases:counter_receipt_pdf", args=[case.number]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert case.number in text.replace("\n", "")


def test_accept_with_missing_materials_is_refused_with_the_names(clerk, w):
    case = _walk_in(clerk, w, w["item"])

    response = clerk.post(
        reverse("workbench:cases:counter_accept", args=[case.number]),
        _accept_data(case, tick=False),
    )

    assert response.status_code == 200
    assert "申请书" in response.content.decode()
    assert_error_summary(response, texts=["申请书"])
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_ACCEPTANCE


def test_accept_with_deficiency_records_the_follow_up_date(clerk, w):
    import datetime as dt

    case = _walk_in(clerk, w, w["item"])
    data = _accept_data(case, decision="accept_with_deficiency")
    deferred = _deferrable(case)
    data.pop(f"received_{deferred.pk}")
    due = dt.date.today() + dt.timedelta(days=10)
    data["follow_up_on"] = due.isoformat()

    response = clerk.post(reverse("workbench:cases:counter_accept", args=[case.number]), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    deferred.refresh_from_db()
    assert deferred.status == MaterialStatus.DEFICIENT
    assert deferred.follow_up_due_on == due
    case.refresh_from_db()
    assert case.acceptance_decision == "accept_with_deficiency"


def test_correction_notice_at_the_window_lists_every_problem(clerk, w):
    case = _walk_in(clerk, w, w["item"])
    form = case.materials.get(name="申请书")
    data = _accept_data(case, decision="correction_notice")
    data[f"problem_{form.pk}"] = "申请书填写不完整"
    missing = _deferrable(case)
    data.pop(f"received_{missing.pk}")

    response = clerk.post(reverse("workbench:cases:counter_accept", args=[case.number]), data)

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CORRECTION_NOTICE
    page = clerk.get(response["Location"]).content.decode()
    assert "一次性告知书" in page
    assert "申请书填写不完整" in page and missing.name in page


def test_reject_needs_reason_and_basis(clerk, w):
    case = _walk_in(clerk, w, w["item"])
    url = reverse("workbench:cases:counter_accept", args=[case.number])

    refused = clerk.post(url, _accept_data(case, decision="reject"))
    assert "不予受理须写明理由" in refused.content.decode()

    clerk.post(
        url,
        _accept_data(
            case, decision="reject", reason="不属于本事项受理范围", basis="《行政许可法》第三十二条"
        ),
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_ACCEPTED


def test_item_search_offers_only_what_the_center_may_accept(client, w):
    client.force_login(w["comm_clerk"])

    html = client.get(reverse("workbench:cases:counter_item_search"), {"q": ""}).content.decode()

    assert w["community_item"].implementation_code in html
    assert w["item"].implementation_code not in html
    client.force_login(w["clerk"])
    html = client.get(reverse("workbench:cases:counter_item_search")).content.decode()
    assert w["item"].implementation_code in html
    assert w["community_item"].implementation_code not in html


def test_item_search_filters_by_words(clerk, w):
    name = w["item"].base_item.name

    hit = clerk.get(reverse("workbench:cases:counter_item_search"), {"q": name[:4]})
    miss = clerk.get(reverse("workbench:cases:counter_item_search"), {"q": "不存在的事项"})

    assert w["item"].implementation_code in hit.content.decode()
    assert "没有找到本中心可受理的这个事项" in miss.content.decode()


def test_walk_in_with_an_item_of_another_center_is_refused(clerk, w):
    response = clerk.post(
        reverse("workbench:cases:counter_walk_in"),
        {
            "id_number": f.applicant_f.resident_id(),
            "name": "李四",
            "item": _option(w["community_item"]),
        },
    )

    assert response.status_code == 200
    assert_error_summary(response, {"id_item": ""})
    assert not Case.objects.filter(implementation_item=w["community_item"]).exists()


def test_pre_checked_online_case_is_opened_by_number_and_accepted(clerk, w):
    case = f.case(w, state="awaiting", channel="online")

    opened = clerk.get(reverse("workbench:cases:counter_walk_in"), {"number": case.number})
    assert opened["Location"] == reverse("workbench:cases:counter_accept", args=[case.number])

    response = clerk.post(
        reverse("workbench:cases:counter_accept", args=[case.number]), _accept_data(case)
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_instant_item_is_concluded_and_handed_over_on_the_spot(clerk, w):
    case = _walk_in(clerk, w, w["instant_item"])
    page = clerk.get(reverse("workbench:cases:counter_accept", args=[case.number]))
    assert "当场办结出件" in page.content.decode()

    clerk.post(
        reverse("workbench:cases:counter_accept", args=[case.number]),
        _accept_data(case, action="instant"),
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED
    assert case.visits == 1


# --- handing over results (统一出件) ---------------------------------------------------------


def test_pickup_hands_over_and_records_the_visit(clerk, w, django_assert_max_num_queries):
    case = f.case(w, state="concluded")
    other = f.case(w, state="concluded")

    with django_assert_max_num_queries(10):
        page = clerk.get(reverse("workbench:cases:counter_pickup"))
    assert case.number in page.content.decode() and other.number in page.content.decode()

    response = clerk.post(
        reverse("workbench:cases:counter_hand_over", args=[case.number]),
        {"recipient_name": "王代领"},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED
    assert case.delivery.recipient_name == "王代领"
    assert Visit.objects.filter(case=case, purpose="pickup").count() == 1


def test_pickup_of_another_centers_case_is_not_found(client, w):
    case = f.case(w, state="concluded")
    other_center = org_f.center(w["district"], windows=1, name="另一个中心")
    clerk = org_f.staff(w["district"], Role.WINDOW_CLERK, window=other_center.windows.first())
    client.force_login(clerk)

    response = client.post(
        reverse("workbench:cases:counter_hand_over", args=[case.number]),
        {"recipient_name": "张三"},
    )

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED


def test_opening_an_unchecked_online_case_leads_to_its_pre_check(clerk, w):
    case = f.case(w, state="precheck", channel="online")

    response = clerk.get(reverse("workbench:cases:counter_accept", args=[case.number]))

    assert response["Location"] == reverse("workbench:cases:counter_precheck", args=[case.number])


def test_precheck_queue_holds_only_what_this_center_accepts(client, w):
    district_case = f.case(w, state="precheck", channel="online")
    community_case = f.case(w, state="precheck", channel="online", item=w["community_item"])

    client.force_login(w["clerk"])
    district = client.get(reverse("workbench:cases:counter_precheck_queue")).content.decode()
    client.force_login(w["comm_clerk"])
    community = client.get(reverse("workbench:cases:counter_precheck_queue")).content.decode()

    assert district_case.number in district and community_case.number not in district
    assert community_case.number in community and district_case.number not in community


def test_walk_in_by_an_agent_records_the_authorisation(clerk, w):
    principal_id, agent_id = f.applicant_f.resident_id(), f.applicant_f.resident_id()

    response = clerk.post(
        reverse("workbench:cases:counter_walk_in"),
        {
            "id_number": principal_id,
            "name": "王奶奶",
            "item": _option(w["item"]),
            "agent-agent_id_number": agent_id,
            "agent-agent_name": "王小明",
            "agent-agent_document": f.upload("授权委托书.pdf"),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(applicant__id_number=principal_id)
    assert case.agent.id_number == agent_id
    assert case.agent_authorisation.principal == case.applicant


def test_agent_fields_must_come_together(clerk, w):
    response = clerk.post(
        reverse("workbench:cases:counter_walk_in"),
        {
            "id_number": f.applicant_f.resident_id(),
            "name": "王奶奶",
            "item": _option(w["item"]),
            "agent-agent_name": "王小明",
        },
    )

    assert response.status_code == 200
    assert "代办须同时填写" in response.content.decode()
    assert not Case.objects.exists()


# --- the applicant profile at the window ------------------------------------------------------


def test_walk_in_with_another_phone_is_a_window_correction_by_the_clerk(clerk, w):
    from sanyi.audit.models import AuditEvent

    person = f.applicant_f.person(name="张三", phone="10012340001")
    _walk_in(clerk, w, w["item"], id_number=person.id_number)  # phone 10099990000

    person.refresh_from_db()
    assert person.phone == "10099990000"
    event = AuditEvent.objects.get(action="applicant.correct_at_window", object_id=str(person.pk))
    assert event.actor_id == w["clerk"].pk and "核验" in event.note
    assert not AuditEvent.objects.filter(action="applicant.update").exists()


def test_walk_in_never_renames_the_applicant_on_file(clerk, w):
    person = f.applicant_f.person(name="李四")
    # the form says 张三: refused until the clerk confirms having checked the document
    _walk_in(clerk, w, w["item"], id_number=person.id_number, confirm_name="on")
    person.refresh_from_db()
    assert person.name == "李四"


def test_an_agent_at_the_window_never_changes_the_principals_profile(clerk, w):
    principal = f.applicant_f.person(name="王奶奶", phone="10012340002")
    agent = f.applicant_f.person(name="王小明", phone="10012340003")

    response = clerk.post(
        reverse("workbench:cases:counter_walk_in"),
        {
            "id_number": principal.id_number,
            "name": "别的名字",
            "phone": "10099990009",
            "item": _option(w["item"]),
            "agent-agent_id_number": agent.id_number,
            "agent-agent_name": "也是别的名字",
            "agent-agent_document": f.upload("授权委托书.pdf"),
            "confirm_name": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    principal.refresh_from_db()
    agent.refresh_from_db()
    assert (principal.name, principal.phone) == ("王奶奶", "10012340002")
    assert agent.name == "王小明"
