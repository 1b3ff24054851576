from unittest import mock

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from sanyi.core.ratelimit import hit, rate_limited

pytestmark = pytest.mark.django_db


def _request(ip="203.0.113.7", method="post"):
    return getattr(RequestFactory(), method)("/x/", REMOTE_ADDR=ip)


def test_hit_counts_per_scope_address_and_key(settings):
    settings.SANYI_RATE_LIMITS = {"lookup": "3/10"}
    assert [hit(_request(), "lookup") for _ in range(4)] == [True, True, True, False]
    assert hit(_request(ip="203.0.113.8"), "lookup")  # another address
    assert hit(_request(), "other-scope")  # another scope
    assert hit(_request(), "lookup", key="B-1")  # another key


def test_explicit_limit_overrides_the_configured_one():
    assert [hit(_request(), "form", limit=2, window_minutes=1) for _ in range(3)] == [
        True,
        True,
        False,
    ]


def test_a_new_window_starts_counting_again():
    with mock.patch("sanyi.core.ratelimit.time.time", return_value=1_000_000.0):
        assert hit(_request(), "w", default="1/1")
        assert not hit(_request(), "w", default="1/1")
    with mock.patch("sanyi.core.ratelimit.time.time", return_value=1_000_060.0):
        assert hit(_request(), "w", default="1/1")


def test_decorator_answers_429_in_chinese_and_lets_reads_through():
    view = rate_limited("decorated", default="1/10")(lambda request: HttpResponse("ok"))
    assert view(_request()).status_code == 200
    refused = view(_request())
    assert refused.status_code == 429 and "操作太频繁" in refused.content.decode()
    assert view(_request(method="get")).status_code == 200


def test_a_rotating_forwarded_for_does_not_reset_the_count(settings):
    settings.SANYI_TRUSTED_PROXIES = []
    requests = [_request() for _ in range(3)]
    for i, request in enumerate(requests):
        request.META["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{i}"

    assert [hit(r, "xff", default="2/10") for r in requests] == [True, True, False]


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_counted(settings):
    settings.SANYI_TRUSTED_PROXIES = ["10.0.0.0/8"]
    requests = [_request(ip="10.0.0.1") for _ in range(3)]
    for i, request in enumerate(requests):
        request.META["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{i}, 203.0.113.7, 10.0.0.2"
    other = _request(ip="10.0.0.1")
    other.META["HTTP_X_FORWARDED_FOR"] = "203.0.113.8"

    assert [hit(r, "xff", default="2/10") for r in requests] == [True, True, False]
    assert hit(other, "xff", default="2/10")
