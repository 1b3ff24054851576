"""Workbench phone pages of help to apply (帮办代办, under /workbench/grid/assist/): choose
the resident and the item, record the resident's consent, photograph the materials and
submit. Each page parses its form, calls one service or selector and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sanyi.core.forms import apply_service_errors
from sanyi.grid import selectors, services
from sanyi.grid.models import Assist, AssistStatus
from sanyi.grid.web.forms import AssistConsentForm, AssistMaterialsForm, AssistStartForm
from sanyi.grid.web.staff import _officer, code_sent

DEMO_CODE_KEY = "sanyi_grid_assist_demo_code"
RESIDENTS_SHOWN = 50


def assist_start(request):
    """Choose the resident (of the officer's grids, masked) and the online item."""
    _officer(request)
    query = (request.GET.get("q") or "").strip()[:20]
    residents = list(selectors.grid_residents(request.user, query=query)[:RESIDENTS_SHOWN])
    items = selectors.assist_items(request.user)
    chosen = request.POST.get("applicant", "")
    if chosen.isdigit() and all(str(r.pk) != chosen for r in residents):
        found = selectors.grid_resident(request.user, int(chosen))
        if found is None:
            raise PermissionDenied("只能为本网格的居民代办")
        residents.append(found)
    form = AssistStartForm(request.POST or None, residents=residents, items=items)
    if request.method == "POST" and form.is_valid():
        applicant = next(r for r in residents if r.pk == form.cleaned_data["applicant"])
        item = next(i for i in items if i.pk == form.cleaned_data["item"])
        try:
            assist = services.assist_start(actor=request.user, applicant=applicant, item=item)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("workbench:grid:assist_consent", pk=assist.pk)
    return render(
        request,
        "grid/assist_start.html",
        {
            "form": form,
            "query": query,
            "residents": residents,
            "recent": list(selectors.assists(request.user)[:10]),
        },
        status=400 if form.errors else 200,
    )


def _assist(request, pk: int) -> Assist:
    _officer(request)
    assist = selectors.assist_get(request.user, pk)
    if assist is None:
        raise Http404
    return assist


def assist_consent(request, pk: int):
    """The resident consents: the code from their phone, or a photo of the signed form."""
    assist = _assist(request, pk)
    if assist.status != AssistStatus.CONSENT:
        return redirect("workbench:grid:assist_materials", pk=assist.pk)
    form = AssistConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assist_consent(
                assist=assist,
                actor=request.user,
                method=data["method"],
                code=data.get("code") or "",
                authorisation=data.get("authorisation"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            request.session.pop(DEMO_CODE_KEY, None)
            messages.success(request, "居民已同意代办，请拍摄材料。")
            return redirect("workbench:grid:assist_materials", pk=assist.pk)
    return render(
        request,
        "grid/assist_consent.html",
        {
            "assist": assist,
            "form": form,
            "demo_code": request.session.get(DEMO_CODE_KEY, {}).get(str(assist.pk), ""),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def assist_send_code(request, pk: int):
    assist = _assist(request, pk)
    code_sent(
        request,
        lambda: services.assist_code_request(assist=assist, actor=request.user),
        session_key=DEMO_CODE_KEY,
        pk=assist.pk,
    )
    return redirect("workbench:grid:assist_consent", pk=assist.pk)


def _materials_page(request, assist: Assist, form: AssistMaterialsForm | None = None):
    if assist.status == AssistStatus.CONSENT:
        return redirect("workbench:grid:assist_consent", pk=assist.pk)
    if assist.status == AssistStatus.SUBMITTED:
        return render(request, "grid/assist_done.html", {"assist": assist, "case": assist.case})
    form = form or AssistMaterialsForm(materials=services.assist_materials(assist))
    return render(
        request,
        "grid/assist_materials.html",
        {"assist": assist, "case": assist.case, "form": form},
        status=400 if form.errors else 200,
    )


def assist_materials(request, pk: int):
    """Photograph each material (phone camera); the submit button sends them all at once."""
    return _materials_page(request, _assist(request, pk))


@require_POST
def assist_submit(request, pk: int):
    assist = _assist(request, pk)
    if assist.status != AssistStatus.MATERIALS:
        return _materials_page(request, assist)
    form = AssistMaterialsForm(
        request.POST, request.FILES, materials=services.assist_materials(assist)
    )
    if form.is_valid():
        try:
            services.assist_submit(
                assist=assist,
                actor=request.user,
                photos=form.photos(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "已代居民提交申请。")
            return redirect("workbench:grid:assist_materials", pk=assist.pk)
    return _materials_page(request, assist, form)
