"""Window pages around the walk-in: who is at the counter (htmx, and the same check on
submit, see ``counter.walk_in``) and voiding a walk-in opened by mistake (作废).

The rules are the app's (``selectors.counter_identity``, ``services.case_walk_in_cancel``);
these views only parse, call and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from sanyi.cases import selectors, services
from sanyi.cases.choices import CaseChannel, CaseStatus
from sanyi.cases.web.counter import _as_validation_error, _case, clerk_window
from sanyi.cases.web.forms import WalkInCancelForm
from sanyi.core.forms import apply_service_errors


@require_safe
def applicant_lookup(request):
    """htmx: the profile on file for the ID number typed at the counter, and a warning
    when the name typed differs from the registered one."""
    clerk_window(request)
    identity = selectors.counter_identity(
        request.user,
        id_number=request.GET.get("id_number", "")[:30],
        name=request.GET.get("name", ""),
    )
    response = render(
        request,
        "cases/counter/_identity.html",
        {"identity": identity, "looked_up": bool(request.GET.get("id_number", "").strip())},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def walk_in_cancel(request, number: str):
    """Void a walk-in that was opened by mistake, with the reason; it leaves the queues."""
    window = clerk_window(request)
    case = _case(request, number, CaseStatus.AWAITING_ACCEPTANCE)
    form = WalkInCancelForm(request.POST or None)
    if case.channel == CaseChannel.ONLINE:
        form.add_error(None, "网上申请不能在窗口作废，请由申请人撤回")
    elif request.method == "POST" and form.is_valid():
        try:
            services.case_walk_in_cancel(
                case=case, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, _as_validation_error(exc))
        else:
            messages.success(request, f"{case.short_number}：这次现场受理已作废。")
            return redirect("workbench:cases:counter")
    return render(
        request,
        "cases/counter/cancel.html",
        {"window": window, "case": case, "form": form},
    )
