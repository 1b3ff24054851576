import pytest
from rest_framework.authtoken.models import Token

from sanyi.applicants.tests import factories as af
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

pytestmark = pytest.mark.django_db
URL = "/api/v1/applicants/lookup/"


def as_user(client, user):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
    return client


def test_a_clerk_finds_the_profile_by_the_full_number_with_masked_details(client):
    tree = of.tree()
    person = af.person(phone="10012345678")
    c = as_user(client, of.staff(tree["sub1"], Role.WINDOW_CLERK))
    body = c.get(URL, {"id_number": person.id_number.lower()}).json()
    assert body["id"] == person.pk and body["masked_id"] == person.masked_id
    assert body["masked_phone"] == "100****5678"
    assert person.id_number not in str(body) and "10012345678" not in str(body)
    assert c.get(URL, {"id_number": person.id_number[:10]}).status_code == 404
    assert c.get(URL).status_code == 400


def test_other_roles_and_anonymous_visitors_cannot_look_up(client):
    tree = of.tree()
    person = af.person()
    assert client.get(URL, {"id_number": person.id_number}).status_code == 401
    c = as_user(client, of.staff(tree["district"], Role.CATALOG_ADMIN))
    assert c.get(URL, {"id_number": person.id_number}).status_code == 403
