"""The window's bundle page: decide every member of a 一件事 application ready at this
centre in one go. The clerk checks each member's materials against the originals (核对无误
/ 缺少 / 需补正): members in order are accepted, a member with a material missing or to
correct gets a one-time correction notice (补正); or the whole bundle is refused."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sanyi.cases import bundle_selectors, services
from sanyi.cases.choices import MaterialStatus
from sanyi.cases.models import Bundle
from sanyi.cases.services import BUNDLE_CHECK_CHOICES, BundleAcceptance, center_may_accept
from sanyi.cases.web.counter import clerk_window


def _ready(bundle, window) -> list:
    ready = [
        c
        for c in bundle_selectors.bundle_ready_cases(bundle)
        if not center_may_accept(window.center, c.implementation_item)
    ]
    prefetch_related_objects(ready, "materials")
    return ready


def _rows(ready, data) -> list[dict]:
    """Each ready member with its materials to check and what was posted for them."""
    out = []
    for case in ready:
        materials = []
        for cm in case.materials.all():
            materials.append(
                {
                    "cm": cm,
                    "shared": cm.status == MaterialStatus.SHARED,
                    "result": data.get(f"m-{cm.pk}", ""),
                    "note": data.get(f"n-{cm.pk}", ""),
                }
            )
        out.append({"case": case, "materials": materials})
    return out


def _done_message(outcome: BundleAcceptance) -> str:
    parts = []
    if outcome.accepted:
        numbers = "、".join(c.number for c in outcome.accepted)
        parts.append(f"已一并受理{len(outcome.accepted)}个事项：{numbers}")
    if outcome.corrections:
        names = "、".join(
            f"{c.implementation_item.base_item.name}（{c.number}）" for c in outcome.corrections
        )
        parts.append(f"{len(outcome.corrections)}个事项材料不全，已一次性告知补正：{names}")
    if outcome.refused:
        parts.append(f"整件不予受理，共{len(outcome.refused)}个事项")
    return "；".join(parts) + "。"


def _decide(request, bundle, window, rows) -> BundleAcceptance:
    refuse = request.POST.get("action") == "refuse"
    checks = {m["cm"].pk: (m["result"], m["note"]) for row in rows for m in row["materials"]}
    return services.bundle_accept(
        bundle=bundle,
        window=window,
        actor=request.user,
        checks=checks,
        refuse=refuse,
        reason=request.POST.get("reason", ""),
        basis=request.POST.get("basis", ""),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def counter_bundle(request, number: str):
    window = clerk_window(request)
    try:
        bundle = bundle_selectors.bundle_for_staff(request.user, number)
    except Bundle.DoesNotExist:
        raise Http404("没有找到这件申请，或它不在您的办理范围内") from None
    ready = _ready(bundle, window)
    rows = _rows(ready, request.POST)
    errors: list[str] = []
    if request.method == "POST":
        try:
            outcome = _decide(request, bundle, window, rows)
        except (ValidationError, PermissionDenied) as exc:
            errors = list(getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(request, _done_message(outcome))
            return redirect("workbench:cases:counter_bundle", bundle.number)
    return render(
        request,
        "cases/counter/bundle.html",
        {
            "window": window,
            "bundle": bundle,
            "ready": ready,
            "rows": rows,
            "choices": BUNDLE_CHECK_CHOICES,
            "errors": errors,
            "posted": request.POST,
            "statuses": bundle_selectors.bundle_statuses(bundle),
        },
        status=400 if errors else 200,
    )
