"""The window's bundle page: accept every member of a 一件事 application ready at this
centre in one go."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sanyi.cases import bundle_selectors, services
from sanyi.cases.models import Bundle
from sanyi.cases.services import center_may_accept
from sanyi.cases.web.counter import clerk_window


@require_http_methods(["GET", "HEAD", "POST"])
def counter_bundle(request, number: str):
    window = clerk_window(request)
    try:
        bundle = bundle_selectors.bundle_for_staff(request.user, number)
    except Bundle.DoesNotExist:
        raise Http404("没有找到这件申请，或它不在您的办理范围内") from None
    if request.method == "POST":
        try:
            accepted = services.bundle_accept(bundle=bundle, window=window, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            numbers = "、".join(c.number for c in accepted)
            messages.success(request, f"已一并受理{len(accepted)}个事项：{numbers}")
            return redirect("workbench:cases:counter_bundle", bundle.number)
    ready = [
        c
        for c in bundle_selectors.bundle_ready_cases(bundle)
        if not center_may_accept(window.center, c.implementation_item)
    ]
    return render(
        request,
        "cases/counter/bundle.html",
        {
            "window": window,
            "bundle": bundle,
            "ready": ready,
            "statuses": bundle_selectors.bundle_statuses(bundle),
        },
    )
