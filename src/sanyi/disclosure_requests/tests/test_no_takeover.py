"""No form or endpoint changes a registered applicant's details from unverified input.

The attack this guards against: the anonymous request form took an ID number and the
matching name as proof of identity and wrote the phone given onto the profile; the phone
is the sign-in factor of /my/, so the next step was signing in as the victim.
"""

import re
from pathlib import Path

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

import sanyi
from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.models import Applicant
from sanyi.applicants.tests import factories as af
from sanyi.audit.models import AuditEvent
from sanyi.calendar.tests.factories import official_calendar
from sanyi.disclosure_requests.choices import DeliveryForm, IntakeChannel
from sanyi.disclosure_requests.models import InfoRequest
from sanyi.disclosure_requests.tests import factories as f
from sanyi.notify.channels import MemorySmsProvider

pytestmark = pytest.mark.django_db
NEW = reverse("disclosure_requests:new")
VICTIM_PHONE, ATTACKER_PHONE = "13900000001", "13900000666"


@pytest.fixture
def org_tree(db, settings):
    settings.SANYI_SMS_PROVIDER = "memory"
    MemorySmsProvider.reset()
    official_calendar()
    yield f.setting()
    MemorySmsProvider.reset()


@pytest.fixture
def victim(org_tree):
    return af.person(name="王五", phone=VICTIM_PHONE, email="", address="示范区人民路1号")


def form_data(org_tree, **overrides):
    data = {
        "kind": "person",
        "organisation_category": "",
        "name": "王五",
        "id_number": f.person_id(),
        "phone": ATTACKER_PHONE,
        "email": "attacker@example.com",
        "address": "别处99号",
        "postal_code": "",
        "agency": org_tree["agency"].pk,
        "description": "2026年本区老旧小区改造项目的名单和资金安排",
        "purpose": "",
        "delivery_form": DeliveryForm.ELECTRONIC,
        "confirm": "on",
        "idempotency_key": "k-" + f.person_id(),
    }
    data.update(overrides)
    return data


def profile(applicant: Applicant) -> tuple:
    applicant.refresh_from_db()
    return (applicant.name, applicant.phone, applicant.email, applicant.address)


def test_request_form_with_victims_id_and_name_does_not_hand_over_the_account(
    client, org_tree, victim
):
    before = profile(victim)
    # given: the attacker files a request with the victim's ID, name and their own phone
    response = client.post(NEW, form_data(org_tree, id_number=victim.id_number, name=victim.name))
    assert response.status_code == 302  # the request itself is accepted
    # then: the profile is unchanged and no audit row claims the victim changed it
    assert profile(victim) == before
    assert not AuditEvent.objects.filter(
        action="applicant.update", object_id=str(victim.pk)
    ).exists()
    # and the request holds the contact the attacker wrote, for its own replies
    r = InfoRequest.objects.get()
    assert r.applicant_id == victim.pk and r.contact_phone == ATTACKER_PHONE
    # when: the attacker tries to sign in with the victim's ID and their own phone
    attacker = Client()
    response = attacker.post("/my/login/", {"id_number": victim.id_number, "phone": ATTACKER_PHONE})
    assert response.status_code == 302 and response.url == "/my/login/code/"
    # then: no code was sent anywhere and no code signs them in
    assert MemorySmsProvider.sent == []
    for code in ("000000", "123456"):
        attacker.post("/my/login/code/", {"code": code})
    assert SESSION_KEY not in attacker.session


