"""Counting guide views and opened application pages, without tracking anyone.

The catalogue and the cases apps know nothing of analytics (they sit beside it and must
not import it); this middleware looks at which public page answered instead. A view
counts when all of these hold:

* a GET of the public guide page (``catalog:guide``) or the online application page
  (``cases:apply``) answered 200, or 304 (a reload the browser revalidated);
* not a member of staff signed in (a preview of their own guide is not demand);
* not a robot or a prefetch: the User-Agent is checked for robot words, then forgotten;
* the browser has not counted the same page today. What it counted is kept in one
  cookie of its own, as short keyed hashes of day, kind and item, which lapses at the end
  of the day (ADR 0033: the count writes nothing on the server but its day's row).

Nothing about the request is written: no address (``REMOTE_ADDR`` is never read), no
User-Agent, no session key, no account, no time finer than the day. A failure to count
never fails the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from sanyi.analytics.models import BehaviourKind
from sanyi.analytics.services import behaviour_count_add
from sanyi.core.replicas import blind_writes

logger = logging.getLogger(__name__)

# URL name → what a successful GET of it counts as.
COUNTED_PAGES = {
    "catalog:guide": BehaviourKind.GUIDE_VIEW,
    "cases:apply": BehaviourKind.APPLY_VIEW,
}
COOKIE = "sanyi_counted"
# Where sessions kept the same before (apps.py still treats it as anonymous).
OLD_SESSION_KEY = "_sanyi_counted"
# A browser that opens more pages than this in a day is not a person reading guides.
MAX_PER_DAY = 200
# The keyed hash of one counted page, in bytes (the cookie holds it in hex).
DIGEST_BYTES = 6
ROBOT_WORDS = (
    "bot",
    "spider",
    "crawl",
    "slurp",
    "curl",
    "wget",
    "python",
    "java/",
    "httpclient",
    "okhttp",
    "go-http",
    "headless",
    "phantomjs",
    "lighthouse",
    "preview",
    "monitor",
    "facebookexternalhit",
)


def is_robot(user_agent: str) -> bool:
    """Whether a User-Agent names a robot, a script or a headless browser (or is empty)."""
    ua = user_agent.lower()
    return not ua.strip() or any(word in ua for word in ROBOT_WORDS)


def _is_prefetch(request: HttpRequest) -> bool:
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower()


def _seen_key(day: str, kind: str, code: str) -> str:
    """A short keyed hash, so the cookie does not list the guides a person read."""
    key = settings.SECRET_KEY.encode()[:64]
    return hashlib.blake2b(
        f"{day}|{kind}|{code}".encode(), key=key, digest_size=DIGEST_BYTES
    ).hexdigest()


def _counted_page(request: HttpRequest, response: HttpResponseBase) -> tuple[str, str] | None:
    """(kind, implementation code) when this request is a view to count, else None."""
    match = getattr(request, "resolver_match", None)
    if match is None or request.method != "GET" or response.status_code not in (200, 304):
        return None
    kind = COUNTED_PAGES.get(match.view_name)
    code = match.kwargs.get("implementation_code", "")
    if kind is None or not code:
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    if is_robot(request.headers.get("User-Agent", "")) or _is_prefetch(request):
        return None
    return kind, str(code)[:36]


HASH_CHARS = 2 * DIGEST_BYTES  # _seen_key's digest, in hex
_COOKIE_RE = re.compile(rf"(\d{{8}})\.((?:[0-9a-f]{{{HASH_CHARS}}})*)")


def counted_today(request: HttpRequest, day: dt.date) -> list[str]:
    """The keys the browser's cookie says it counted on ``day``; none for another day or a
    cookie that is not one of ours."""
    found = _COOKIE_RE.fullmatch(request.COOKIES.get(COOKIE, ""))
    if found is None or found[1] != f"{day:%Y%m%d}":
        return []
    seen = found[2]
    return [seen[i : i + HASH_CHARS] for i in range(0, len(seen), HASH_CHARS)]


def _remember(response: HttpResponseBase, day: dt.date, seen: list[str]) -> None:
    """The cookie after a count: today's keys, lapsing at the end of the day."""
    midnight = dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(), timezone.get_current_timezone()
    )
    response.set_cookie(
        COOKIE,
        f"{day:%Y%m%d}.{''.join(seen)}",
        max_age=max(60, int((midnight - timezone.now()).total_seconds())),
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class BehaviourMiddleware:
    """Listed after the session and authentication middleware (settings.MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        page = _counted_page(request, response)
        if page is None:
            return response
        today = timezone.localdate()
        seen = counted_today(request, today)
        key = _seen_key(today.isoformat(), *page)
        if key in seen or len(seen) >= MAX_PER_DAY:
            return response
        try:
            # A count nobody reads back keeps no later read on the primary.
            with blind_writes():
                behaviour_count_add(kind=page[0], implementation_code=page[1], day=today)
        except DatabaseError:
            logger.exception("could not count a %s", page[0])
            return response
        _remember(response, today, [*seen, key])
        return response
