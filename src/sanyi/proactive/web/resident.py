"""The resident's own offers under /my/offers/ (为您推荐): why each was offered, the
application it leads to (去办理, prefilled from the profile), the one-tap confirmation of
an application opened 免申即享, and turning offers off and on.

Mounted by the project URLconf at /my/offers/ (URL namespace "proactive_my"). An offer is
looked up only among the signed-in resident's own (``selectors.offer_of``): anyone else's
is a 404. Every change is one service call.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from sanyi.applicants.auth import applicant_login_required, current_applicant, safe_next
from sanyi.cases.choices import CaseStatus
from sanyi.proactive import selectors, services
from sanyi.proactive.models import ProactiveOffer


def _own_offer(request, pk: int) -> ProactiveOffer:
    offer = selectors.offer_of(current_applicant(request), pk)
    if offer is None:
        raise Http404("没有找到这条推送")
    return offer


@never_cache
@require_safe
@applicant_login_required
def offers(request):
    applicant = current_applicant(request)
    off = selectors.opted_out_codes(applicant)
    rows = [
        {"offer": offer, "rule_off": offer.rule_code in off}
        for offer in selectors.offers_of(applicant)[:50]
    ]
    return render(
        request,
        "proactive/my/offers.html",
        {"rows": rows, "all_off": "" in off, "applicant": applicant},
    )


@never_cache
@require_safe
@applicant_login_required
def offer(request, pk: int):
    """The landing page of the link in the message: marks the offer seen the first time."""
    applicant = current_applicant(request)
    item = _own_offer(request, pk)
    services.proactive_offer_open(offer=item, actor=applicant.audit_label)
    off = selectors.opted_out_codes(applicant)
    case = item.case
    return render(
        request,
        "proactive/my/offer.html",
        {
            "offer": item,
            "case": case,
            "awaiting_confirmation": case is not None and case.status == CaseStatus.DRAFT,
            "rule_off": item.rule_code in off,
            "all_off": "" in off,
        },
    )


@require_POST
@applicant_login_required
def apply(request, pk: int):
    """去办理: the offer's prefilled application (opened once), then its form."""
    applicant = current_applicant(request)
    item = _own_offer(request, pk)
    try:
        case = services.proactive_offer_apply(offer=item, actor=applicant.audit_label)
    except ValidationError as exc:
        messages.error(request, "暂时不能在网上申请：" + "；".join(exc.messages))
        return redirect("proactive_my:offer", item.pk)
    if case.status == CaseStatus.DRAFT:
        return redirect("cases:edit", case.number)
    return redirect("cases:case", case.number)


@require_POST
@applicant_login_required
def confirm(request, pk: int):
    """The one tap on an application opened 免申即享: submitted for pre-check."""
    applicant = current_applicant(request)
    item = _own_offer(request, pk)
    try:
        case = services.proactive_offer_confirm(offer=item, actor=applicant.audit_label)
    except ValidationError as exc:
        messages.error(request, "还不能提交：" + "；".join(exc.messages))
        return redirect("proactive_my:offer", item.pk)
    messages.success(request, "申请已提交，工作人员会尽快预审，结果会通知您。")
    return redirect("cases:case", case.number)


@require_POST
@applicant_login_required
def opt(request):
    """不再接收此类推送 / 不接收任何主动服务 and back: ``rule_code`` empty means all."""
    applicant = current_applicant(request)
    rule_code = request.POST.get("rule_code", "").strip()[:40]
    back = safe_next(request, reverse("proactive_my:offers"))
    if request.POST.get("receive") == "1":
        services.proactive_opt_in(
            applicant=applicant, actor=applicant.audit_label, rule_code=rule_code
        )
        messages.success(request, "已重新开启，符合条件时会再提醒您。")
    else:
        services.proactive_opt_out(
            applicant=applicant, actor=applicant.audit_label, rule_code=rule_code
        )
        messages.success(
            request,
            "已关闭，以后不再向您推送" + ("此类服务。" if rule_code else "任何主动服务。"),
        )
    return redirect(back)


def register_section_link() -> None:
    """Called from ProactiveConfig.ready(): "为您推荐" on the resident's home."""
    from django.utils.translation import gettext_lazy as _

    from sanyi.applicants.portal import register_section

    register_section(_("为您推荐"), "proactive_my:offers", order=13)
