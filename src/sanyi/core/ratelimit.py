"""Rate limits for public forms and lookups (requests, progress lookup, verification).

Fixed windows counted in the shared cache (Redis in production), keyed by the client
address and a scope name, so one check costs one cache round trip. Limits come from
``settings.SANYI_RATE_LIMITS`` (``{scope: "count/minutes"}``), with a default per scope given
by the caller. A refused request gets HTTP 429 with a plain Chinese page.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from sanyi.core.request_context import client_ip_of


def _limit(scope: str, default: str) -> tuple[int, int]:
    spec = getattr(settings, "SANYI_RATE_LIMITS", {}).get(scope, default)
    count, minutes = spec.split("/")
    return max(int(count), 1), max(int(minutes), 1) * 60


def hit(
    request: HttpRequest,
    scope: str,
    *,
    default: str = "20/10",
    key: str = "",
    limit: int | None = None,
    window_minutes: int | None = None,
) -> bool:
    """Count one attempt for ``scope`` from this client (and ``key``, e.g. a case number).

    True while the attempt is within the limit, False once it is passed. ``limit`` and
    ``window_minutes``, when given, take the place of the scope's configured limit.
    """
    limit_, window = _limit(scope, default)
    if limit is not None:
        limit_ = max(int(limit), 1)
    if window_minutes is not None:
        window = max(int(window_minutes), 1) * 60
    limit = limit_
    ip = client_ip_of(request) or "unknown"
    cache_key = f"rl:{scope}:{ip}:{key}:{int(time.time() // window)}"
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= limit


def too_many(request: HttpRequest) -> HttpResponseBase:
    """The 429 page."""
    return render(
        request,
        "portal/error.html",
        {
            "status": 429,
            "title": "操作太频繁",
            "message": "您的操作太频繁，请稍等几分钟再试。",
        },
        status=429,
    )


def rate_limited(
    scope: str, *, default: str = "20/10", methods: tuple[str, ...] = ("POST",)
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """View decorator: count requests of ``methods`` and answer 429 past the limit."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in methods and not hit(request, scope, default=default):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def limit_wait(
    rows: QuerySet[Any], limit: int, window: dt.timedelta, now: dt.datetime
) -> dt.timedelta | None:
    """For limits counted in the database (e.g. SMS codes sent): when ``rows`` (the ones
    created in the last ``window``, with a ``created_at``) reach ``limit``, the time until
    the oldest of the newest ``limit`` of them leaves the window, which is how long the
    caller must wait; None while under the limit."""
    times = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
    if limit <= 0 or len(times) < limit:
        return None if limit > 0 else window
    return times[limit - 1] + window - now
