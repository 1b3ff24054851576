import pytest
from django.core.cache import cache
from django.test import RequestFactory

from sanyi.core.login_throttle import login_attempt_allowed


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _request(ip="10.0.0.1"):
    return RequestFactory().post("/login/", REMOTE_ADDR=ip)


def test_allows_up_to_the_limit_then_refuses(settings):
    settings.SANYI_LOGIN_IP_LIMIT = 3
    now = 1_000_000.0

    results = [login_attempt_allowed(_request(), now=now) for _ in range(4)]

    assert results == [True, True, True, False]


def test_counts_each_address_separately(settings):
    settings.SANYI_LOGIN_IP_LIMIT = 1
    now = 1_000_000.0

    assert login_attempt_allowed(_request("10.0.0.1"), now=now)
    assert login_attempt_allowed(_request("10.0.0.2"), now=now)
    assert not login_attempt_allowed(_request("10.0.0.1"), now=now)


def test_a_new_window_starts_from_zero(settings):
    settings.SANYI_LOGIN_IP_LIMIT = 1
    settings.SANYI_LOGIN_IP_WINDOW_MINUTES = 15
    now = 1_000_000.0 - (1_000_000.0 % 900)

    assert login_attempt_allowed(_request(), now=now)
    assert not login_attempt_allowed(_request(), now=now + 899)
    assert login_attempt_allowed(_request(), now=now + 900)


def test_a_rotating_forwarded_for_does_not_escape_the_cap(settings):
    settings.SANYI_LOGIN_IP_LIMIT = 2
    settings.SANYI_TRUSTED_PROXIES = []
    now = 1_000_000.0
    requests = [_request("10.0.0.1") for _ in range(3)]
    for i, request in enumerate(requests):
        request.META["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{i}"

    assert [login_attempt_allowed(r, now=now) for r in requests] == [True, True, False]


def test_behind_a_trusted_proxy_the_cap_counts_the_real_client(settings):
    settings.SANYI_LOGIN_IP_LIMIT = 2
    settings.SANYI_TRUSTED_PROXIES = ["127.0.0.1"]
    now = 1_000_000.0
    requests = [_request("127.0.0.1") for _ in range(3)]
    for i, request in enumerate(requests):
        request.META["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{i}, 203.0.113.7"
    other = _request("127.0.0.1")
    other.META["HTTP_X_FORWARDED_FOR"] = "203.0.113.8"

    assert [login_attempt_allowed(r, now=now) for r in requests] == [True, True, False]
    assert login_attempt_allowed(other, now=now)
