import pytest
from django.contrib.auth import SESSION_KEY

from sanyi.audit.selectors import audit_history
from sanyi.core.tests.error_summary import assert_error_summary
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f
from sanyi.portal.tests.factories import totp_device

pytestmark = pytest.mark.django_db
URL = "/workbench/account/password/"


def _form(old="Test-Passw0rd!", new="Neu-Passw0rt!x"):
    return {"old_password": old, "new_password1": new, "new_password2": new}


@pytest.fixture
def clerk(client):
    user = f.staff(f.district(), Role.WINDOW_CLERK)
    client.force_login(user)
    return user


def test_security_page_offers_set_up_when_no_device(client, clerk):
    html = client.get("/workbench/account/").content.decode()

    assert "未启用" in html
    assert 'href="/login/authenticator/"' in html


def test_security_page_shows_an_enabled_device(client, clerk):
    totp_device(clerk)

    assert "已启用" in client.get("/workbench/account/").content.decode()


def test_weak_new_password_is_refused_by_the_policy(client, clerk):
    response = client.post(
        URL,
        {
            "old_password": "Test-Passw0rd!",
            "new_password1": "abcdefghijk",
            "new_password2": "abcdefghijk",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "至少三类" in html
    assert_error_summary(response, {"id_new_password2": "至少三类"})
    assert "form-errors" in html
    clerk.refresh_from_db()
    assert clerk.check_password("Test-Passw0rd!")


def test_wrong_old_password_is_refused(client, clerk):
    response = client.post(
        URL,
        {
            "old_password": "nope",
            "new_password1": "Neu-Passw0rt!x",
            "new_password2": "Neu-Passw0rt!x",
        },
    )

    assert "原密码不正确" in response.content.decode()


def test_password_change_keeps_the_session_and_is_audited(client, clerk):
    response = client.post(
        URL,
        {
            "old_password": "Test-Passw0rd!",
            "new_password1": "Neu-Passw0rt!x",
            "new_password2": "Neu-Passw0rt!x",
        },
    )

    assert response["Location"] == "/workbench/account/"
    clerk.refresh_from_db()
    assert clerk.check_password("Neu-Passw0rt!x")
    assert client.session[SESSION_KEY] == str(clerk.pk)
    assert (
        audit_history(object_type="orgs.user", object_id=clerk.pk)
        .filter(action="user.password_change")
        .exists()
    )
