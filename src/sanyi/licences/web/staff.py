"""Staff pages of e-licences: the licences issued in the viewer's scope, and revocation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from sanyi.licences.selectors import can_read_licences, licence_verify_path, licences_visible_to
from sanyi.licences.services import licence_revoke
from sanyi.licences.web.forms import RevokeForm
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import has_role


def licence_list(request):
    if not can_read_licences(request.user):
        raise PermissionDenied("只有窗口人员、审批人员和督查人员可以查看电子证照")
    qs = licences_visible_to(request.user)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(number__icontains=q.upper()) | qs.filter(case__number__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "licences/staff/list.html",
        {"page": page, "q": q, "query": f"q={q}" if q else ""},
    )


def licence_detail(request, pk: int):
    licence = get_object_or_404(licences_visible_to(request.user), pk=pk)
    can_revoke = has_role(request.user, Role.APPROVER, licence.issuing_unit)
    return render(
        request,
        "licences/staff/detail.html",
        {
            "licence": licence,
            "form": RevokeForm(),
            "can_revoke": can_revoke,
            "verify_path": licence_verify_path(licence),
        },
    )


@require_POST
def licence_revoke_view(request, pk: int):
    licence = get_object_or_404(licences_visible_to(request.user), pk=pk)
    if not has_role(request.user, Role.APPROVER, licence.issuing_unit):
        raise PermissionDenied("只有发证单位的审批人员可以注销证照")
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            licence_revoke(licence=licence, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"证照 {licence.number} 已注销")
            return redirect("workbench:licences:detail", pk=licence.pk)
    return render(
        request,
        "licences/staff/detail.html",
        {
            "licence": licence,
            "form": form,
            "can_revoke": True,
            "verify_path": licence_verify_path(licence),
        },
        status=400,
    )
