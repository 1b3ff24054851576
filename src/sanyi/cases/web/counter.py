"""The window (一窗受理) pages for window clerks: the pre-check queue and pre-check of online
applications, the acceptance screen for walk-ins and pre-checked online cases, the receipt,
instant items done on the spot, and handing over results (统一出件).

A clerk works at the window of their WINDOW_CLERK role (``RoleAssignment.window``); the
acceptance rules (which center may accept which item, what each decision needs) are the
services' (``sanyi.cases.services``), whose Chinese messages the pages show beside the field.
Cases are found only through ``cases_visible_to`` (the clerk's org subtree).
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sanyi.cases import selectors, services
from sanyi.cases.bundle_selectors import bundles_awaiting_acceptance
from sanyi.cases.choices import (
    AcceptanceDecision,
    CaseStatus,
    DeliveryMethod,
    MaterialStatus,
)
from sanyi.cases.eligibility import applicant_eligibility
from sanyi.cases.links import TRACK_HOW
from sanyi.cases.models import Case
from sanyi.cases.web.applicant import _file_response, pdf_response
from sanyi.cases.web.forms import (
    AcceptanceForm,
    CaseNumberForm,
    DeliveryForm,
    PrecheckForm,
    WalkInAgentForm,
    WalkInForm,
    item_choices,
)
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.models import HandlingVariant, ImplementationItem
from sanyi.core.forms import apply_service_errors
from sanyi.core.queries import unique_or_none
from sanyi.orgs.models import Role, Window
from sanyi.orgs.permissions import roles_of

QUEUE_LIMIT = 200
ITEM_SEARCH_LIMIT = 30


def acceptable_items(center) -> list[ImplementationItem]:
    """Items in force that ``center`` may accept, by name. The candidates are the items
    implemented in the center's own subtree; the acceptance rule itself is the service's
    (``center_may_accept``), so this list and the check at acceptance never disagree."""
    candidates = (
        ImplementationItem.objects.filter(
            versions__status=VersionStatus.PUBLISHED,
            implementing_unit__path__startswith=center.org_unit.path,
        )
        .select_related("base_item", "implementing_unit")
        .order_by("base_item__name", "implementation_code")
        .distinct()
    )
    return [item for item in candidates if not services.center_may_accept(center, item)]


def acceptance_options(center) -> list[tuple[ImplementationItem, HandlingVariant | None]]:
    """What the clerk picks from: each acceptable item, once per handling variant of its
    version in force (or once, when it has none)."""
    items = acceptable_items(center)
    variants: dict[int, list[HandlingVariant]] = {}
    for variant in HandlingVariant.objects.filter(
        version__status=VersionStatus.PUBLISHED,
        version__implementation_item__in=[i.pk for i in items],
    ).select_related("version"):
        variants.setdefault(variant.version.implementation_item_id, []).append(variant)
    options: list[tuple[ImplementationItem, HandlingVariant | None]] = []
    for item in items:
        found = sorted(variants.get(item.pk, []), key=lambda v: (v.position, v.pk))
        options += [(item, v) for v in found] or [(item, None)]
    return options


def clerk_window(request) -> Window:
    """The window the signed-in clerk works at (403 without one)."""
    for ra in roles_of(request.user):
        if ra.role == Role.WINDOW_CLERK and ra.window_id and ra.window.is_active:
            window = Window.objects.select_related("center__org_unit").get(pk=ra.window_id)
            if window.center.is_active:
                return window
    raise PermissionDenied("只有分配了窗口的窗口人员可以使用窗口受理")


def _case(request, number: str, *statuses) -> Case:
    case = unique_or_none(  # no LIMIT: see sanyi.core.queries
        selectors.cases_visible_to(request.user)
        .select_related(
            "applicant",
            "agent",
            "implementation_item__base_item",
            "item_version",
            "variant",
            "center",
            "window",
        )
        .filter(number=number)
    )
    if case is None:
        raise Http404("没有找到这个办件，或它不在您的办理范围内")
    if statuses and case.status not in statuses:
        raise Http404(f"这个办件现在是“{case.get_status_display()}”，不能在这里办理")
    return case


def _errors(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def _as_validation_error(exc: Exception) -> ValidationError:
    if isinstance(exc, ValidationError):
        return exc
    return ValidationError(str(exc) or "您没有权限办理这个办件")


class _Preview(Exception):
    def __init__(self, notice: str):
        self.notice = notice


def _preview_notice(request, case: Case, form: PrecheckForm) -> str:
    """The one-time notice exactly as sending would word it: the pre-check service runs in
    a transaction that is then rolled back, so nothing is saved, audited or sent."""
    try:
        with transaction.atomic():
            done = services.case_precheck(
                case=case,
                results=form.results(),
                actor=request.user,
                reply_days=form.cleaned_data.get("reply_days"),
            )
            latest = done.precheck_rounds.order_by("-number").first()
            raise _Preview(
                latest.notice
                if done.status == CaseStatus.PRECHECK_RETURNED and latest
                else "全部材料合格，发送后办件进入“预审通过，待受理”，申请人会收到通知。"
            )
    except _Preview as preview:
        return preview.notice


# --- home and queues -----------------------------------------------------------------------


@require_safe
def counter_home(request):
    window = clerk_window(request)
    visible = selectors.cases_visible_to(request.user)
    return render(
        request,
        "cases/counter/home.html",
        {
            "window": window,
            "precheck_count": _precheck_queryset(request, window).count(),
            "awaiting_count": visible.filter(status=CaseStatus.AWAITING_ACCEPTANCE).count(),
            "pickup_count": _pickup_queryset(request, window).count(),
            "bundle_count": len(_bundles(request, window)),
            "number_form": CaseNumberForm(),
        },
    )


def _precheck_queryset(request, window: Window):
    """Online applications waiting for pre-check that this center would accept."""
    items = [item.pk for item in acceptable_items(window.center)]
    return selectors.cases_visible_to(request.user).filter(
        status=CaseStatus.PRECHECK, implementation_item__in=items
    )


@require_safe
def precheck_queue(request):
    window = clerk_window(request)
    cases = list(
        _precheck_queryset(request, window)
        .select_related("applicant", "implementation_item__base_item")
        .order_by("submitted_at", "pk")[:QUEUE_LIMIT]
    )
    return render(
        request,
        "cases/counter/precheck_queue.html",
        {"window": window, "cases": cases, "bundles": _bundles(request, window)},
    )


def _bundles(request, window: Window) -> list:
    """一件事 applications with members waiting for acceptance at this centre."""
    items = [item.pk for item in acceptable_items(window.center)]
    return bundles_awaiting_acceptance(request.user, items)


def _checkable(case: Case) -> list:
    # The catalogue material comes along for its staff handbook (审查要点, 常见问题).
    return [
        m for m in case.materials.select_related("material") if m.status != MaterialStatus.SHARED
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def precheck(request, number: str):
    """Pre-check one online application: each material ok / to fix; preview the one-time
    notice listing every problem; send."""
    window = clerk_window(request)
    case = _case(request, number, CaseStatus.PRECHECK)
    materials = _checkable(case)
    form = PrecheckForm(request.POST or None, materials=materials)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "send":
            try:
                services.case_precheck(
                    case=case,
                    results=form.results(),
                    actor=request.user,
                    reply_days=form.cleaned_data.get("reply_days"),
                )
            except (ValidationError, PermissionDenied) as exc:
                apply_service_errors(form, _as_validation_error(exc))
            else:
                case.refresh_from_db()
                if case.status == CaseStatus.PRECHECK_RETURNED:
                    messages.success(request, f"{case.number}：一次性告知已发送给申请人。")
                else:
                    messages.success(
                        request, f"{case.number}：预审通过，等待申请人到窗口或网上受理。"
                    )
                return redirect("workbench:cases:counter_precheck_queue")
        else:
            try:
                preview = _preview_notice(request, case, form)
            except (ValidationError, PermissionDenied) as exc:
                apply_service_errors(form, _as_validation_error(exc))
    return render(
        request,
        "cases/counter/precheck.html",
        {
            "window": window,
            "case": case,
            "form": form,
            "preview": preview,
            "shared": [m for m in case.materials.all() if m.status == MaterialStatus.SHARED],
            "rounds": list(case.precheck_rounds.all()),
        },
    )


@require_safe
def material_file(request, number: str, pk: int):
    """A material file of a case in the clerk's scope (permission-checked download)."""
    clerk_window(request)
    case = _case(request, number)
    material = case.materials.filter(pk=pk).first()
    if material is None or not material.file:
        raise Http404("这项材料没有文件")
    return _file_response(material.file, material.name, material.content_type)


