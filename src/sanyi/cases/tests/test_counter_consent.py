"""Reuse consent at the counter (信息跑路, #12): a window clerk records the applicant's
consent, or its withdrawal, for the applicant of a case, the applicant present with their
ID; the page shows the history. Online the applicant does it themself (the wallet)."""

import pytest
from django.urls import reverse

from sanyi.applicants.models import ReuseConsent
from sanyi.audit.models import AuditEvent
from sanyi.cases.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


def _url(case):
    return reverse("workbench:cases:counter_consent", args=[case.number])


def test_the_accept_page_links_to_the_consent_page(client, w):
    case = f.case(w, state="awaiting")
    client.force_login(w["clerk"])
    page = client.get(reverse("workbench:cases:counter_accept", args=[case.number]))
    assert _url(case) in page.content.decode()


def test_a_clerk_records_consent_only_after_seeing_the_id(client, w):
    case = f.case(w, state="awaiting")
    client.force_login(w["clerk"])

    refused = client.post(_url(case), {"action": "grant", "scope": "licences"})
    assert refused.status_code == 400
    assert "请先核对申请人本人的身份证件" in refused.content.decode()
    assert not ReuseConsent.objects.exists()

    done = client.post(_url(case), {"action": "grant", "scope": "licences", "id_seen": "on"})
    assert done.status_code == 302
    consent = ReuseConsent.objects.get(applicant=case.applicant)
    assert consent.scope == "licences" and consent.granted_via == "counter"
    assert consent.withdrawn_at is None
    event = AuditEvent.objects.get(action="applicant.reuse_consent_grant")
    assert event.actor_id == w["clerk"].pk


def test_a_clerk_records_a_withdrawal_and_the_history_shows_both(
    client, w, django_assert_max_num_queries
):
    case = f.case(w, state="awaiting")
    client.force_login(w["clerk"])
    client.post(_url(case), {"action": "grant", "scope": "all", "id_seen": "on"})
    client.post(_url(case), {"action": "withdraw", "id_seen": "on"})

    consent = ReuseConsent.objects.get(applicant=case.applicant)
    assert consent.withdrawn_at is not None and consent.withdrawn_via == "counter"
    client.post(_url(case), {"action": "grant", "scope": "all", "id_seen": "on"})
    with django_assert_max_num_queries(30):
        page = client.get(_url(case)).content.decode()
    # Two grants and a withdrawal in the history, and the open consent above it.
    assert page.count("本人在窗口，由工作人员代为办理") == 4
    assert "仍有效" in page and "记录申请人撤回同意" in page
    assert case.applicant.id_number not in page


def test_only_window_clerks_reach_the_page(client, w):
    case = f.case(w, state="awaiting")
    other = org_f.staff(w["dept"], Role.APPROVER)
    client.force_login(other)
    assert client.get(_url(case)).status_code == 403
    assert client.post(_url(case), {"action": "grant", "id_seen": "on"}).status_code == 403
    assert not ReuseConsent.objects.exists()
