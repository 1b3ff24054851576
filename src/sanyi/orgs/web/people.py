"""Workbench pages for system admins about people: the staff list (filtered by unit and
role), accounts, and assigning roles through a unit picker limited to the admin's scope.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sanyi.core.forms import apply_service_errors
from sanyi.core.http import StaffRequest
from sanyi.orgs import permissions, selectors, services
from sanyi.orgs.models import OrgUnit, RoleAssignment, User, Window
from sanyi.orgs.web.forms import RoleAssignForm, StaffDeactivateForm, StaffFilterForm, StaffForm
from sanyi.orgs.web.staff import (
    ADMIN,
    _form_page,
    _history,
    _require_admin,
    _staff_for_admin,
    _unit_for_admin,
)

LIST_LIMIT = 200
# The account form's fields that go to the service as they are.
STAFF_DETAILS = ("username", "full_name", "phone", "email")


def staff_list(request: StaffRequest) -> HttpResponseBase:
    _require_admin(request)
    units = selectors.org_units_assignable(viewer=request.user)
    form = StaffFilterForm(request.GET or None, units=units)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = next((u for u in units if u.pk == filters.get("unit")), None)
    people = list(
        selectors.staff_visible(
            viewer=request.user,
            search=filters.get("q", "").strip(),
            unit=unit,
            role=filters.get("role", ""),
        )[:LIST_LIMIT]
    )
    return render(
        request,
        "orgs/staff/staff_list.html",
        {"people": people, "form": form, "limit": LIST_LIMIT, "filtered_unit": unit},
    )


@sensitive_post_parameters("password1", "password2")
def staff_create(request: StaffRequest) -> HttpResponseBase:
    _require_admin(request)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.staff_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
                password=data["password1"] or None,
            )
        except ValidationError as exc:
            if "password" in getattr(exc, "error_dict", {}):
                exc.error_dict["password1"] = exc.error_dict.pop("password")
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已新建账号{user.username}，请为其分配角色。")
            return redirect("workbench:orgs_staff_detail", pk=user.pk)
    return _form_page(
        request,
        form,
        title="新建工作人员账号",
        submit="新建",
        cancel=reverse("workbench:orgs_staff"),
    )


def _windows_in_scope(request: StaffRequest) -> QuerySet[Window]:
    return (
        Window.objects.filter(
            permissions.scope_q(request.user, ADMIN, "center__org_unit__path"), is_active=True
        )
        .select_related("center")
        .order_by("center__org_unit__path", "center__name", "number")
    )


@sensitive_post_parameters("password1", "password2")
def staff_detail(request: StaffRequest, pk: int) -> HttpResponseBase:
    person = _staff_for_admin(request, pk)
    form = StaffForm(
        request.POST if request.POST.get("form") == "staff" else None,
        initial={f: getattr(person, f) for f in STAFF_DETAILS},
    )
    if _staff_saved(form, actor=request.user, person=person):
        messages.success(request, "已保存。")
        return redirect("workbench:orgs_staff_detail", pk=person.pk)
    role_form = RoleAssignForm(
        request.POST if request.POST.get("form") == "role" else None,
        units=selectors.org_units_assignable(viewer=request.user),
        windows=_windows_in_scope(request),
    )
    unit = _role_assigned(role_form, actor=request.user, person=person)
    if unit is not None:
        messages.success(request, f"已在“{unit.name}”分配角色。")
        return redirect("workbench:orgs_staff_detail", pk=person.pk)
    return render(
        request,
        "orgs/staff/staff_detail.html",
        {
            "person": person,
            "form": form,
            "role_form": role_form,
            "assignments": list(selectors.roles_of_staff(person)),
            "deactivate_form": StaffDeactivateForm(),
            "history": _history(User, person.pk),
        },
    )


def _staff_saved(form: StaffForm, *, actor: User, person: User) -> bool:
    """Save the posted account form; a refusal from the service goes back onto the form."""
    if not (form.is_bound and form.is_valid()):
        return False
    data = form.cleaned_data
    try:
        details = {f: data[f] for f in STAFF_DETAILS}
        services.staff_update(
            actor=actor, user=person, password=data["password1"] or None, **details
        )
    except ValidationError as exc:
        if "password" in getattr(exc, "error_dict", {}):
            exc.error_dict["password1"] = exc.error_dict.pop("password")
        apply_service_errors(form, exc)
        return False
    return True


def _role_assigned(role_form: RoleAssignForm, *, actor: User, person: User) -> OrgUnit | None:
    """Assign the posted role on a unit in the actor's scope: the unit, or None (refusals
    are on the form)."""
    if not (role_form.is_bound and role_form.is_valid()):
        return None
    data = role_form.cleaned_data
    unit = OrgUnit.objects.filter(pk=data["org_unit"]).first()
    if unit is None:
        role_form.add_error("org_unit", "所选单位不存在，请从列表中选择")
        return None
    try:
        services.role_assign(
            actor=actor,
            user=person,
            org_unit=unit,
            role=data["role"],
            window=data["window"],
        )
    except ValidationError as exc:
        apply_service_errors(role_form, exc)
        return None
    return unit


@require_POST
def staff_deactivate(request: StaffRequest, pk: int) -> HttpResponseBase:
    person = _staff_for_admin(request, pk)
    form = StaffDeactivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写停用原因。")
    else:
        try:
            services.staff_deactivate(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"账号{person.username}已停用。")
    return redirect("workbench:orgs_staff_detail", pk=person.pk)


@require_POST
def role_revoke(request: StaffRequest, pk: int) -> HttpResponseBase:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("org_unit"), pk=pk)
    _unit_for_admin(request, assignment.org_unit_id)
    services.role_revoke(actor=request.user, assignment=assignment, reason="工作台收回")
    messages.success(request, f"已收回：{assignment}")
    return redirect("workbench:orgs_staff_detail", pk=assignment.user_id)
