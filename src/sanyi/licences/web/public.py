"""Public verification of e-licences: by number, or by the code in the licence's QR code."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanyi.core.ratelimit import hit, too_many
from sanyi.licences.selectors import licence_verify
from sanyi.licences.web.forms import VerifyForm

_LIMIT = "30/10"


@require_GET
def verify(request):
    form = VerifyForm(request.GET or None)
    licence = None
    searched = False
    if form.is_bound:
        if not hit(request, "licence-verify", default=_LIMIT):
            return too_many(request)
        if form.is_valid():
            searched = True
            licence = licence_verify(number=form.cleaned_data["number"])
    return render(
        request,
        "licences/verify.html",
        {"form": form, "licence": licence, "searched": searched},
    )


@require_GET
def verify_code(request, code: str):
    if not hit(request, "licence-verify", default=_LIMIT):
        return too_many(request)
    licence = licence_verify(code=code)
    return render(
        request,
        "licences/verify.html",
        {"form": VerifyForm(), "licence": licence, "searched": True, "by_code": True},
        status=200 if licence else 404,
    )
