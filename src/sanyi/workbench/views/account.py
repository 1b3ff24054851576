from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from sanyi.portal.forms import StaffPasswordChangeForm
from sanyi.portal.selectors import confirmed_totp_devices, user_must_use_otp
from sanyi.portal.services import user_password_change


def account_security(request):
    context = {
        "devices": confirmed_totp_devices(request.user),
        "otp_required": user_must_use_otp(request.user),
    }
    return render(request, "workbench/account_security.html", context)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request):
    form = StaffPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_password_change(
            actor=request.user, user=request.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return redirect("workbench:account_security")
    return render(request, "workbench/password_change.html", {"form": form})