# --- acceptance ----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def walk_in(request):
    """Step 1 at the window: identify the applicant and pick the item (or open a pre-checked
    online case by its number)."""
    window = clerk_window(request)
    form = WalkInForm(request.POST or None, options=acceptance_options(window.center))
    agent_form = WalkInAgentForm(request.POST or None, request.FILES or None, prefix="agent")
    number_form = CaseNumberForm(request.GET if "number" in request.GET else None)
    if number_form.is_bound and number_form.is_valid():
        found = (
            selectors.cases_visible_to(request.user)
            .filter(selectors.number_matches(number_form.cleaned_data["number"]))
            .values_list("number", flat=True)
            .first()
        )
        if found:
            return redirect("workbench:cases:counter_accept", found)
        number_form.add_error("number", "没有找到这个办件，或它不在本中心的受理范围内")
    # "&", not "and": both forms are checked so every error shows at once.
    if request.method == "POST" and form.is_valid() & agent_form.is_valid():
        data = form.cleaned_data
        agent_data = agent_form.cleaned_data if agent_form.has_agent else {}
        item, variant = data["item"]
        try:
            case = services.case_start_at_counter(
                actor=request.user,
                item=item,
                variant=variant,
                id_number=data["id_number"],
                name=data["name"],
                phone=data.get("phone", ""),
                agent_id_number=agent_data.get("agent_id_number", ""),
                agent_name=agent_data.get("agent_name", ""),
                agent_document=agent_data.get("agent_document"),
                confirm_name=data["confirm_name"],
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, _as_validation_error(exc))
        else:
            return redirect("workbench:cases:counter_accept", case.number)
    identity = None
    if request.method == "POST":
        identity = selectors.counter_identity(
            request.user,
            id_number=request.POST.get("id_number", "")[:30],
            name=request.POST.get("name", ""),
        )
    return render(
        request,
        "cases/counter/walk_in.html",
        {
            "window": window,
            "identity": identity,
            "confirmed": request.POST.get("confirm_name") == "on",
            "form": form,
            "agent_form": agent_form,
            "number_form": number_form or CaseNumberForm(),
        },
    )


