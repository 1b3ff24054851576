"""The e-licence API: public verification returns what the page shows and nothing more; the
staff list is refused without a role and scoped with one."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.licences.tests import factories as f

pytestmark = pytest.mark.django_db
VERIFY = reverse("api:licence-verify")
LIST = reverse("api:licence-list")
PUBLIC_FIELDS = {
    "name",
    "number",
    "holder",
    "holder_id",
    "issuing_unit",
    "issued_on",
    "valid_from",
    "valid_until",
    "status",
    "status_label",
}


def _as(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def _rows(body):
    return body["results"] if isinstance(body, dict) else body


@pytest.mark.parametrize("by", ["number", "code"])
def test_verification_returns_exactly_the_public_fields(world, by):
    licence = f.licence(world, details={"经营项目": "预包装食品销售"})
    query = {"number": licence.number} if by == "number" else {"code": licence.verification_code}

    response = _as().get(VERIFY, query)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == PUBLIC_FIELDS
    assert body["holder"] == "王**" and body["holder_id"] == world["holder"].masked_id
    assert body["status"] == "valid" and body["valid_until"] == "2031-03-01"
    text = str(body)
    for secret in (world["holder"].name, world["holder"].id_number, "预包装食品销售"):
        assert secret not in text


def test_verification_reports_a_revoked_licence(world):
    licence = f.revoked(world)

    body = _as().get(VERIFY, {"number": licence.number}).json()

    assert (body["status"], body["status_label"]) == ("revoked", "已注销")


def test_verification_needs_a_number_or_a_code(world):
    response = _as().get(VERIFY)

    assert response.status_code == 400 and "请填写证照编号或核验码" in str(response.json())


def test_verification_of_an_unknown_licence_is_not_found(world):
    assert _as().get(VERIFY, {"number": "NO-SUCH"}).status_code == 404
    assert _as().get(VERIFY, {"code": "nope"}).status_code == 404


def test_a_too_long_number_is_a_field_error(world):
    response = _as().get(VERIFY, {"number": "X" * 61})

    assert response.status_code == 400 and "number" in str(response.json())


@pytest.mark.parametrize("user", [None, "nobody"])
def test_the_staff_list_is_refused_without_a_role(world, user):
    response = _as(world[user] if user else None).get(LIST)

    assert response.status_code in ((401, 403) if user is None else (403,))


def test_the_staff_list_is_scoped_and_masked(world, django_assert_max_num_queries):
    mine = [f.licence(world) for _ in range(4)]
    f.licence(world, case_=f.case(world, version=world["version2"]))

    with django_assert_max_num_queries(8):
        body = _as(world["clerk"]).get(LIST).json()

    rows = _rows(body)
    assert {row["number"] for row in rows} == {licence.number for licence in mine}
    assert {row["holder"] for row in rows} == {"王**"}
    assert world["holder"].id_number not in str(rows)
    assert _rows(_as(world["outsider"]).get(LIST).json()) == []
