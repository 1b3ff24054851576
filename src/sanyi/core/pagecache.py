"""Public pages for anonymous visitors, rendered once and served from the cache.

A published guide, a public record, a life event or an area's directory reads the same for
every anonymous visitor until someone publishes, revokes or edits what it shows. Pages
decorated with ``public_page`` are therefore kept whole in the ``pages`` cache, keyed on:

* the **generation of public content**: a counter in the database that the services bump
  (``public_content_changed()``) after every commit that changes what anonymous visitors
  see (publishing, cancelling or revoking, calendar, org units and centres, life events,
  disclosure areas), plus the next moment public content changes by itself (a scheduled
  record's time, midnight), so nothing needs a write to go stale;
* what else the page shows: the path and query, scheme and host, the language, large-text
  mode and the cookies the view names (the resident's area).

Keeping the generation fresh follows the calendar's pattern (``calendar.selectors``): the
process that makes a change reads the new counter right after its commit; every other
process (other gunicorn workers, other nodes) reads it at most ``CHECK_SECONDS`` later.
The counter lives in the database because the default cache is per process. While a
thread's change is not yet committed, the cache is neither read nor written by that thread.

Only anonymous visitors are served from the cache: a signed-in member of staff or resident
(or a session holding anything but what ``register_anonymous_session_key`` allows) gets the
page rendered for them, marked ``private``. A cached page holds nothing per request: the
CSRF token of a form on it is a placeholder replaced for each response, and a page that
used a CSP nonce, queued a message or set a cookie is not kept.

Browsers and shared caches get an ETag (a hash of the page) and Last-Modified (when the copy
was made), a 304 to a matching conditional GET, and ``Cache-Control: public,
max-age=SANYI_PAGE_MAX_AGE``. ``SharedCacheGuardMiddleware`` turns ``public`` into
``private`` on any response that sets a cookie (a CSRF cookie for a page with a form, the
session of a counted guide view), so no shared cache ever keeps a cookie meant for one
browser. See docs/performance.md, "Public pages".
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from sanyi.core.models import PublicContentGeneration

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
# How long another process may serve pages of the previous generation.
CHECK_SECONDS = 2.0
# Large-text mode (关怀模式): the portal shell renders it on the server, from this cookie.
CARE_COOKIE = "sanyi_care"
# Stands for the CSRF token in a cached page; each response gets a fresh token instead.
CSRF_PLACEHOLDER = "sanyi-pagecache-csrf-token"
_CSRF_BYTES = CSRF_PLACEHOLDER.encode()
_CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")

_MISSING = object()
T = TypeVar("T")
View = Callable[..., HttpResponseBase]
Schedule = Callable[[dt.datetime], "dt.datetime | None"]


# --- the generation of public content ---------------------------------------------------


@dataclass
class _Generation:
    counter: int = 0
    # The next moment public content changes without a write (a scheduled record, midnight).
    next_change: dt.datetime | None = None
    checked_at: float = float("-inf")


_lock = threading.Lock()
_state = _Generation()
_thread = threading.local()  # .pending: a change of this thread awaits its commit
_schedules: list[Schedule] = []
_anonymous_session_keys: set[str] = set()


def register_schedule(schedule: Schedule) -> None:
    """Let an app say when its public content next changes by the clock alone: ``schedule(now)``
    returns that moment, or None (one cheap query at most; called at each refresh)."""
    if schedule not in _schedules:
        _schedules.append(schedule)


def register_anonymous_session_key(key: str) -> None:
    """A session key that says nothing about who the visitor is (e.g. the analytics'
    already-counted marks): a session holding only such keys is still anonymous."""
    _anonymous_session_keys.add(key)


def public_content_changed(*, using: str | None = None) -> None:
    """Say that what anonymous visitors see has changed. Called by the services in the
    transaction that makes the change (or outside one): the counter moves once, on commit,
    however often a transaction calls this."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _committed(using)
        return
    _thread.pending = True
    if getattr(_thread, "hooks", None) is connection.run_on_commit:
        return  # already registered in this transaction
    transaction.on_commit(functools.partial(_committed, using), using=using, robust=True)
    _thread.hooks = connection.run_on_commit


