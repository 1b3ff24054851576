"""The window page for the applicant's consent to reuse what the platform holds (信息跑路):
a window clerk records the consent, or its withdrawal, for the applicant of a case at the
counter, the applicant present with their ID, and sees the consent history.

Reached from the counter pages of a case (its facts link here). The rules are the
applicants app's (``reuse_consent_grant`` / ``reuse_consent_withdraw`` with the counter
channel: only window clerks, audited); this view only parses, calls and renders.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from sanyi.applicants import services as applicant_services
from sanyi.applicants.models import ConsentChannel, ConsentScope
from sanyi.applicants.selectors import reuse_consent_history
from sanyi.cases.web.counter import _case, clerk_window
from sanyi.cases.web.forms import CounterConsentForm


def _record(request, case, form: CounterConsentForm) -> str:
    """Call the service for the form's action; the message to show."""
    applicant = case.applicant
    if form.cleaned_data["action"] == "grant":
        consent = applicant_services.reuse_consent_grant(
            applicant=applicant,
            actor=request.user,
            via=ConsentChannel.COUNTER,
            scope=form.cleaned_data["scope"] or ConsentScope.ALL,
        )
        return (
            f"已记录申请人同意复用：{consent.get_scope_display()}。以后申请时会自动带入，不用再交。"
        )
    closed = applicant_services.reuse_consent_withdraw(
        applicant=applicant, actor=request.user, via=ConsentChannel.COUNTER
    )
    if closed is None:
        return "申请人现在没有同意复用，无需撤回。"
    return "已记录申请人撤回同意：以后申请时不再自动带入；已经提交的申请不受影响。"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def counter_consent(request, number: str):
    """GET: the applicant's current consent and its history; POST: grant or withdraw."""
    window = clerk_window(request)
    case = _case(request, number)
    form = CounterConsentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = _record(request, case, form)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, message)
                return redirect("workbench:cases:counter_consent", number=case.number)
        status = 400
    history = reuse_consent_history(case.applicant)
    current = next((c for c in history if c.withdrawn_at is None), None)
    return render(
        request,
        "cases/counter/consent.html",
        {"window": window, "case": case, "form": form, "history": history, "current": current},
        status=status,
    )
