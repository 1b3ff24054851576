"""The API's own rate limits, keyed by the platform's client address
(``sanyi.core.throttles``, where the apps' ``PublicFormThrottle`` also lives)."""

from rest_framework import throttling

from sanyi.core.throttles import PlatformClientIdent


class AnonRateThrottle(PlatformClientIdent, throttling.AnonRateThrottle):
    """Anonymous callers, per address (rate "anon")."""


class UserRateThrottle(PlatformClientIdent, throttling.UserRateThrottle):
    """Signed-in callers per account, anonymous ones per address (rate "user")."""


class TokenObtainThrottle(PlatformClientIdent, throttling.SimpleRateThrottle):
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