def _committed(using: str | None) -> None:
    _thread.pending = False
    _thread.hooks = None
    rows = PublicContentGeneration.objects.using(using).filter(pk=1)
    if not rows.update(value=F("value") + 1, changed_at=timezone.now()):
        _row, created = PublicContentGeneration.objects.using(using).get_or_create(
            pk=1, defaults={"value": 1, "changed_at": timezone.now()}
        )
        if not created:
            rows.update(value=F("value") + 1, changed_at=timezone.now())
    with _lock:
        _state.checked_at = float("-inf")


def _change_pending() -> bool:
    if not getattr(_thread, "pending", False):
        return False
    if transaction.get_connection().in_atomic_block:
        return True
    # The transaction ended without its commit hook running: it was rolled back.
    _thread.pending = False
    _thread.hooks = None
    return False


def _next_midnight(now: dt.datetime) -> dt.datetime:
    today = timezone.localdate(now)
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))


def _refresh(now: dt.datetime, started: float) -> None:
    counter = (
        PublicContentGeneration.objects.filter(pk=1).values_list("value", flat=True).first() or 0
    )
    moments = [_next_midnight(now)]
    for schedule in _schedules:
        moment = schedule(now)
        if moment is not None and moment > now:
            moments.append(moment)
    with _lock:
        _state.counter = counter
        _state.next_change = min(moments)
        _state.checked_at = started


def generation() -> str:
    """The generation of public content as this process knows it (no query in the steady
    state; a refresh reads one row, and one row per registered schedule)."""
    started = time.monotonic()
    now = timezone.now()
    state = _state
    if (
        started - state.checked_at >= CHECK_SECONDS
        or state.next_change is None
        or now >= state.next_change
    ):
        _refresh(now, started)
    next_change = state.next_change.timestamp() if state.next_change else 0
    return f"{state.counter}-{next_change:.0f}"


def pagecache_reset() -> None:
    """Forget the generation and every cached page (tests; after restoring a database)."""
    with _lock:
        _state.counter = 0
        _state.next_change = None
        _state.checked_at = float("-inf")
    _thread.pending = False
    _thread.hooks = None
    caches[CACHE_ALIAS].clear()


def settings_changed(**kwargs: Any) -> None:
    """Receiver of Django's ``setting_changed`` (tests only): pages rendered under other
    settings are dropped."""
    if kwargs.get("setting") != "CACHES":
        caches[CACHE_ALIAS].clear()


def memoise(key: str, build: Callable[[], T], *, seconds: int | None = None) -> T:
    """``build()``, kept in the page cache for the current generation of public content:
    for data that depends on published content alone (a guide's page data), shared by
    every rendering of it (signed-in visitors, other languages, other large-text modes).
    An exception from ``build`` is raised and nothing is kept."""
    if not settings.SANYI_PAGE_CACHE or _change_pending():
        return build()
    cache = caches[CACHE_ALIAS]
    full_key = f"data:{generation()}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(full_key, value, seconds or settings.SANYI_PAGE_CACHE_SECONDS)
    return value


# --- who is served from the cache -------------------------------------------------------


