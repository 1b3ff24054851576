"""The staff member's sign-in page for system admins (/workbench/orgs/staff/<pk>/sign-in/):
whether they have an authenticator and are locked out; reset the authenticator (a lost
phone) or lift the lockout, each with a reason. The services check scope and audit."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from sanyi.core.forms import apply_service_errors
from sanyi.core.http import StaffRequest
from sanyi.orgs import permissions, selectors
from sanyi.orgs.models import Role, User
from sanyi.orgs.services.sign_in import (
    MAX_REASON,
    staff_login_unlock,
    staff_sign_in_state,
    staff_totp_reset,
)

ACTIONS = {"totp_reset": "重置手机验证器", "unlock": "解除登录锁定"}


class SignInHelpForm(forms.Form):
    reason = forms.CharField(
        label="原因",
        max_length=MAX_REASON,
        help_text="例如“手机丢失，本人到场核实身份”，记入操作日志",
        error_messages={"required": "请填写原因"},
    )


def _person(request: StaffRequest, pk: int) -> User:
    if not permissions.scope_paths(request.user, Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有系统管理员可以管理工作人员")
    person = get_object_or_404(User, pk=pk)
    if not selectors.staff_can_be_managed_by(viewer=request.user, user=person):
        raise PermissionDenied("该人员不在您的管理范围内")
    return person


@require_http_methods(["GET", "POST"])
def staff_sign_in(request: StaffRequest, pk: int) -> HttpResponseBase:
    person = _person(request, pk)
    posted = request.POST.get("action") if request.method == "POST" else None
    forms_by_action = {
        action: SignInHelpForm(request.POST if posted == action else None, prefix=action)
        for action in ACTIONS
    }
    form = forms_by_action.get(posted or "")
    if form is not None and form.is_valid():
        write = staff_totp_reset if posted == "totp_reset" else staff_login_unlock
        try:
            write(actor=request.user, user=person, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已为{person.get_full_name()}{ACTIONS[posted or '']}。")
            return redirect("workbench:orgs_staff_sign_in", pk=person.pk)
    return render(
        request,
        "orgs/staff/sign_in.html",
        {"person": person, "state": staff_sign_in_state(person), "forms": forms_by_action},
    )
