"""The applicant's own pages: applying online, the draft, uploads and wallet reuse, submit,
the one-time correction notice and its fix, "我的办件", receipts and results.

Every page needs the applicant's sign-in (``applicant_login_required``); a case is looked up
only among the signed-in applicant's own cases (``applicant_cases``), so another person's
case number is a 404, never a 403 that would confirm it exists. Every change is one call of
``sanyi.cases.services``; nothing here decides a rule about cases.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from sanyi.applicants import services as applicant_services
from sanyi.applicants.auth import applicant_login_required, current_applicant
from sanyi.applicants.selectors import reuse_consent_of
from sanyi.cases import selectors, services
from sanyi.cases.choices import CaseChannel, CaseStatus, MaterialStatus
from sanyi.cases.eligibility import applicant_eligibility
from sanyi.cases.models import Case, CaseMaterial
from sanyi.cases.web.forms import (
    AgentForm,
    ApplicationForm,
    MaterialUploadForm,
    WalletConsentForm,
)
from sanyi.cases.web.public import (
    ONLINE_APPLY_HINT,
    online_apply_allowed,
    version_in_force,
)
from sanyi.catalog.choices import MaterialSource
from sanyi.core.forms import apply_service_errors
from sanyi.core.queries import unique_or_none
from sanyi.core.responses import file_response, stored_file_response

PER_PAGE = 20
# States in which the applicant may change materials: the draft, and after a pre-check
# returned it (the one-time notice says what to fix).
EDITABLE = (CaseStatus.DRAFT, CaseStatus.PRECHECK_RETURNED, CaseStatus.CORRECTION_NOTICE)


def _own_case(request, number: str) -> Case:
    applicant = current_applicant(request)
    case = unique_or_none(  # no LIMIT: see sanyi.core.queries
        selectors.applicant_cases(applicant)
        .select_related(
            "implementation_item__base_item",
            "item_version",
            "variant",
            "applicant",
            "agent",
            "assisted_by",
            "center",
            "window",
        )
        .filter(number=number)
    )
    if case is None:
        raise Http404("没有找到这个办件")
    return case


def _case_url(case: Case) -> str:
    return reverse("cases:case", args=[case.number])


def rating_url(case: Case) -> str:
    """The rating page of a concluded case, when the ratings app offers one."""
    try:
        return reverse("ratings:rate", args=[case.number])
    except NoReverseMatch:
        return ""


# --- applying -------------------------------------------------------------------------------


@applicant_login_required
def apply_start(request, implementation_code: str):
    """The start of an online application: what is needed, for myself or for someone else."""
    applicant = current_applicant(request)
    version = version_in_force(implementation_code)
    if version is None:
        raise Http404("没有找到这个事项，或它已经停止办理")
    allowed = online_apply_allowed(version)
    agent_form = AgentForm(prefix="agent")
    if request.method == "POST" and allowed:
        on_behalf = request.POST.get("for") == "other"
        if on_behalf:
            agent_form = AgentForm(request.POST, request.FILES, prefix="agent")
        if not on_behalf or agent_form.is_valid():
            try:
                case = _start(request, applicant, version, agent_form if on_behalf else None)
            except ValidationError as exc:
                if on_behalf:
                    apply_service_errors(agent_form, exc)
                else:
                    messages.error(request, "；".join(exc.messages))
            else:
                return redirect("cases:edit", case.number)
    drafts = list(
        selectors.applicant_cases(applicant).filter(
            implementation_item=version.implementation_item, status=CaseStatus.DRAFT
        )[:5]
    )
    materials = list(version.materials.all())
    eligibility = applicant_eligibility(applicant, version)
    return render(
        request,
        "cases/public/apply_start.html",
        {
            "version": version,
            # The same answer as the guide's "看看我能不能办", from what the server knows.
            "eligibility": eligibility if eligibility.results else None,
            "item": version.implementation_item,
            "allowed": allowed,
            "hint": ONLINE_APPLY_HINT,
            "to_provide": [m for m in materials if m.source != MaterialSource.SHARED_DATA],
            "shared": [m for m in materials if m.source == MaterialSource.SHARED_DATA],
            "drafts": drafts,
            "agent_form": agent_form,
            "applicant": applicant,
        },
    )


def _start(request, applicant, version, agent_form: AgentForm | None) -> Case:
    item = version.implementation_item
    if agent_form is None:
        return services.case_start(
            applicant=applicant,
            item=item,
            channel=CaseChannel.ONLINE,
            actor=applicant.audit_label,
        )
    data = agent_form.cleaned_data
    with transaction.atomic():
        principal = applicant_services.applicant_find_or_create(
            id_number=data["principal_id_number"],
            name=data["principal_name"],
            actor=applicant.audit_label,
        )
        authorisation = applicant_services.agent_authorisation_create(
            principal=principal,
            agent=applicant,
            document=data["document"],
            valid_from=timezone.localdate(),
            valid_until=data.get("valid_until"),
            scope_note=f"代为申请：{item.base_item.name}",
            actor=applicant.audit_label,
        )
        return services.case_start(
            applicant=principal,
            item=item,
            channel=CaseChannel.ONLINE,
            actor=applicant.audit_label,
            agent=applicant,
            agent_authorisation=authorisation,
        )


def _material_rows(case: Case, applicant) -> list[dict]:
    """The checklist of a case with what the applicant may do with each row."""
    reusable, licences = ([], [])
    # The wallet is the applicant's own: an agent never sees the principal's earlier papers.
    if case.applicant_id == applicant.pk:
        reusable, licences = selectors.wallet_for(applicant)
        reusable = [m for m in reusable if m.case_id != case.pk]
    rows = []
    for m in case.materials.all():
        options = []
        if m.status != MaterialStatus.SHARED:
            options = [("material", r.pk, f"{r.name}（{r.case.number}）") for r in reusable]
            options += [
                ("licence", lic.pk, f"电子证照：{lic.name}（{lic.number}）") for lic in licences
            ]
        rows.append(
            {
                "material": m,
                "shared": m.status == MaterialStatus.SHARED,
                "provided": bool(m.file) or m.licence_id is not None or m.reused_from_id,
                "to_fix": m.status == MaterialStatus.TO_FIX,
                "options": options,
            }
        )
    return rows


@applicant_login_required
def case_edit(request, number: str):
    """The draft: the application form and the materials checklist; save or submit."""
    applicant = current_applicant(request)
    case = _own_case(request, number)
    if case.status != CaseStatus.DRAFT:
        if request.method == "POST" and request.POST.get("action") == "submit":
            # A retried submit after the first one went through: the same key answers with
            # the same case (the service checks it), never a second submission.
            try:
                services.case_submit(
                    case=case,
                    actor=applicant.audit_label,
                    idempotency_key=request.POST.get("idempotency_key", ""),
                )
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
        return redirect(_case_url(case))
    form = ApplicationForm(
        request.POST or None,
        version=case.item_version,
        initial=ApplicationForm.initial_for(case),
    )
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "save")
        try:
            with transaction.atomic():
                services.case_update_draft(
                    case=case,
                    form_data=form.form_data(),
                    variant=form.cleaned_data.get("variant"),
                    actor=applicant.audit_label,
                )
                if action == "submit":
                    services.case_submit(
                        case=case,
                        actor=applicant.audit_label,
                        idempotency_key=request.POST.get("idempotency_key", ""),
                    )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if action == "submit":
                messages.success(request, "申请已提交，工作人员会尽快预审，结果会短信通知您。")
                return redirect(_case_url(case))
            messages.success(request, "草稿已保存，可以随时回来继续填写。")
            return redirect("cases:edit", case.number)
    return render(
        request,
        "cases/public/edit.html",
        {
            "case": case,
            "form": form,
            "rows": _material_rows(case, applicant),
            "upload_form": MaterialUploadForm(),
            "consent_form": WalletConsentForm(initial={"consent": True}),
            "ask_consent": case.applicant_id == applicant.pk and not reuse_consent_of(applicant),
            "applicant": applicant,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        },
    )


def _back(request, case: Case) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return (
        reverse("cases:edit", args=[case.number])
        if case.status == CaseStatus.DRAFT
        else (_case_url(case))
    )


def _material_of(case: Case, pk: int) -> CaseMaterial:
    material = case.materials.filter(pk=pk).first()
    if material is None:
        raise Http404("没有这项材料")
    return material


def _row_response(request, case: Case, material: CaseMaterial, applicant, *, error=""):
    """For htmx: the one checklist row again; otherwise back to the page."""
    if request.headers.get("HX-Request"):
        material.refresh_from_db()
        row = next(r for r in _material_rows(case, applicant) if r["material"].pk == material.pk)
        return render(
            request,
            "cases/public/_material_row.html",
            {
                "case": case,
                "row": row,
                "upload_form": MaterialUploadForm(),
                "error": error,
                "editable": True,
                "next": request.POST.get("next", ""),
            },
        )
    if error:
        messages.error(request, f"{material.name}：{error}")
    return redirect(_back(request, case))


@require_POST
@applicant_login_required
def material_upload(request, number: str, pk: int):
    applicant = current_applicant(request)
    case = _own_case(request, number)
    material = _material_of(case, pk)
    if case.status not in EDITABLE:
        raise Http404("这个办件现在不能修改材料")
    form = MaterialUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _row_response(request, case, material, applicant, error="请选择要上传的文件")
    try:
        services.case_material_upload(
            case=case,
            case_material=material,
            uploaded=form.cleaned_data["file"],
            actor=applicant.audit_label,
        )
    except ValidationError as exc:
        return _row_response(request, case, material, applicant, error="；".join(exc.messages))
    return _row_response(request, case, material, applicant)


@require_POST
@applicant_login_required
def material_reuse(request, number: str, pk: int):
    applicant = current_applicant(request)
    case = _own_case(request, number)
    material = _material_of(case, pk)
    if case.status not in EDITABLE:
        raise Http404("这个办件现在不能修改材料")
    kind, _, source_pk = request.POST.get("source", "").partition(":")
    source = None
    if case.applicant_id == applicant.pk and source_pk.isdigit():
        reusable, licences = selectors.wallet_for(applicant)
        pool = reusable if kind == "material" else licences if kind == "licence" else []
        source = next((s for s in pool if s.pk == int(source_pk)), None)
    if source is None:
        return _row_response(request, case, material, applicant, error="请选择要复用的材料")
    try:
        services.case_material_reuse(
            case=case, case_material=material, source=source, actor=applicant.audit_label
        )
    except ValidationError as exc:
        return _row_response(request, case, material, applicant, error="；".join(exc.messages))
    return _row_response(request, case, material, applicant)


@require_POST
@applicant_login_required
def wallet_consent(request, number: str):
    applicant = current_applicant(request)
    case = _own_case(request, number)
    form = WalletConsentForm(request.POST)
    if form.is_valid():
        consent = form.cleaned_data["consent"]
        if consent:
            applicant_services.reuse_consent_grant(applicant=applicant, actor=applicant.audit_label)
        else:
            applicant_services.reuse_consent_withdraw(
                applicant=applicant, actor=applicant.audit_label
            )
        if consent and case.applicant_id == applicant.pk and case.status in EDITABLE[:2]:
            # Given on the application: what the platform holds is attached at once.
            services.case_materials_autofill(case=case, actor=applicant.audit_label)
        messages.success(
            request,
            "已同意复用，材料清单里可以直接选用以前的材料。" if consent else "已撤回复用同意。",
        )
    return redirect(_back(request, case))


@require_safe
@applicant_login_required
def material_file(request, number: str, pk: int):
    """The applicant's own uploaded file (only through this check, never a public URL)."""
    case = _own_case(request, number)
    material = _material_of(case, pk)
    if not material.file:
        raise Http404("这项材料没有上传文件")
    return _file_response(material.file, material.name, material.content_type)


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    return file_response(pdf, filename, "application/pdf", fallback="document.pdf", inline=inline)