def is_anonymous(request: HttpRequest) -> bool:
    """No member of staff, no resident and nothing personal in the session."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    return session is not None and set(session.keys()) <= _anonymous_session_keys


def _personal(request: HttpRequest) -> bool:
    """The page is rendered for this visitor alone (signed in, or a message to show)."""
    return CookieStorage.cookie_name in request.COOKIES or not is_anonymous(request)


def _key(request: HttpRequest, cookies: tuple[str, ...]) -> str:
    parts = [
        generation(),
        request.scheme or "",
        request.get_host(),
        get_language() or "",
        *(request.COOKIES.get(name, "")[:64] for name in (CARE_COOKIE, *cookies)),
        request.get_full_path(),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


# --- the decorator ----------------------------------------------------------------------


def csrf_placeholder(request: HttpRequest) -> dict[str, Any]:
    """Context processor: while a page is rendered for the cache, a form's CSRF token is a
    placeholder (``public_page`` puts a fresh token in each response)."""
    if rendering_for_cache(request):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def rendering_for_cache(request: HttpRequest) -> bool:
    """Whether the view is rendering the page every anonymous visitor gets (its own
    conditional answers and freshness checks are not needed then)."""
    return getattr(request, "_pagecache_rendering", False)


def _render_for_cache(
    request: HttpRequest, view: View, args: Any, kwargs: Any
) -> dict[str, Any] | HttpResponseBase:
    """The view's page for every anonymous visitor, or its response when that cannot be
    kept (an error, a redirect, a stream, a page made for this visitor)."""
    # A full page, whatever the browser already holds: the conditional answer is ours.
    saved = {name: request.META.pop(name) for name in _CONDITIONAL_HEADERS if name in request.META}
    request._pagecache_rendering = True  # type: ignore[attr-defined]
    try:
        response = view(request, *args, **kwargs)
    finally:
        request._pagecache_rendering = False  # type: ignore[attr-defined]
        request.META.update(saved)
    messages = getattr(request, "_messages", None)
    if (
        not isinstance(response, HttpResponse)
        or response.status_code != 200
        or response.cookies
        or "private" in response.get("Cache-Control", "")
        or isinstance(getattr(request, "_csp_nonce", None), str)
        or getattr(messages, "_queued_messages", None)
    ):
        return response
    body = response.content
    return {
        "body": body,
        "type": response["Content-Type"],
        "etag": hashlib.sha256(body).hexdigest()[:32],
        "at": int(time.time()),
        "csrf": _CSRF_BYTES in body,
    }


def _serve(request: HttpRequest, entry: dict[str, Any]) -> HttpResponseBase:
    etag = f'"{entry["etag"]}"'
    if entry["csrf"]:
        # The page carries a token for this browser's CSRF cookie: a copy it already
        # holds stays good while that cookie does.
        cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        mixed = hashlib.sha256(f"{entry['etag']}:{cookie}".encode()).hexdigest()[:32]
        etag = f'W/"{mixed}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=entry["at"])
    if not_modified is not None:
        response: HttpResponseBase = not_modified
    else:
        body = entry["body"]
        if entry["csrf"]:
            body = body.replace(_CSRF_BYTES, get_token(request).encode())
        response = HttpResponse(body, content_type=entry["type"])
    response["ETag"] = etag
    response["Last-Modified"] = http_date(entry["at"])
    patch_cache_control(response, public=True, max_age=settings.SANYI_PAGE_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return response


def public_page(
    *, cookies: tuple[str, ...] = (), seconds: int | None = None
) -> Callable[[View], View]:
    """Serve the view's GET from the page cache to anonymous visitors (see the module
    docstring). ``cookies``: the cookies, besides the language and large-text mode, that
    change the page. ``seconds``: keep a copy at most this long (parts that change without
    a publish, such as counts); by default ``SANYI_PAGE_CACHE_SECONDS``."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if _personal(request):
                response = view(request, *args, **kwargs)
                # Rendered for this visitor: never from or into a shared cache.
                patch_cache_control(response, private=True)
                patch_vary_headers(response, ["Cookie"])
                return response
            if not settings.SANYI_PAGE_CACHE or _change_pending():
                return view(request, *args, **kwargs)
            cache = caches[CACHE_ALIAS]
            key = _key(request, cookies)
            entry = cache.get(key)
            if entry is None:
                entry = _render_for_cache(request, view, args, kwargs)
                if not isinstance(entry, dict):
                    return entry  # an error page, a redirect or a page made for one visitor
                cache.set(key, entry, seconds or settings.SANYI_PAGE_CACHE_SECONDS)
            return _serve(request, entry)

        return wrapped

    return decorate


# --- shared caches never keep a cookie ----------------------------------------------------


class SharedCacheGuardMiddleware:
    """A response that sets a cookie is for one browser only: ``public`` becomes ``private``.
    Listed before the session and CSRF middleware, so their cookies are seen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.cookies and "public" in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        return response
