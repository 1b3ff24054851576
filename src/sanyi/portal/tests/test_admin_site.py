import pytest
from django.urls import reverse

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f
from sanyi.portal.tests.factories import system_admin, verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return f.staff(f.district(), Role.WINDOW_CLERK)


def test_admin_site_sends_anonymous_visitors_to_the_staff_login(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("portal:login") + "?next=/admin/"
    assert "portal/login.html" in [t.name for t in response.templates]


def test_admin_login_never_redirects_off_site(client):
    admin = system_admin()
    admin.is_staff = True
    admin.save()
    verified_login(client, admin)

    response = client.get("/admin/login/?next=https://evil.example/")

    assert response["Location"] == "/admin/"


def test_admin_site_refuses_staff_who_are_not_system_admins(client, clerk):
    clerk.is_staff = True
    clerk.save()
    verified_login(client, clerk)

    assert client.get("/admin/", follow=True).status_code == 403


def test_admin_site_refuses_an_unverified_system_admin(client):
    admin = system_admin()
    admin.is_staff = True
    admin.save()
    client.force_login(admin)

    assert client.get("/admin/", follow=True).status_code == 403


def test_admin_site_admits_a_verified_system_admin(client):
    admin = system_admin()
    admin.is_staff = True
    admin.save()
    verified_login(client, admin)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert "三一平台系统管理" in response.content.decode()
