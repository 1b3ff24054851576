"""The sign-in lockout is keyed on user name plus the real client address.

Five wrong passwords from one address lock that user name at that address only, so an
attacker cannot lock an administrator out from everywhere; and a header the client writes
itself cannot give it a fresh address for every guess.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "Test-Passw0rd!"
LOGIN = "/login/"
ATTACKER = "198.51.100.66"
ADMIN_DESK = "203.0.113.10"


@pytest.fixture
def admin():
    return f.staff(f.district(), Role.SYSTEM_ADMIN, username="admin.district")


@pytest.fixture
def clerk():
    return f.staff(f.district(), Role.WINDOW_CLERK)


def _post(client, username, password, **meta):
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def test_settings_lock_on_user_name_and_the_platform_client_address(settings):
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_CLIENT_IP_CALLABLE == "sanyi.core.request_context.client_ip_of"
    # Attempts are kept in the database, which every app process shares.
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"


def test_an_attacker_behind_the_proxy_does_not_lock_the_admin_out_elsewhere(
    client, admin, settings
):
    # given nginx on the same machine, appending the real client address
    settings.SANYI_TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(client, "admin.district", "wrong", HTTP_X_FORWARDED_FOR=ATTACKER)
    attacker_again = _post(client, "admin.district", PASSWORD, HTTP_X_FORWARDED_FOR=ATTACKER)

    # when the administrator signs in from their own desk
    admin_client = client_class_for(client)
    at_desk = _post(admin_client, "admin.district", PASSWORD, HTTP_X_FORWARDED_FOR=ADMIN_DESK)

    # then the attacker's address is locked and the administrator's is not
    assert attacker_again.status_code == 429
    assert at_desk.status_code == 302  # on to the second-factor step
    assert at_desk["Location"] == reverse("portal:otp_setup")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_a_spoofed_left_most_forwarded_for_cannot_frame_another_address(client, admin, settings):
    settings.SANYI_TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(client, "admin.district", "wrong", HTTP_X_FORWARDED_FOR=f"{ADMIN_DESK}, {ATTACKER}")

    at_desk = _post(
        client_class_for(client), "admin.district", PASSWORD, HTTP_X_FORWARDED_FOR=ADMIN_DESK
    )

    assert at_desk.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_a_rotating_forwarded_for_without_a_trusted_proxy_still_locks(client, clerk, settings):
    settings.SANYI_TRUSTED_PROXIES = []
    statuses = [
        _post(client, clerk.username, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code
        for i in range(settings.AXES_FAILURE_LIMIT)
    ]
    right_password = _post(client, clerk.username, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")

    assert statuses[-1] == 429
    assert right_password.status_code == 429
    assert SESSION_KEY not in client.session
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def client_class_for(client):
    """A second browser: same test set-up, no shared cookies."""
    return type(client)()
