"""The staff user behind a request: a signed-in account, never an anonymous one."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from sanyi.core.http import staff_user


def test_a_signed_in_request_names_its_user():
    request = RequestFactory().get("/")
    request.user = get_user_model()(username="clerk")

    assert staff_user(request) is request.user


def test_an_anonymous_request_is_refused():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with pytest.raises(PermissionDenied):
        staff_user(request)
