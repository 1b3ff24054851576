"""The applicant's own area under /my/: SMS sign-in, profile, messages and sections."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from sanyi.applicants import portal, selectors, services
from sanyi.applicants.auth import (
    applicant_login_required,
    current_applicant,
    login_applicant,
    logout_applicant,
    safe_next,
)
from sanyi.applicants.models import SignInPurpose
from sanyi.applicants.web.forms import (
    CodeForm,
    ContactForm,
    PhoneChangeForm,
    PhoneCodesForm,
    RegisterForm,
    SignInForm,
    WalletConsentForm,
)
from sanyi.core.login_throttle import login_attempt_allowed
from sanyi.core.request_context import client_ip_of
from sanyi.core.responses import file_response
from sanyi.notify import selectors as notify_selectors
from sanyi.notify.services import message_mark_read, messages_mark_all_read

CHALLENGE_KEY = "sanyi_applicant_challenge"
PHONE_CHALLENGE_KEY = "sanyi_applicant_phone_challenge"
DEMO_CODE_KEY = "sanyi_applicant_demo_code"
SENT_NOTICE = "如果填写的信息与我们的记录一致，验证码已发送到该手机，{minutes}分钟内有效。"
REGISTER_NOTICE = (
    "如果填写的信息可以注册，验证码已发送到该手机，{minutes}分钟内有效。"
    "已经注册过的证件号码请直接登录；手机号已更换的，请带身份证件到办事窗口更新。"
)


def _code_minutes() -> int:
    return int(services.code_ttl().total_seconds() // 60)


def _throttled(request):
    return render(request, "portal/locked_out.html", {"throttled": True}, status=429)


def _demo_codes_shown() -> bool:
    """The console SMS provider sends nothing; outside production the code is shown on
    the page so the demo can be used."""
    from sanyi.notify.channels import sms_provider_is_console

    return sms_provider_is_console() and not settings.PRODUCTION


def _start_challenge(request, *, purpose: str, form, next_url: str = ""):
    """Ask for a code; on success remember the challenge and go to the code page."""
    data = form.cleaned_data
    try:
        result = services.signin_code_request(
            purpose=purpose,
            id_number=data["id_number"],
            phone=data["phone"],
            name=data.get("name", ""),
            ip=client_ip_of(request),
        )
    except services.RateLimited as limited:
        form.add_error(None, limited.message)
        return None
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    request.session[CHALLENGE_KEY] = {"id": result.challenge.pk, "next": next_url}
    if _demo_codes_shown() and result.code:
        request.session[DEMO_CODE_KEY] = result.code
    else:
        request.session.pop(DEMO_CODE_KEY, None)
    return redirect("applicants:verify")


@never_cache
@sensitive_post_parameters("id_number", "phone")
@require_http_methods(["GET", "POST"])
def login(request):
    if current_applicant(request) is not None:
        return redirect(safe_next(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST":
        if not login_attempt_allowed(request):
            return _throttled(request)
        if form.is_valid():
            response = _start_challenge(
                request, purpose=SignInPurpose.LOGIN, form=form, next_url=safe_next(request)
            )
            if response:
                messages.info(request, SENT_NOTICE.format(minutes=_code_minutes()))
                return response
    return render(
        request,
        "applicants/login.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


@never_cache
@sensitive_post_parameters("id_number", "phone", "name")
@require_http_methods(["GET", "POST"])
def register(request):
    if current_applicant(request) is not None:
        return redirect("applicants:home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        if not login_attempt_allowed(request):
            return _throttled(request)
        if form.is_valid():
            response = _start_challenge(request, purpose=SignInPurpose.REGISTER, form=form)
            if response:
                messages.info(request, REGISTER_NOTICE.format(minutes=_code_minutes()))
                return response
    return render(request, "applicants/register.html", {"form": form})


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request):
    pending = request.session.get(CHALLENGE_KEY)
    if not isinstance(pending, dict):
        messages.warning(request, "请先填写证件号码和手机号获取验证码。")
        return redirect("applicants:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if not login_attempt_allowed(request):
            return _throttled(request)
        if form.is_valid():
            try:
                applicant = services.signin_code_verify(
                    challenge_id=pending["id"], code=form.cleaned_data["code"]
                )
            except ValidationError as exc:
                form.add_error("code", exc.message_dict.get("code", exc.messages))
            else:
                request.session.pop(CHALLENGE_KEY, None)
                request.session.pop(DEMO_CODE_KEY, None)
                login_applicant(request, applicant)
                messages.success(request, f"欢迎您，{applicant.name}。")
                return redirect(pending.get("next") or "applicants:home")
    return render(
        request,
        "applicants/verify.html",
        {"form": form, "demo_code": request.session.get(DEMO_CODE_KEY, "")},
    )


@require_POST
def logout(request):
    logout_applicant(request)
    messages.success(request, "您已退出登录。")
    return redirect("portal:home")


@never_cache
@applicant_login_required
def home(request):
    applicant = request.applicant
    return render(
        request,
        "applicants/home.html",
        {
            "applicant": applicant,
            "sections": portal.sections(),
            "unread": notify_selectors.unread_count(applicant=applicant),
            "latest": notify_selectors.inbox(applicant=applicant)[:3],
            "authorisations": selectors.authorisations_of(applicant=applicant),
            "reuse_consent": selectors.reuse_consent_of(applicant),
        },
    )


@never_cache
@applicant_login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    applicant = request.applicant
    initial = {
        "email": applicant.email,
        "address": applicant.address,
        "postal_code": applicant.postal_code,
        "legal_representative": applicant.legal_representative,
        "organisation_category": applicant.organisation_category,
    }
    form = ContactForm(request.POST or None, initial=initial, applicant=applicant)
    if request.method == "POST" and form.is_valid():
        try:
            services.applicant_update(
                applicant=applicant, actor=applicant.audit_label, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "联系方式已保存。")
            return redirect("applicants:home")
    return render(request, "applicants/profile_edit.html", {"form": form, "applicant": applicant})


@never_cache
@sensitive_post_parameters("phone")
@applicant_login_required
@require_http_methods(["GET", "POST"])
def phone_change(request):
    """Step 1: the new mobile. Codes go to the mobile on file and to the new one."""
    form = PhoneChangeForm(request.POST or None)
    if request.method == "POST":
        if not login_attempt_allowed(request):
            return _throttled(request)
        if form.is_valid():
            try:
                result = services.phone_change_request(
                    applicant=request.applicant,
                    phone=form.cleaned_data["phone"],
                    ip=client_ip_of(request),
                )
            except services.RateLimited as limited:
                form.add_error(None, limited.message)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                request.session[PHONE_CHALLENGE_KEY] = result.challenge.pk
                if _demo_codes_shown():
                    request.session[DEMO_CODE_KEY] = f"原手机{result.old_code}，新手机{result.code}"
                messages.info(
                    request,
                    f"验证码已分别发送到原手机号和新手机号，{_code_minutes()}分钟内有效。",
                )
                return redirect("applicants:phone_change_confirm")
    return render(
        request,
        "applicants/phone_change.html",
        {"form": form, "applicant": request.applicant},
    )


@never_cache
@sensitive_post_parameters("old_code", "new_code")
@applicant_login_required
@require_http_methods(["GET", "POST"])
def phone_change_confirm(request):
    """Step 2: both codes. The mobile changes only when both are right."""
    challenge_id = request.session.get(PHONE_CHALLENGE_KEY)
    if not isinstance(challenge_id, int):
        messages.warning(request, "请先填写新手机号获取验证码。")
        return redirect("applicants:phone_change")
    form = PhoneCodesForm(request.POST or None)
    if request.method == "POST":
        if not login_attempt_allowed(request):
            return _throttled(request)
        if form.is_valid():
            try:
                services.phone_change_verify(
                    applicant=request.applicant,
                    challenge_id=challenge_id,
                    old_code=form.cleaned_data["old_code"],
                    new_code=form.cleaned_data["new_code"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                request.session.pop(PHONE_CHALLENGE_KEY, None)
                request.session.pop(DEMO_CODE_KEY, None)
                messages.success(request, "手机号已更换，以后请用新手机号登录。")
                return redirect("applicants:home")
    return render(
        request,
        "applicants/phone_change_confirm.html",
        {"form": form, "demo_code": request.session.get(DEMO_CODE_KEY, "")},
    )


def apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_POST
@applicant_login_required
def wallet_consent(request):
    form = WalletConsentForm(request.POST)
    if form.is_valid():
        consent = form.cleaned_data["consent"]
        if consent:
            services.reuse_consent_grant(
                applicant=request.applicant, actor=request.applicant.audit_label
            )
        else:
            services.reuse_consent_withdraw(
                applicant=request.applicant, actor=request.applicant.audit_label
            )
        messages.success(
            request,
            "已同意复用材料：再次办事时可直接选用以前提交的材料和电子证照。"
            if consent
            else "已取消材料复用：以后办事需要重新提交材料。",
        )
    return redirect("applicants:home")


@never_cache
@applicant_login_required
def inbox(request):
    page = Paginator(notify_selectors.inbox(applicant=request.applicant), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "applicants/inbox.html",
        {"page": page, "unread": notify_selectors.unread_count(applicant=request.applicant)},
    )


@never_cache
@applicant_login_required
def message_detail(request, pk: int):
    message = get_object_or_404(notify_selectors.inbox(applicant=request.applicant), pk=pk)
    message_mark_read(message=message)
    return render(request, "applicants/message.html", {"message": message})


@require_POST
@applicant_login_required
def inbox_mark_all_read(request):
    n = messages_mark_all_read(applicant=request.applicant)
    messages.success(request, f"已将{n}条消息标为已读。" if n else "没有未读消息。")
    return redirect("applicants:inbox")


@never_cache
@applicant_login_required
def authorisation_document(request, pk: int):
    """The scanned authorisation, for its principal or its agent only."""
    auth = selectors.authorisations_of(applicant=request.applicant).filter(pk=pk).first()
    if auth is None or not auth.document:
        raise Http404
    return file_response(auth.document.open("rb"), None, None)
