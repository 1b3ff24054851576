"""Staff sign-in: password (django-axes counts failures), then, for staff with an
authenticator and for every system admin, a 6-digit TOTP code.

Between the two steps the session holds only a pending marker, not a login: a user who
has passed the password step is not signed in until the code is right.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.views import LoginView, LogoutView
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from sanyi.core.login_throttle import login_attempt_allowed
from sanyi.core.request_context import client_ip_of
from sanyi.portal.forms import OTPCodeForm, StaffLoginForm
from sanyi.portal.selectors import (
    confirmed_totp_devices,
    totp_wait_message,
    totp_wait_seconds,
    user_must_use_otp,
)
from sanyi.portal.services import (
    totp_device_confirm,
    totp_device_start,
    totp_qr_data_uri,
    totp_secret_text,
)
from sanyi.portal.signin_audit import WRONG_OTP_REASON, channel_of, sign_in_failure_record

PENDING_KEY = "sanyi_login_pending"
PENDING_MAX_AGE_SECONDS = 5 * 60
MAX_CODE_FAILURES = 5


def _throttled(request):
    return render(request, "portal/locked_out.html", {"throttled": True}, status=429)


def _pending(request) -> tuple[dict, object] | tuple[None, None]:
    """The half-finished sign-in in this session and its user, if still valid."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None, None
    if time.time() - pending.get("since", 0) > PENDING_MAX_AGE_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user_id"), is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None, None
    return pending, user


def _code_failed(request, pending, user) -> bool:
    """Count a wrong code; True when the pending sign-in is used up."""
    sign_in_failure_record(
        username=user.get_username(),
        ip=client_ip_of(request),
        channel=channel_of(request),
        reason=WRONG_OTP_REASON,
    )
    pending["failures"] = pending.get("failures", 0) + 1
    if pending["failures"] >= MAX_CODE_FAILURES:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, _("验证码连续输错次数过多，请重新输入用户名和密码。"))
        return True
    request.session[PENDING_KEY] = pending
    return False


def _finish_login(request, pending, user, device):
    request.session.pop(PENDING_KEY, None)
    auth_login(request, user, backend=pending["backend"])
    otp_login(request, device)
    return redirect(pending["next"])


class StaffLoginView(LoginView):
    template_name = "portal/login.html"
    form_class = StaffLoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not login_attempt_allowed(request):
            return _throttled(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        has_device = bool(confirmed_totp_devices(user))
        if not has_device and not user_must_use_otp(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "user_id": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "since": time.time(),
            "failures": 0,
        }
        return redirect("portal:login_otp" if has_device else "portal:otp_setup")


staff_login = StaffLoginView.as_view()
staff_logout = LogoutView.as_view()


@sensitive_post_parameters("code")
@never_cache
def login_otp(request):
    """Second step: the code from the staff member's authenticator."""
    pending, user = _pending(request)
    if user is None:
        messages.info(request, _("请先输入用户名和密码。"))
        return redirect("portal:login")
    devices = confirmed_totp_devices(user)
    if not devices:
        return redirect("portal:otp_setup")
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST":
        if not login_attempt_allowed(request):
            return _throttled(request)
        wait = totp_wait_seconds(devices) if form.is_valid() else 0
        if wait:
            # django-otp's back-off after a wrong code would refuse even the right one.
            form.add_error("code", totp_wait_message(wait))
        elif form.is_valid():
            for device in devices:
                if device.verify_token(form.cleaned_data["code"]):
                    return _finish_login(request, pending, user, device)
            form.add_error("code", _("验证码不正确或已过期，请输入验证器上当前显示的6位数字。"))
            if _code_failed(request, pending, user):
                return redirect("portal:login")
    return render(request, "portal/login_otp.html", {"form": form, "staff": user})


@sensitive_post_parameters("code")
@never_cache
def otp_setup(request):
    """Set up an authenticator: required for system admins at sign-in, optional for staff."""
    pending, user = (None, None)
    if request.user.is_authenticated:
        user = request.user
    else:
        pending, user = _pending(request)
    if user is None:
        messages.info(request, _("请先登录。"))
        return redirect("portal:login")
    if confirmed_totp_devices(user):
        if pending is not None:
            return redirect("portal:login_otp")
        messages.info(request, _("您已设置手机验证器。"))
        return redirect("workbench:account_security")

    device = totp_device_start(actor=user, user=user)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST":
        if not login_attempt_allowed(request):
            return _throttled(request)
        if form.is_valid():
            if totp_device_confirm(actor=user, device=device, token=form.cleaned_data["code"]):
                if pending is not None:
                    return _finish_login(request, pending, user, device)
                otp_login(request, device)
                messages.success(request, _("手机验证器已设置。以后登录时需要输入验证码。"))
                return redirect("workbench:account_security")
            form.add_error(
                "code", _("验证码不正确，请确认手机时间准确，输入验证器上当前的6位数字。")
            )
            if pending is not None and _code_failed(request, pending, user):
                return redirect("portal:login")
    context = {
        "form": form,
        "staff": user,
        "required": pending is not None,
        "qr_data_uri": totp_qr_data_uri(device),
        "secret_text": totp_secret_text(device),
    }
    return render(request, "portal/otp_setup.html", context)
