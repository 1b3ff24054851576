"""Django's admin, for system admins only, each time with a verified second factor.

Signing in always goes through the portal's staff login, which applies the lockout, the
per-address cap and the TOTP step; the admin's own login form is never offered.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.admin import OTPAdminSite

from sanyi.portal.selectors import user_is_system_admin


class SanyiAdminSite(OTPAdminSite):
    site_header = "三一平台系统管理"
    site_title = "系统管理"
    index_title = "系统管理"

    def has_permission(self, request):
        return super().has_permission(request) and user_is_system_admin(request.user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated and not self.has_permission(request):
            # Signed in but not allowed here: say so rather than loop through the login.
            raise PermissionDenied("只有通过两步验证的系统管理员可以进入系统管理")
        if request.user.is_authenticated:
            return HttpResponseRedirect(next_url)
        return redirect_to_login(next_url)
