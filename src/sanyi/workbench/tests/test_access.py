import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f
from sanyi.portal.tests.factories import system_admin, verified_login

pytestmark = pytest.mark.django_db
HOME = "/workbench/"


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:login')}?next={HOME}"


def test_every_workbench_page_needs_login(client):
    for url in (HOME, "/workbench/account/", "/workbench/history/orgs.orgunit/1/"):
        assert client.get(url)["Location"].startswith(reverse("portal:login")), url


def test_clerk_without_second_factor_gets_in(client):
    client.force_login(f.staff(f.district(), Role.WINDOW_CLERK))

    assert client.get(HOME).status_code == 200


def test_unverified_system_admin_is_signed_out_and_sent_to_login(client):
    admin = system_admin()
    client.force_login(admin)

    response = client.get(HOME)

    assert response["Location"] == f"{reverse('portal:login')}?next={HOME}"
    assert SESSION_KEY not in client.session


def test_verified_system_admin_gets_in(client):
    verified_login(client, system_admin())

    assert client.get(HOME).status_code == 200


def test_unverified_system_admin_gets_in_when_the_rule_is_off(client, settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False
    client.force_login(system_admin())

    assert client.get(HOME).status_code == 200


def test_portal_pages_stay_open_to_unverified_admins(client):
    client.force_login(system_admin())

    assert client.get("/").status_code == 200
