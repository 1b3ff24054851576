"""Who the client is: X-Forwarded-For only from trusted proxies, read from the right."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from sanyi.core.request_context import client_ip_of, parse_address
from sanyi.settings.env import env_networks


def _request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.SANYI_TRUSTED_PROXIES = []

    assert client_ip_of(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_a_header_from_an_untrusted_connection_is_ignored(settings):
    settings.SANYI_TRUSTED_PROXIES = ["127.0.0.1"]

    assert client_ip_of(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(settings):
    settings.SANYI_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]

    # The client wrote the first two entries itself; nginx appended the real address, an
    # inner proxy appended the outer one.
    forwarded = "1.1.1.1, 8.8.8.8, 198.51.100.9, 10.1.2.3"

    assert client_ip_of(_request("127.0.0.1", forwarded)) == "198.51.100.9"


def test_spoofed_left_most_entries_never_change_the_client(settings):
    settings.SANYI_TRUSTED_PROXIES = ["127.0.0.1"]
    seen = {
        client_ip_of(_request("127.0.0.1", f"{spoof}, 198.51.100.9"))
        for spoof in ("1.2.3.4", "5.6.7.8", "::1", "127.0.0.1", "garbage")
    }

    assert seen == {"198.51.100.9"}


def test_ipv6_proxies_and_clients(settings):
    settings.SANYI_TRUSTED_PROXIES = ["::1", "fd00::/8"]

    assert client_ip_of(_request("::1", "2001:db8::5, fd00::7")) == "2001:db8::5"
    assert client_ip_of(_request("::1", "[2001:db8::6]:443")) == "2001:db8::6"


def test_an_unreadable_entry_stops_the_walk_at_the_last_proxy(settings):
    settings.SANYI_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]

    assert client_ip_of(_request("127.0.0.1", "198.51.100.9, not-an-ip, 10.0.0.2")) == "10.0.0.2"
    assert client_ip_of(_request("127.0.0.1", "")) == "127.0.0.1"
    assert client_ip_of(_request("127.0.0.1", " , ")) == "127.0.0.1"


def test_ports_and_mapped_addresses_are_read_as_the_address():
    assert str(parse_address("203.0.113.7:51234")) == "203.0.113.7"
    assert str(parse_address("::ffff:203.0.113.7")) == "203.0.113.7"
    assert str(parse_address("fe80::1%eth0")) == "fe80::1"
    assert parse_address("unknown") is None
    assert parse_address("") is None


def test_an_unreadable_connection_address_is_no_address(settings):
    settings.SANYI_TRUSTED_PROXIES = []

    assert client_ip_of(_request("")) is None


def test_trusted_proxies_are_checked_at_start(monkeypatch):
    monkeypatch.setenv("SANYI_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1")
    assert env_networks("SANYI_TRUSTED_PROXIES") == ["127.0.0.1", "10.0.0.0/8", "::1"]

    monkeypatch.setenv("SANYI_TRUSTED_PROXIES", "127.0.0.1,nginx")
    with pytest.raises(ImproperlyConfigured, match=r"SANYI_TRUSTED_PROXIES.*'nginx'"):
        env_networks("SANYI_TRUSTED_PROXIES")
