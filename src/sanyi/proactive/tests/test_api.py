"""Proactive offers in the API: the resident's own offers, and rules for staff."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from sanyi.applicants.auth import SESSION_KEY
from sanyi.cases.choices import CaseStatus
from sanyi.proactive.models import ProactiveOffer, ProactiveOptOut
from sanyi.proactive.services import proactive_run
from sanyi.proactive.tests.factories import born, rule

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 15)


def _resident_client(applicant) -> APIClient:
    client = APIClient()
    session = client.session
    session[SESSION_KEY] = applicant.pk
    session.save()
    client.cookies["sessionid"] = session.session_key
    return client


def _offer(pw, **fields) -> ProactiveOffer:
    rule(pw, **fields)
    born(dt.date(1946, 5, 1))
    [plan] = proactive_run(on=ON, actor="测试")
    return ProactiveOffer.objects.select_related("applicant").get(pk=plan.offer_id)


def test_resident_lists_opens_and_confirms_own_offer(pw, auto_item):
    offer = _offer(pw, action="auto_case", item=auto_item)
    client = _resident_client(offer.applicant)
    body = client.get("/api/v1/my/offers/").json()
    assert body["receive_all"] is True
    [row] = body["offers"]
    assert row["id"] == offer.pk and row["awaiting_confirmation"] is True
    assert row["link"] == f"/my/offers/{offer.pk}/"
    opened = client.post(f"/api/v1/my/offers/{offer.pk}/open/").json()
    assert opened["opened_at"] is not None
    confirmed = client.post(f"/api/v1/my/offers/{offer.pk}/confirm/").json()
    assert confirmed["case_status"] == CaseStatus.PRECHECK


def test_another_residents_offer_is_404(pw):
    offer = _offer(pw)
    client = _resident_client(born(dt.date(1990, 1, 1)))
    assert client.post(f"/api/v1/my/offers/{offer.pk}/open/").status_code == 404
    assert ProactiveOffer.objects.get(pk=offer.pk).opened_at is None


def test_resident_turns_offers_off_and_on(pw):
    offer = _offer(pw)
    client = _resident_client(offer.applicant)
    body = client.post("/api/v1/my/offers/opt/", {"receive": False}, format="json").json()
    assert body["receive_all"] is False
    assert ProactiveOptOut.objects.filter(applicant=offer.applicant).exists()
    client.post("/api/v1/my/offers/opt/", {"receive": True}, format="json")
    assert not ProactiveOptOut.objects.filter(applicant=offer.applicant).exists()


def test_rules_with_counters_for_supervisors_not_clerks(pw):
    offer = _offer(pw)
    client = APIClient()
    client.force_authenticate(pw["supervisor"])
    [row] = client.get("/api/v1/proactive/rules/").json()
    assert (row["code"], row["sent"], row["opened"]) == (offer.rule_code, 1, 0)
    assert client.get(f"/api/v1/proactive/rules/{row['id']}/").json()["sent"] == 1
    client.force_authenticate(pw["clerk"])
    assert client.get("/api/v1/proactive/rules/").status_code == 403