def _normalised(html: str, r: InfoRequest, code: str = "") -> str:
    html = html.replace(r.number, "NUMBER").replace(r.applicant.masked_id, "ID")
    if code:
        html = html.replace(code, "CODE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _submit_and_read(org_tree, id_number: str, name: str = "王五") -> tuple[int, str, str]:
    c = Client()
    response = c.post(NEW, form_data(org_tree, id_number=id_number, name=name))
    r = InfoRequest.objects.order_by("-pk").first()
    submitted = c.get(response["Location"]).content.decode()
    code = re.search(r"[23456789A-HJ-NP-Z]{8}", submitted.split("查询码", 1)[-1]).group(0)
    status = c.get(reverse("disclosure_requests:status", args=[r.number])).content.decode()
    return response.status_code, _normalised(submitted, r, code), _normalised(status, r, code)


def test_the_form_does_not_tell_whether_a_name_matches_a_registered_number(org_tree):
    right = af.person(name="王五")
    wrong = af.person(name="赵七")
    results = [
        _submit_and_read(org_tree, right.id_number),  # registered under the name given
        _submit_and_read(org_tree, wrong.id_number),  # registered under another name
        _submit_and_read(org_tree, f.person_id()),  # not registered
    ]
    assert results[0] == results[1] == results[2]
    assert results[0][0] == 302
    assert "不一致" not in "".join(results[0][1:])


def test_form_errors_are_the_same_for_a_registered_and_a_new_number(client, org_tree, victim):
    pages = []
    for id_number, name in ((victim.id_number, "赵七"), (f.person_id(), "赵七")):
        response = client.post(
            NEW, form_data(org_tree, id_number=id_number, name=name, phone="abc")
        )
        assert response.status_code == 200
        html = response.content.decode().replace(id_number, "ID")
        pages.append(re.sub(r'value="[^"]*"', "", html))
    assert pages[0] == pages[1]
    assert profile(victim)[1] == VICTIM_PHONE


def test_staff_registration_keeps_the_profile_and_flags_another_name(client, org_tree, victim):
    before = profile(victim)
    client.force_login(org_tree["officer"])
    response = client.post(
        reverse("workbench:disclosure_requests:register"),
        {
            "channel": IntakeChannel.POST,
            "received_on": "2026-11-04",
            "submitted_on": "2026-11-02",
            "agency": org_tree["agency"].pk,
            "kind": "person",
            "organisation_category": "",
            "name": "王六",
            "id_number": victim.id_number,
            "phone": ATTACKER_PHONE,
            "email": "",
            "address": "别处99号",
            "postal_code": "",
            "description": "2025年区级财政预算执行情况",
            "purpose": "",
            "delivery_form": DeliveryForm.PAPER,
        },
    )
    assert response.status_code == 302
    assert profile(victim) == before
    page = client.get(response["Location"]).content.decode()
    assert "王六" in page and "与证件号码登记的“王五”不一致" in page
    assert ATTACKER_PHONE in page  # the reply goes where the letter said


def test_staff_api_detail_gives_the_requests_contact_and_the_registered_name(org_tree, victim):
    f.online(org_tree["agency"], id_number=victim.id_number, name="王六", phone=ATTACKER_PHONE)
    r = InfoRequest.objects.get()
    api = APIClient()
    api.force_authenticate(org_tree["officer"])
    contact = api.get(f"/api/v1/disclosure-requests/{r.pk}/").json()["applicant_contact"]
    assert contact["name"] == "王六" and contact["registered_name"] == "王五"
    assert contact["phone"] == ATTACKER_PHONE


def _post_endpoints() -> list[str]:
    schema = Path(sanyi.__file__).parent / "api" / "openapi.yaml"
    paths = yaml.safe_load(schema.read_text(encoding="utf-8"))["paths"]
    return [re.sub(r"\{[^}]+\}", "1", p) for p, ops in paths.items() if "post" in ops]


def test_no_api_endpoint_changes_a_profile_from_an_anonymous_call(org_tree, victim):
    before = profile(victim)
    payload = {
        "id_number": victim.id_number,
        "name": victim.name,
        "phone": ATTACKER_PHONE,
        "applicant": victim.pk,
        "applicant_id_number": victim.id_number,
    }
    endpoints = _post_endpoints()
    assert len(endpoints) > 20  # the sweep reads the committed schema
    api = APIClient()
    for url in endpoints:
        response = api.post(url, payload, format="json")
        assert response.status_code < 500, url
    assert profile(victim) == before
    assert (
        not AuditEvent.objects.filter(action__startswith="applicant.", object_id=str(victim.pk))
        .exclude(action="applicant.create")
        .exists()
    )
