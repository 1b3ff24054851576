"""Every workbench page needs a signed-in staff member; system admins also need a verified
second factor while SANYI_REQUIRE_ADMIN_OTP is on.

A middleware rather than a decorator so pages other apps add under /workbench/ are covered
without anyone remembering to decorate them.
"""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from sanyi.portal.selectors import user_must_use_otp


def workbench_access_denied(request):
    """None when the request may reach a workbench page, else the redirect to send."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user_must_use_otp(user) and not user.is_verified():
        # The session predates the rule (or was opened elsewhere): start over at the
        # sign-in page, which asks for the code or sets up an authenticator.
        logout(request)
        return redirect_to_login(request.get_full_path())
    return None


class WorkbenchAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "workbench" not in match.namespaces:
            return None
        return workbench_access_denied(request)