def _file_response(stored, name: str, content_type: str) -> FileResponse:
    suffix = PurePosixPath(stored.name).suffix.lower() if stored else ""
    return stored_file_response(
        stored, f"{name}{suffix}", content_type, missing="文件已不存在，请联系办理部门"
    )


# --- after submitting ------------------------------------------------------------------------


@require_POST
@applicant_login_required
def resubmit(request, number: str):
    """After fixing what the one-time notice listed: back to pre-check."""
    applicant = current_applicant(request)
    case = _own_case(request, number)
    try:
        services.case_resubmit(case=case, actor=applicant.audit_label)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "补正材料已提交，工作人员会尽快再次预审。")
    return redirect(_case_url(case))


@require_POST
@applicant_login_required
def withdraw(request, number: str):
    applicant = current_applicant(request)
    case = _own_case(request, number)
    reason = request.POST.get("reason", "").strip() or "申请人主动撤回"
    try:
        services.case_withdraw(case=case, actor=applicant.audit_label, reason=reason[:500])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "申请已撤回。")
    return redirect(_case_url(case))


@require_safe
@applicant_login_required
def my_cases(request):
    applicant = current_applicant(request)
    cases = list(
        selectors.applicant_cases(applicant)
        .select_related("implementation_item__base_item")
        .order_by("-created_at")[:200]
    )
    return render(request, "cases/public/mine.html", {"cases": cases, "applicant": applicant})