@require_safe
def item_search(request):
    """htmx: the items this center may accept, matching the typed words."""
    window = clerk_window(request)
    text = " ".join(request.GET.get("q", "").split())[:50]
    options = acceptance_options(window.center)
    if text:
        options = [
            (item, variant)
            for item, variant in options
            if text in item.base_item.name
            or text.upper() in item.implementation_code.upper()
            or (variant is not None and text in variant.name)
        ]
    choices = item_choices(options)
    return render(
        request,
        "cases/counter/_item_options.html",
        {"choices": choices[:ITEM_SEARCH_LIMIT], "more": len(choices) > ITEM_SEARCH_LIMIT},
    )


ACCEPTABLE = (
    CaseStatus.AWAITING_ACCEPTANCE,
    CaseStatus.CORRECTION_NOTICE,
)


@require_http_methods(["GET", "HEAD", "POST"])
def accept(request, number: str):
    """Step 2: tick the materials received, decide. Enter submits; every field is reachable
    with Tab in reading order."""
    window = clerk_window(request)
    case = _case(request, number)
    if case.status not in ACCEPTABLE:
        if case.status == CaseStatus.PRECHECK:
            messages.info(request, f"{case.number}还没有预审，请先预审材料。")
            return redirect("workbench:cases:counter_precheck", case.number)
        if case.accepted_at:
            return redirect("workbench:cases:counter_receipt", case.number)
        raise Http404(f"这个办件现在是“{case.get_status_display()}”，不能受理")
    materials = _checkable(case)
    form = AcceptanceForm(request.POST or None, case=case, materials=materials)
    instant = request.POST.get("action") == "instant"
    if request.method == "POST" and form.is_valid():
        try:
            case = _decide(request, case, window, form, instant=instant)
        except (ValidationError, PermissionDenied) as exc:
            apply_service_errors(form, _as_validation_error(exc))
        else:
            decision = form.cleaned_data["decision"]
            if decision in (AcceptanceDecision.ACCEPT, AcceptanceDecision.ACCEPT_WITH_DEFICIENCY):
                if instant:
                    messages.success(request, f"{case.number}：已当场办结，结果已交给申请人。")
                else:
                    messages.success(request, f"{case.number}：已受理，请打印受理回执。")
                return redirect("workbench:cases:counter_receipt", case.number)
            if decision == AcceptanceDecision.CORRECTION_NOTICE:
                messages.success(request, f"{case.number}：已出具一次性告知书。")
            else:
                messages.success(request, f"{case.number}：已作出不予受理决定。")
            return redirect("workbench:cases:counter_receipt", case.number)
    return render(
        request,
        "cases/counter/accept.html",
        {
            "window": window,
            "case": case,
            "form": form,
            "shared": [m for m in case.materials.all() if m.status == MaterialStatus.SHARED],
            "is_instant": case.is_instant,
            "rounds": list(case.precheck_rounds.all()),
            "eligibility": applicant_eligibility(
                case.applicant, case.item_version, exclude_case=case
            ),
        },
    )


