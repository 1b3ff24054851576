"""The applicants part of the demo: valid numbers, phones that reach nobody, sign-in works."""

import random
import re

import pytest
from django.db import transaction

from sanyi.applicants.demo import load as demo
from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.core.demo import DEMO_ACTOR, parts
from sanyi.core.ids import parse_applicant_id
from sanyi.orgs import demo as orgs_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    with transaction.atomic():
        orgs_demo.load(actor=DEMO_ACTOR, rng=random.Random(2026))
    assert not demo.is_loaded()
    with transaction.atomic():
        return demo.load(actor=DEMO_ACTOR, rng=random.Random(2026))


def test_registered_right_after_orgs():
    [part] = [p for p in parts() if p.name == "applicants"]
    assert part.order == 15


def test_demo_applicants_are_valid_and_fictional(loaded):
    assert demo.is_loaded()
    persons = Applicant.objects.filter(kind=ApplicantKind.PERSON)
    orgs = Applicant.objects.filter(kind=ApplicantKind.ORGANISATION)
    assert persons.count() == 40 and orgs.count() == 10
    for a in Applicant.objects.all():
        assert parse_applicant_id(a.id_number).number == a.id_number
        assert re.fullmatch(r"100\d{8}", a.phone)
        assert not a.email or a.email.endswith("@demo.invalid")
    assert set(orgs.values_list("organisation_category", flat=True)) == {
        "commercial",
        "research",
        "public_interest",
        "legal_service",
    }
    assert persons.filter(grid__isnull=False).exists()
    assert len(loaded.logins) == 2


def test_a_demo_login_signs_in_with_the_code_on_the_page(loaded, client, settings):
    settings.SANYI_SMS_PROVIDER = "console"
    login = loaded.logins[0]
    client.post("/my/login/", {"id_number": login.username, "phone": login.password})
    page = client.get("/my/login/code/").content.decode()
    code = re.search(r'class="secret">(\d{6})<', page).group(1)
    response = client.post("/my/login/code/", {"code": code}, follow=True)
    assert "我的消息" in response.content.decode()
