"""Rate limits, keyed by the client address the rest of the platform uses.

DRF's own ``get_ident`` joins the whole X-Forwarded-For header when no proxy count is
set, so a client could pick a fresh key for every request; the platform instead reads the
header only from trusted proxies (``SANYI_TRUSTED_PROXIES``), right to left
(``sanyi.core.request_context.client_ip_of``).
"""

from rest_framework import throttling

from sanyi.core.request_context import client_ip_of


class _PlatformClientIdent:
    def get_ident(self, request):
        return client_ip_of(request) or "unknown"


class AnonRateThrottle(_PlatformClientIdent, throttling.AnonRateThrottle):
    """Anonymous callers, per address (rate "anon")."""


class UserRateThrottle(_PlatformClientIdent, throttling.UserRateThrottle):
    """Signed-in callers per account, anonymous ones per address (rate "user")."""


class TokenObtainThrottle(_PlatformClientIdent, throttling.SimpleRateThrottle):
    """Password attempts at the token endpoint, per address (rate "api_token").

    Works alongside django-axes, which locks one account after repeated failures: this
    limit also slows one address trying many different accounts.
    """

    scope = "api_token"

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicFormThrottle(_PlatformClientIdent, throttling.SimpleRateThrottle):
    """Public forms and lookups (verification, progress lookup, requests), per address
    (rate "public_form")."""

    scope = "public_form"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
