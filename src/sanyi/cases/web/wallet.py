"""The applicant's wallet under /my/wallet/ (我的证照和材料): the e-licences they hold and the
materials they may reuse, with validity and source case, and the consent to reuse them.

Mounted by the project URLconf at /my/wallet/ (URL namespace "wallet"); the signed-in
applicant sees only their own. Every change is one service call.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sanyi.applicants import services as applicant_services
from sanyi.applicants.auth import applicant_login_required, current_applicant
from sanyi.applicants.models import ConsentScope
from sanyi.applicants.web.forms import WalletConsentForm
from sanyi.cases.wallet import wallet_of


@never_cache
@require_safe
@applicant_login_required
def home(request):
    applicant = current_applicant(request)
    return render(
        request,
        "cases/wallet/home.html",
        {
            "applicant": applicant,
            "wallet": wallet_of(applicant),
            "consent_form": WalletConsentForm(initial={"consent": True}),
        },
    )


@require_POST
@applicant_login_required
def consent(request):
    """Grant (with the chosen scope) or withdraw the consent; each is one service call and
    starts or closes a row of the consent history."""
    applicant = current_applicant(request)
    form = WalletConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择同意或撤回")
        return redirect("wallet:home")
    if form.cleaned_data["consent"]:
        applicant_services.reuse_consent_grant(
            applicant=applicant,
            actor=applicant.audit_label,
            scope=form.cleaned_data["scope"] or ConsentScope.ALL,
        )
        messages.success(request, "已同意：以后申请时，下面的电子证照和材料会自动带入，不用再交。")
    else:
        applicant_services.reuse_consent_withdraw(applicant=applicant, actor=applicant.audit_label)
        messages.success(
            request,
            "已撤回同意：以后申请时不再自动带入，需要您自己上传；已经提交的申请不受影响。",
        )
    return redirect("wallet:home")


def register_section_link() -> None:
    """Called from CasesConfig.ready(): the wallet's section in the applicant's own area."""
    from django.utils.translation import gettext_lazy as _

    from sanyi.applicants.portal import register_section

    register_section(_("我的证照和材料"), "wallet:home", order=12)