def _decide(request, case: Case, window: Window, form: AcceptanceForm, *, instant: bool) -> Case:
    data = form.cleaned_data
    decision = data["decision"]
    received = form.received()
    problems = form.problems()
    with transaction.atomic():
        if decision == AcceptanceDecision.CORRECTION_NOTICE:
            # Ticked and in order: ok; a problem written down: to fix. Required materials
            # not handed in are listed as "未提交" by the service itself.
            results = [
                {"material": m, "status": "to_fix", "problem": problems[m.pk]}
                if m.pk in problems
                else {"material": m, "status": "ok", "problem": ""}
                for m in form.materials
                if m.pk in problems or m in received
            ]
            return services.case_accept(
                case=case,
                window=window,
                decision=decision,
                actor=request.user,
                materials=results,
            )
        if decision != AcceptanceDecision.REJECT:
            # A failed eligibility rule is a warning here: the clerk may go on, audited.
            services.case_eligibility_confirm(
                case=case, actor=request.user, override=data.get("eligibility_override", False)
            )
        deficiencies = []
        if decision == AcceptanceDecision.ACCEPT_WITH_DEFICIENCY:
            deficiencies = [{"material": m, "due_on": data["follow_up_on"]} for m in form.missing()]
        if instant and decision == AcceptanceDecision.ACCEPT and case.is_instant:
            return services.case_conclude_instant(
                case=case, window=window, actor=request.user, materials=received
            )
        return services.case_accept(
            case=case,
            window=window,
            decision=decision,
            actor=request.user,
            materials=received,
            reason=data.get("reason", ""),
            basis=data.get("basis", ""),
            deficiencies=deficiencies,
        )


@require_safe
def receipt(request, number: str):
    """After the decision: the receipt (or the notice / rejection) to print."""
    window = clerk_window(request)
    case = _case(request, number)
    notice = case.precheck_rounds.order_by("-number").first()
    return render(
        request,
        "cases/counter/receipt.html",
        {
            "window": window,
            "case": case,
            "notice": notice,
            "track_how": TRACK_HOW,
            "tracking_url": request.build_absolute_uri(reverse("cases:track"))
            + f"?number={quote(case.number)}",
        },
    )


@require_safe
def receipt_pdf(request, number: str):
    clerk_window(request)
    case = _case(request, number)
    if case.accepted_at is None:
        raise Http404("办件受理后才有受理回执")
    from sanyi.cases.documents import receipt_pdf as build

    pdf = build(case, base_url=request.build_absolute_uri("/"))
    return pdf_response(pdf, f"受理回执-{case.number}.pdf", inline=True)


# --- handing over results (统一出件) --------------------------------------------------------


def _pickup_queryset(request, window: Window):
    return (
        selectors.cases_visible_to(request.user)
        .filter(
            status=CaseStatus.CONCLUDED,
            delivery__method=DeliveryMethod.WINDOW,
            delivery__delivered_at__isnull=True,
            center=window.center,
        )
        .select_related("applicant", "implementation_item__base_item", "delivery")
    )


@require_safe
def pickup_list(request):
    window = clerk_window(request)
    cases = list(_pickup_queryset(request, window).order_by("concluded_at", "pk")[:QUEUE_LIMIT])
    return render(
        request,
        "cases/counter/pickup.html",
        {"window": window, "cases": cases, "form": DeliveryForm()},
    )


@require_POST
def pickup_hand_over(request, number: str):
    window = clerk_window(request)
    case = _pickup_queryset(request, window).filter(number=number).first()
    if case is None:
        raise Http404("这个办件没有待领取的结果")
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写领取人姓名")
        return redirect("workbench:cases:counter_pickup")
    try:
        services.case_deliver(
            case=case,
            method=DeliveryMethod.WINDOW,
            actor=request.user,
            window=window,
            recipient_name=form.cleaned_data["recipient_name"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, _as_validation_error(exc))
    else:
        messages.success(
            request, f"{case.number}：结果已交给{form.cleaned_data['recipient_name']}。"
        )
    return redirect("workbench:cases:counter_pickup")
