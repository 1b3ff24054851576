"""Request-wide plumbing: the audit trail's request context, and where reads go."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from sanyi.core import replicas
from sanyi.core.request_context import bind_request

logger = logging.getLogger(__name__)
READ_METHODS = frozenset({"GET", "HEAD"})


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with bind_request(request):
            return self.get_response(request)


def _position_after_write() -> str | None:
    try:
        return replicas.primary_position()
    except DatabaseError:
        # The answer is ready; without the cookie the next page may show an older copy.
        logger.warning("could not read the primary's WAL position", exc_info=True)
        return None


class ReadReplicaMiddleware:
    """One read scope per request (``sanyi.core.replicas``; docs/adr/0030-read-replicas.md).

    GET and HEAD requests may read from a replica; an ``Authorization`` header keeps a
    request on the primary, since API clients seldom carry the position cookie from one
    call to the next. After a request that wrote, the response hands the client the
    primary's WAL position; its next requests read from a replica only once that replica
    has replayed that far, and the cookie goes once one has.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not replicas.replica_aliases():
            return self.get_response(request)
        cookie = request.COOKIES.get(replicas.POSITION_COOKIE)
        position = cookie if cookie and replicas.POSITION_RE.fullmatch(cookie) else None
        allowed = request.method in READ_METHODS and "HTTP_AUTHORIZATION" not in request.META
        with replicas.read_scope(replicas_allowed=allowed, position=position) as scope:
            response = self.get_response(request)
            new_position = _position_after_write() if scope.wrote else None
        if new_position:
            response.set_cookie(
                replicas.POSITION_COOKIE,
                new_position,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif cookie and (scope.position_reached or position is None):
            response.delete_cookie(replicas.POSITION_COOKIE, samesite="Lax")
        return response
