""" "看看我能不能办" on the guide page (the questions, the plain-HTML form answered by the
server, the signed-in resident's own facts) and through the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.tests import factories as applicant_f
from sanyi.catalog.demo.eligibility import RULES_BY_ITEM
from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao
from sanyi.core.ids import make_resident_id
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db
OLD_AGE = RULES_BY_ITEM["高龄津贴申请"]


@pytest.fixture
def units():
    units = org_with_centers()
    units["community"] = org_f.unit(units["street"], OrgKind.COMMUNITY, name="幸福社区")
    return units


@pytest.fixture
def version(units):
    return published_dibao(units, name="高龄津贴申请", eligibility_rules=OLD_AGE)


def _guide(version) -> str:
    return reverse("catalog:guide", args=[version.implementation_item.implementation_code])


def _check(version) -> str:
    return reverse("catalog:eligibility", args=[version.implementation_item.implementation_code])


def _born(year: int) -> str:
    return make_resident_id(f"110105{year}0101{year % 1000:03d}")


def test_guide_asks_a_visitor_every_question_the_rules_need(client, version, units):
    page = client.get(_guide(version)).content.decode()

    assert "看看我能不能办" in page
    assert "您今年多少周岁？" in page
    assert "您住在哪个街道、社区？" in page
    assert "城关街道 幸福社区" in page
    assert 'id="eligibility-rules"' in page
    assert "vendor/json-logic/logic.js" in page


def test_guide_without_rules_has_no_panel(client, units):
    plain = published_dibao(units)
    page = client.get(_guide(plain)).content.decode()
    assert "看看我能不能办" not in page
    assert "json-logic" not in page


def test_the_form_without_javascript_stops_a_69_year_old_with_the_reason(client, version, units):
    response = client.post(
        _check(version),
        {"applicant_kind": "person", "age": "69", "area": units["community"].code},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>按您的情况，暂时不能办理这个事项：</strong>" in page
    assert "高龄津贴发给年满80周岁的老年人，您还不到80周岁。" in page
    assert "no-store" in response["Cache-Control"]


def test_the_form_says_yes_when_every_rule_passes(client, version, units):
    response = client.post(
        _check(version), {"applicant_kind": "person", "age": "85", "area": units["street"].code}
    )
    assert "<strong>您符合这个事项的受理条件，可以申请。</strong>" in response.content.decode()


def test_the_form_names_an_unreadable_answer_and_keeps_asking(client, version):
    response = client.post(_check(version), {"age": "八十"})
    page = response.content.decode()
    assert "年龄请填写0到150之间的整数（周岁）" in page
    assert "<p>回答下面的问题，马上告诉您能不能办。</p>" in page


def test_the_form_page_is_only_for_items_with_rules(client, units):
    plain = published_dibao(units)
    assert client.post(_check(plain), {"age": "80"}).status_code == 404
    assert client.get(_check(plain)).status_code == 302


def test_a_signed_in_resident_is_asked_only_what_the_server_cannot_tell(client, version, units):
    person = applicant_f.person(id_number=_born(1940), address="城关街道幸福社区和平路1号")
    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()

    response = client.get(_guide(version))
    page = response.content.decode()

    assert "private" in response["Cache-Control"]
    assert "您今年多少周岁？" not in page
    assert "您住在哪个街道、社区？" not in page
    assert "<strong>您符合这个事项的受理条件，可以申请。</strong>" in page


def test_a_signed_in_69_year_old_sees_the_reason_on_the_guide(client, version):
    person = applicant_f.person(id_number=_born(1957), address="外区某路1号")
    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()

    page = client.get(_guide(version)).content.decode()

    assert "高龄津贴发给年满80周岁的老年人，您还不到80周岁。" in page
    assert "您住在哪个街道、社区？" in page  # the address names no area of the district


def test_signing_in_changes_the_guide_etag(client, version):
    first = client.get(_guide(version))
    person = applicant_f.person(id_number=_born(1940))
    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()

    again = client.get(_guide(version), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


# --- API -----------------------------------------------------------------------------------


def _api(version) -> str:
    code = version.implementation_item.implementation_code
    return reverse("api:catalog-item-eligibility", args=[code])


def test_api_answers_with_reasons(version):
    response = APIClient().post(
        _api(version), {"applicant_kind": "person", "age": 69}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["eligible"] is False
    assert body["reasons"] == ["高龄津贴发给年满80周岁的老年人，您还不到80周岁。"]


def test_api_lists_the_questions_still_to_answer(version):
    body = APIClient().post(_api(version), {"age": 85}, format="json").json()
    assert body["eligible"] is None
    assert [q["key"] for q in body["questions"]] == ["applicant_kind", "area"]
    assert body["questions"][1]["text"] == "您住在哪个街道、社区？"


def test_api_refuses_an_unknown_area_in_plain_words(version):
    response = APIClient().post(_api(version), {"area": "0000"}, format="json")
    assert response.status_code == 400
    assert "没有找到这个街道或社区" in response.content.decode()


def test_api_unknown_item_is_404(version):
    url = reverse("api:catalog-item-eligibility", args=["NOPE"])
    assert APIClient().post(url, {}, format="json").status_code == 404


def test_the_form_is_rate_limited(client, version, settings):
    settings.SANYI_RATE_LIMITS = {"catalog_eligibility": "2/10"}
    answers = {"age": "69"}
    assert client.post(_check(version), answers).status_code == 200
    assert client.post(_check(version), answers).status_code == 200
    assert client.post(_check(version), answers).status_code == 429


def test_rules_only_the_application_can_settle_are_named_not_asked(client, units):
    unemployment = published_dibao(
        units, name="失业保险金申领", eligibility_rules=RULES_BY_ITEM["失业保险金申领"]
    )
    page = client.get(_guide(unemployment)).content.decode()
    assert "您是以个人还是以企业（单位）身份办理？" in page
    assert "以下条件在您申请时核对：没有在办的同一事项。" in page

    answered = client.post(_check(unemployment), {"applicant_kind": "person"}).content.decode()
    assert "<p>您填写的情况符合已核对的条件。</p>" in answered
