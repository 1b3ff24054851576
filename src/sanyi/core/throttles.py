"""API rate limits keyed by the client address the rest of the platform uses.

DRF's own ``get_ident`` joins the whole X-Forwarded-For header when no proxy count is
set, so a client could pick a fresh key for every request; the platform instead reads the
header only from trusted proxies (``SANYI_TRUSTED_PROXIES``), right to left
(``sanyi.core.request_context.client_ip_of``). The API shell's own throttles
(``sanyi.api.throttles``) build on ``PlatformClientIdent``; the apps' public endpoints use
``PublicFormThrottle``.
"""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework import throttling

from sanyi.core.request_context import client_ip_of


class PlatformClientIdent:
    def get_ident(self, request: HttpRequest) -> str:
        return client_ip_of(request) or "unknown"


class PublicFormThrottle(PlatformClientIdent, throttling.SimpleRateThrottle):
    """Public forms and lookups (verification, progress lookup, requests), per address
    (rate "public_form")."""

    scope = "public_form"

    def get_cache_key(self, request: HttpRequest, view: object) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
