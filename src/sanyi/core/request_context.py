"""The current request's client address, for audit rows written by services.

Services take the actor explicitly; the IP is ambient because it belongs to the transport.
"""

from __future__ import annotations

import contextlib
import contextvars

_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)


def client_ip_of(request) -> str | None:
    # Behind a trusted proxy the real address is the first X-Forwarded-For hop; the
    # deployment guide says to strip client-sent values at the proxy.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


@contextlib.contextmanager
def bind_request(request):
    token = _client_ip.set(client_ip_of(request))
    try:
        yield
    finally:
        _client_ip.reset(token)


def current_client_ip() -> str | None:
    return _client_ip.get()
