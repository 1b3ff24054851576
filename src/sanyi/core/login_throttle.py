"""A per-address cap on sign-in attempts (password and verification-code posts).

django-axes locks a username at one address after repeated failures; this cap also stops
one address from trying many usernames. Counters live in the shared cache (Redis in
production), in fixed windows, so the check costs one cache round trip.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from sanyi.core.request_context import client_ip_of


def _window_key(ip: str, now: float) -> str:
    window = max(int(settings.SANYI_LOGIN_IP_WINDOW_MINUTES), 1) * 60
    return f"login-ip:{ip}:{int(now // window)}"


def login_attempt_allowed(request: HttpRequest, *, now: float | None = None) -> bool:
    """Count one attempt from the request's address; False once the cap is passed."""
    ip = client_ip_of(request) or "unknown"
    key = _window_key(ip, time.time() if now is None else now)
    timeout = max(int(settings.SANYI_LOGIN_IP_WINDOW_MINUTES), 1) * 60
    if cache.add(key, 1, timeout=timeout):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            # The key expired between add() and incr(): this is the first hit of a new window.
            cache.set(key, 1, timeout=timeout)
            count = 1
    return count <= int(settings.SANYI_LOGIN_IP_LIMIT)
