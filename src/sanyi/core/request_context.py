"""The client address of a request, and the current one for audit rows written by services.

Services take the actor explicitly; the IP is ambient because it belongs to the transport.

``client_ip_of`` is the only place the platform decides who a client is: rate limits, the
sign-in cap, the API throttles, django-axes (``AXES_CLIENT_IP_CALLABLE``) and the audit
trail all call it, so a limit can never be dodged by a header one of them trusts and
another does not.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import ipaddress
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)
_request: contextvars.ContextVar = contextvars.ContextVar("request", default=None)


def parse_address(value: str | None) -> IPAddress | None:
    """An address as a proxy may write it (``203.0.113.7``, ``203.0.113.7:51234``,
    ``[2001:db8::1]:443``, ``::ffff:203.0.113.7``), or None when it is not one."""
    text = (value or "").strip()
    if not text:
        return None
    if text.startswith("["):  # [v6]:port
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # v4:port
        text = text.partition(":")[0]
    text = text.partition("%")[0]  # a v6 zone id names an interface, not a client
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """``SANYI_TRUSTED_PROXIES`` as networks (a bare address is a one-address network)."""
    return _networks(tuple(getattr(settings, "SANYI_TRUSTED_PROXIES", ()) or ()))


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip_of(request: HttpRequest) -> str | None:
    """The address of the client that sent ``request``.

    ``X-Forwarded-For`` is read only when the connection itself comes from a trusted proxy
    (``SANYI_TRUSTED_PROXIES``). Each proxy appends the address it received the request
    from, so the header is read from the right and the first address that is not a
    trusted proxy is the client; anything further left was written by the client and can
    be anything. An unreadable entry stops the walk: nothing left of it can be trusted,
    so the last proxy reached stands for the client (stricter, never looser).
    """
    remote = parse_address(request.META.get("REMOTE_ADDR"))
    networks = trusted_proxies()
    if remote is None or not networks or not _is_trusted(remote, networks):
        return str(remote) if remote is not None else None
    client = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not entry.strip():
            continue
        address = parse_address(entry)
        if address is None:
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


@contextlib.contextmanager
def bind_request(request: HttpRequest) -> Iterator[None]:
    token = _client_ip.set(client_ip_of(request))
    request_token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(request_token)
        _client_ip.reset(token)


def current_client_ip() -> str | None:
    return _client_ip.get()


def current_request_user() -> Any:
    """The signed-in user of the request being served, or None (command line, anonymous).

    Only for code that third-party machinery calls without an actor (django-axes deleting
    a lockout from its admin page), so the audit row can still name who did it.
    """
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None
