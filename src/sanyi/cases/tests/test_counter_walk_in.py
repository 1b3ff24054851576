"""The counter's walk-in: the registered name for an ID number on file and the warning on
a different name (htmx lookup and the same check on submit), never changing the profile;
voiding a walk-in opened by mistake."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sanyi.applicants.models import AgentAuthorisation
from sanyi.audit.models import AuditEvent
from sanyi.cases import selectors, services
from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Case
from sanyi.cases.tests import factories as f

pytestmark = pytest.mark.django_db

LOOKUP = "workbench:cases:counter_applicant_lookup"


@pytest.fixture
def clerk(client, w):
    client.force_login(w["clerk"])
    return client


@pytest.fixture
def wang():
    return f.applicant_f.person(name="王海燕", phone="13912345678")


def _option(item) -> str:
    from sanyi.cases.tests.test_pages_counter import _option

    return _option(item)


# --- the identity check (service) ---------------------------------------------------------------


def test_identity_of_a_number_on_file_matches_the_registered_name(w, wang):
    same = selectors.counter_identity(w["clerk"], id_number=wang.id_number, name=" 王海燕 ")
    other = selectors.counter_identity(w["clerk"], id_number=wang.id_number, name="李四")

    assert same.on_file and same.name_matches and not same.mismatch_message
    assert other.on_file and not other.name_matches
    assert "王**" in other.mismatch_message and "李四" in other.mismatch_message
    assert "王海燕" not in other.mismatch_message  # the registered name is shown masked


def test_identity_is_for_window_clerks(w, wang):
    with pytest.raises(PermissionDenied):
        selectors.counter_identity(w["approver"], id_number=wang.id_number)


def test_identity_of_a_new_or_invalid_number(w, wang):
    new = selectors.counter_identity(w["clerk"], id_number=f.applicant_f.resident_id(), name="李四")
    invalid = selectors.counter_identity(w["clerk"], id_number="1234", name="李四")

    assert new.id_valid and not new.on_file and new.name_matches
    assert not invalid.id_valid and not invalid.on_file


# --- the htmx lookup ---------------------------------------------------------------------------


def test_lookup_shows_the_registered_name_masked(clerk, wang):
    response = clerk.get(reverse(LOOKUP), {"id_number": wang.id_number})

    html = response.content.decode()
    assert response.status_code == 200
    assert "王**" in html and "王海燕" not in html and wang.id_number not in html
    assert "139****5678" in html and "姓名不一致" not in html


def test_lookup_warns_on_a_different_name(clerk, wang):
    html = clerk.get(
        reverse(LOOKUP), {"id_number": wang.id_number, "name": "李四"}
    ).content.decode()

    assert "姓名不一致" in html and 'name="confirm_name"' in html


def test_lookup_of_a_new_number_says_it_will_be_registered(clerk):
    html = clerk.get(reverse(LOOKUP), {"id_number": f.applicant_f.resident_id()}).content.decode()
    nothing = clerk.get(reverse(LOOKUP), {"id_number": "1234"}).content.decode()

    assert "尚未登记" in html
    assert nothing.strip() == ""


def test_lookup_is_for_clerks_at_a_window(client, w, wang):
    client.force_login(w["approver"])

    assert client.get(reverse(LOOKUP), {"id_number": wang.id_number}).status_code == 403


# --- submitting the walk-in --------------------------------------------------------------------


def _post(client, w, id_number, name, **extra):
    return client.post(
        reverse("workbench:cases:counter_walk_in"),
        {"id_number": id_number, "name": name, "item": _option(w["item"]), **extra},
    )


def test_a_different_name_is_refused_until_confirmed_and_the_profile_stays(clerk, w, wang):
    refused = _post(clerk, w, wang.id_number, "李四")

    html = refused.content.decode()
    assert refused.status_code == 200
    assert "与填写的“李四”不一致" in html and 'name="confirm_name"' in html
    assert not Case.objects.filter(applicant=wang).exists()

    accepted = _post(clerk, w, wang.id_number, "李四", confirm_name="on")

    assert accepted.status_code == 302
    case = Case.objects.get(applicant=wang)
    wang.refresh_from_db()
    assert wang.name == "王海燕"
    row = AuditEvent.objects.get(action="cases.counter_name_confirmed", object_id=str(case.pk))
    assert row.actor_id == w["clerk"].pk and "李四" not in str(row.changes)


def test_the_matching_name_needs_no_confirmation(clerk, w, wang):
    assert _post(clerk, w, wang.id_number, "王海燕").status_code == 302
    assert not AuditEvent.objects.filter(action="cases.counter_name_confirmed").exists()


def test_the_service_refuses_a_different_name_for_any_caller(w, wang):
    with pytest.raises(ValidationError) as exc:
        services.case_start_at_counter(
            actor=w["clerk"], item=w["item"], variant=None, id_number=wang.id_number, name="李四"
        )

    assert "name" in exc.value.message_dict


# --- voiding a walk-in -------------------------------------------------------------------------


def test_clerk_voids_a_walk_in_with_a_reason(w):
    case = f.case(w, state="awaiting")

    case = services.case_walk_in_cancel(case=case, actor=w["clerk"], reason="证件号码录错")

    assert case.status == CaseStatus.CANCELLED
    event = case.events.get(kind="cancelled")
    assert "证件号码录错" in event.note and not event.public
    row = AuditEvent.objects.get(action="cases.walk_in_cancel", object_id=str(case.pk))
    assert row.actor_id == w["clerk"].pk and row.note == "证件号码录错"


def test_voiding_needs_a_reason_and_an_undecided_window_case(w):
    walk_in = f.case(w, state="awaiting")
    online = f.case(w, state="awaiting", channel="online")
    accepted = f.case(w, state="in_progress")

    with pytest.raises(ValidationError, match="作废原因"):
        services.case_walk_in_cancel(case=walk_in, actor=w["clerk"], reason=" ")
    with pytest.raises(ValidationError, match="网上申请"):
        services.case_walk_in_cancel(case=online, actor=w["clerk"], reason="录错")
    with pytest.raises(ValidationError, match="不能作废"):
        services.case_walk_in_cancel(case=accepted, actor=w["clerk"], reason="录错")
    walk_in.refresh_from_db()
    assert walk_in.status == CaseStatus.AWAITING_ACCEPTANCE


def test_only_clerks_of_the_unit_may_void(w):
    case = f.case(w, state="awaiting")

    for outsider in (w["comm_clerk"], w["approver"]):
        with pytest.raises(PermissionDenied):
            services.case_walk_in_cancel(case=case, actor=outsider, reason="录错")


def test_voiding_revokes_an_authorisation_recorded_for_that_walk_in_only(clerk, w):
    principal = f.applicant_f.person(name="王奶奶")
    agent = f.applicant_f.person(name="王小明")
    response = clerk.post(
        reverse("workbench:cases:counter_walk_in"),
        {
            "id_number": principal.id_number,
            "name": "王奶奶",
            "item": _option(w["item"]),
            "agent-agent_id_number": agent.id_number,
            "agent-agent_name": "王小明",
            "agent-agent_document": f.upload("授权委托书.pdf"),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(applicant=principal)

    services.case_walk_in_cancel(case=case, actor=w["clerk"], reason="事项选错")

    assert AgentAuthorisation.objects.get(pk=case.agent_authorisation_id).revoked_at is not None


def test_void_page_takes_the_reason_and_the_case_leaves_the_queue(clerk, w):
    case = f.case(w, state="awaiting")
    home = reverse("workbench:cases:counter")
    before = clerk.get(home).context["awaiting_count"]
    url = reverse("workbench:cases:counter_cancel", args=[case.number])

    accept_page = clerk.get(reverse("workbench:cases:counter_accept", args=[case.number]))
    assert url in accept_page.content.decode()
    empty = clerk.post(url, {"reason": ""})
    assert empty.status_code == 200 and "作废原因" in empty.content.decode()
    done = clerk.post(url, {"reason": "申请人不是本人"})

    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    assert clerk.get(home).context["awaiting_count"] == before - 1
    assert (
        clerk.get(reverse("workbench:cases:counter_accept", args=[case.number])).status_code == 404
    )
    assert clerk.get(url).status_code == 404


def test_void_page_is_for_clerks_in_scope(client, w):
    case = f.case(w, state="awaiting")
    url = reverse("workbench:cases:counter_cancel", args=[case.number])

    client.force_login(w["comm_clerk"])
    assert client.post(url, {"reason": "录错"}).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_ACCEPTANCE


# --- lock order -----------------------------------------------------------------------------


def test_a_new_walk_in_locks_the_number_counter_before_the_audit_chain(w):
    # Registering a walk-in writes an audit row (the chain head's lock) before the case is
    # started (the item's number counter). An online start takes the counter first and
    # then the head; the counter must come first here too, or two intakes of the same item
    # can each hold what the other waits for.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanyi.applicants.models import Applicant
    from sanyi.core.ids import make_resident_id

    id_number = make_resident_id("11010519850607123")
    assert not Applicant.objects.filter(id_number=id_number).exists()
    with CaptureQueriesContext(connection) as ctx:
        services.case_start_at_counter(
            actor=w["clerk"], item=w["item"], variant=None, id_number=id_number, name="赵新"
        )
    sql = [q["sql"] for q in ctx.captured_queries]
    counter = next(i for i, q in enumerate(sql) if "cases_casenumbercounter" in q)
    head = next(i for i, q in enumerate(sql) if "audit_auditchainhead" in q)
    assert counter < head