@require_safe
@applicant_login_required
def case_by_id(request, pk: int):
    case = selectors.applicant_cases(current_applicant(request)).filter(pk=pk).first()
    if case is None:
        raise Http404("没有找到这个办件")
    return redirect(_case_url(case))


@require_safe
@applicant_login_required
def case_detail(request, number: str):
    applicant = current_applicant(request)
    case = _own_case(request, number)
    if case.status == CaseStatus.DRAFT:
        return redirect("cases:edit", case.number)
    notice = case.precheck_rounds.order_by("-number").first()
    # After a one-time notice the applicant fixes online: a pre-check notice always, a
    # window notice too when the application came in online.
    editable = case.status == CaseStatus.PRECHECK_RETURNED or (
        case.status == CaseStatus.CORRECTION_NOTICE and case.channel == CaseChannel.ONLINE
    )
    clock = selectors.case_clock(case) if case.accepted_on else None
    delivery = getattr(case, "delivery", None) if case.concluded_at else None
    return render(
        request,
        "cases/public/case.html",
        {
            "case": case,
            "applicant": applicant,
            "timeline": selectors.case_timeline(case, public_only=True),
            "notice": notice if notice and notice.resolved_at is None else None,
            "rows": _material_rows(case, applicant) if editable else [],
            "editable": editable,
            "all_materials": list(case.materials.all()),
            "upload_form": MaterialUploadForm(),
            "clock": clock,
            "delivery": delivery,
            "ready_for_pickup": bool(delivery and delivery.ready_at and not delivery.delivered_at),
            "documents": list(case.documents.all()),
            "rating_url": rating_url(case) if case.concluded_at else "",
            "can_withdraw": case.status
            in (CaseStatus.PRECHECK, CaseStatus.PRECHECK_RETURNED, CaseStatus.AWAITING_ACCEPTANCE),
            "has_receipt": case.accepted_at is not None,
        },
    )


@require_safe
@applicant_login_required
def receipt_pdf(request, number: str):
    case = _own_case(request, number)
    if case.accepted_at is None:
        raise Http404("办件受理后才有受理回执")
    from sanyi.cases.documents import receipt_pdf as build

    pdf = build(case, base_url=request.build_absolute_uri("/"))
    return pdf_response(pdf, f"受理回执-{case.number}.pdf")


@require_safe
@applicant_login_required
def result_document(request, number: str, pk: int):
    case = _own_case(request, number)
    document = case.documents.filter(pk=pk).first()
    if document is None:
        raise Http404("没有这份文书")
    return _file_response(document.file, document.title, "application/pdf")
