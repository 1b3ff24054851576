"""Workbench pages for system admins: the org tree, units, service centers, windows, staff,
roles and the Excel import/export.

Every page asks ``orgs.permissions`` whether the viewer is a system admin of the unit in
question; anyone else gets 403. Views parse forms, call one service and render.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanyi.audit.selectors import audit_history
from sanyi.core.forms import apply_service_errors
from sanyi.core.http import StaffRequest
from sanyi.core.imports import (
    imports_cleanup_stale,
    staged_upload_delete,
    staged_upload_get,
    staged_upload_save,
)
from sanyi.core.responses import XLSX, file_response
from sanyi.orgs import excel, permissions, selectors, services
from sanyi.orgs.models import OrgKind, OrgUnit, Role, ServiceCenter, User, Window
from sanyi.orgs.web.forms import (
    UNIT_FIELDS,
    OrgImportForm,
    OrgUnitAbolishForm,
    OrgUnitForm,
    OrgUnitMoveForm,
    ServiceCenterForm,
    WindowForm,
)

ADMIN = Role.SYSTEM_ADMIN
CENTER_KINDS = {OrgKind.DISTRICT, OrgKind.SUBDISTRICT, OrgKind.COMMUNITY}
HISTORY_ROWS = 30


def _require_admin(request: StaffRequest) -> list[str]:
    """The viewer's system-admin scope; 403 when there is none."""
    paths = permissions.scope_paths(request.user, ADMIN)
    if not paths:
        raise PermissionDenied("只有系统管理员可以管理组织机构")
    return paths


def _unit_for_admin(request: StaffRequest, pk: int) -> OrgUnit:
    _require_admin(request)
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), pk=pk)
    if not permissions.has_role(request.user, ADMIN, unit):
        raise PermissionDenied("该单位不在您的管理范围内")
    return unit


def _center_for_admin(request: StaffRequest, pk: int) -> ServiceCenter:
    center = get_object_or_404(ServiceCenter.objects.select_related("org_unit"), pk=pk)
    _unit_for_admin(request, center.org_unit_id)
    return center


def _staff_for_admin(request: StaffRequest, pk: int) -> User:
    _require_admin(request)
    user = get_object_or_404(User, pk=pk)
    if not selectors.staff_can_be_managed_by(viewer=request.user, user=user):
        raise PermissionDenied("该人员不在您的管理范围内")
    return user


def _history(model: type[Model], pk: int) -> list[dict]:
    """The newest audit rows of one object, with the changed fields named in Chinese."""
    events = audit_history(object_type=model._meta.label_lower, object_id=pk).order_by("-seq")
    names = {f.name: str(getattr(f, "verbose_name", f.name)) for f in model._meta.get_fields()}
    rows = []
    for event in events[:HISTORY_ROWS]:
        fields = [] if event.action.endswith(".create") else list(event.changes or {})
        rows.append({"event": event, "fields": [names.get(f, f) for f in fields]})
    return rows


def _unit_url(pk: int) -> str:
    return reverse("workbench:orgs_unit", args=[pk])


def _form_page(
    request: StaffRequest,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    cancel: str,
    intro: str = "",
    danger: bool = False,
    multipart: bool = False,
) -> HttpResponseBase:
    return render(
        request,
        "orgs/staff/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "cancel": cancel,
            "intro": intro,
            "danger": danger,
            "multipart": multipart,
        },
    )


# --- tree and units ----------------------------------------------------------------------


def org_tree(request: StaffRequest) -> HttpResponseBase:
    """The units the admin manages, nested; one query for the whole scope."""
    _require_admin(request)
    units = list(permissions.scope_units(request.user, ADMIN))
    roots = selectors.nest_units(units)
    return render(
        request,
        "orgs/staff/tree.html",
        {
            "roots": roots,
            "total": len(units),
            "active": sum(u.is_active for u in units),
        },
    )


def org_unit_detail(request: StaffRequest, pk: int) -> HttpResponseBase:
    unit = _unit_for_admin(request, pk)
    history = _history(OrgUnit, unit.pk)
    return render(
        request,
        "orgs/staff/unit_detail.html",
        {
            "unit": unit,
            "ancestors": list(selectors.org_ancestors(unit)),
            "children": list(unit.children.order_by("sort_order", "name")),
            "centers": list(selectors.service_centers_for(unit)),
            "staff": list(selectors.staff_of_unit(unit)),
            "history": history,
            "can_add_child": unit.is_active,
        },
    )


def org_unit_create(request: StaffRequest, parent_pk: int) -> HttpResponseBase:
    parent = _unit_for_admin(request, parent_pk)
    form = OrgUnitForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.org_unit_create(
                actor=request.user,
                parent=parent,
                kind=data["kind"],
                name=data["name"],
                is_rural=data["is_rural"],
                **{k: data[k] for k in UNIT_FIELDS if k != "name"},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已新建“{unit.name}”。")
            return redirect("workbench:orgs_unit", pk=unit.pk)
    return _form_page(
        request,
        form,
        title=f"在“{parent.name}”下新建单位",
        submit="新建",
        cancel=_unit_url(parent.pk),
    )


def org_unit_edit(request: StaffRequest, pk: int) -> HttpResponseBase:
    unit = _unit_for_admin(request, pk)
    form = OrgUnitForm(request.POST or None, unit=unit, initial=OrgUnitForm.initial_for(unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.org_unit_update(
                actor=request.user,
                unit=unit,
                is_rural=data["is_rural"],
                **{k: data[k] for k in UNIT_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("workbench:orgs_unit", pk=unit.pk)
    return _form_page(
        request, form, title=f"修改“{unit.name}”", submit="保存", cancel=_unit_url(unit.pk)
    )


def org_unit_move(request: StaffRequest, pk: int) -> HttpResponseBase:
    unit = _unit_for_admin(request, pk)
    form = OrgUnitMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["new_parent_code"].strip()
        target = OrgUnit.objects.filter(code=code).first()
        if target is None or not permissions.has_role(request.user, ADMIN, target):
            form.add_error("new_parent_code", f"找不到您管理范围内编号为{code}的单位")
        else:
            try:
                services.org_unit_move(
                    actor=request.user, unit=unit, new_parent=target, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"已把“{unit.name}”调整到“{target.name}”之下。")
                return redirect("workbench:orgs_unit", pk=unit.pk)
    return _form_page(
        request,
        form,
        title=f"调整“{unit.name}”的上级单位",
        submit="调整",
        cancel=_unit_url(unit.pk),
        intro=f"“{unit.name}”及其全部下级单位将一起调整。",
    )


def org_unit_abolish(request: StaffRequest, pk: int) -> HttpResponseBase:
    unit = _unit_for_admin(request, pk)
    form = OrgUnitAbolishForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.org_unit_abolish(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"“{unit.name}”已撤销，历史记录仍可查看。")
            return redirect("workbench:orgs_unit", pk=unit.pk)
    return _form_page(
        request,
        form,
        title=f"撤销“{unit.name}”",
        submit="确认撤销",
        cancel=_unit_url(unit.pk),
        danger=True,
        intro="撤销后单位不再有效，但不会删除，历史记录保留。须先撤销或调走全部下级单位、"
        "收回本单位的角色、停用本单位的服务中心。",
    )


@require_POST
def org_unit_reactivate(request: StaffRequest, pk: int) -> HttpResponseBase:
    unit = _unit_for_admin(request, pk)
    try:
        services.org_unit_reactivate(actor=request.user, unit=unit, reason="工作台恢复")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"“{unit.name}”已恢复为有效。")
    return redirect("workbench:orgs_unit", pk=unit.pk)


# --- service centers and windows ---------------------------------------------------------


def _save_form(
    request: StaffRequest,
    form: forms.Form,
    save: Callable[..., Any],
    *,
    success: str,
    unit_pk: int,
    **page: Any,
) -> HttpResponseBase:
    """A valid POST calls ``save(**cleaned_data)`` and returns to the unit page; a refused
    save puts the service's errors on the form, which is shown again."""
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("workbench:orgs_unit", pk=unit_pk)
    return _form_page(request, form, cancel=_unit_url(unit_pk), **page)


def service_center_create(request: StaffRequest, unit_pk: int) -> HttpResponseBase:
    unit = _unit_for_admin(request, unit_pk)
    return _save_form(
        request,
        ServiceCenterForm(request.POST or None),
        partial(services.service_center_create, actor=request.user, org_unit=unit),
        success="服务中心已新建。",
        unit_pk=unit.pk,
        title=f"为“{unit.name}”新建服务中心",
        submit="新建",
    )


def service_center_edit(request: StaffRequest, pk: int) -> HttpResponseBase:
    center = _center_for_admin(request, pk)
    initial = {f: getattr(center, f) for f in ServiceCenterForm.base_fields}
    return _save_form(
        request,
        ServiceCenterForm(request.POST or None, initial=initial),
        partial(services.service_center_update, actor=request.user, center=center),
        success="已保存。",
        unit_pk=center.org_unit_id,
        title=f"修改“{center.name}”",
        submit="保存",
    )


def window_create(request: StaffRequest, center_pk: int) -> HttpResponseBase:
    center = _center_for_admin(request, center_pk)
    return _save_form(
        request,
        WindowForm(request.POST or None),
        partial(services.window_create, actor=request.user, center=center),
        success="窗口已新建。",
        unit_pk=center.org_unit_id,
        title=f"在“{center.name}”新建窗口",
        submit="新建",
    )


def window_edit(request: StaffRequest, pk: int) -> HttpResponseBase:
    window = get_object_or_404(Window.objects.select_related("center"), pk=pk)
    center = _center_for_admin(request, window.center_id)
    initial = {f: getattr(window, f) for f in WindowForm.base_fields}
    return _save_form(
        request,
        WindowForm(request.POST or None, initial=initial),
        partial(services.window_update, actor=request.user, window=window),
        success="已保存。",
        unit_pk=center.org_unit_id,
        title=f"修改{window}",
        submit="保存",
    )


# --- Excel -------------------------------------------------------------------------------


def org_export(request: StaffRequest) -> HttpResponseBase:
    _require_admin(request)
    data = excel.export_units(permissions.scope_units(request.user, ADMIN))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return file_response(data, f"org-tree-{stamp}.xlsx", XLSX, nosniff=False)


STAGING_KIND = "orgs"


def _import_page(
    request: StaffRequest,
    form: forms.Form,
    *,
    errors: Sequence[Any] = (),
    summary: Any = None,
    token: str = "",
    status: int = 200,
) -> HttpResponseBase:
    return render(
        request,
        "orgs/staff/import.html",
        {
            "form": form,
            "errors": errors,
            "summary": summary,
            "token": token,
            "unit_columns": excel.UNIT_COLUMNS,
            "center_columns": excel.CENTER_COLUMNS,
        },
        status=status,
    )


def org_import(request: StaffRequest) -> HttpResponseBase:
    paths = _require_admin(request)
    form = OrgImportForm(request.POST or None, request.FILES or None)
    errors, summary, token = [], None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            summary = services.org_tree_import(
                actor=request.user,
                file=content,
                dry_run=form.cleaned_data["dry_run"],
                source_name=upload.name[:100],
                allowed_paths=paths,
            )
        except excel.ImportRejected as exc:
            errors = exc.errors
        else:
            if not summary.dry_run:
                messages.success(request, str(summary))
                return redirect("workbench:orgs_import")
            # A clean dry run keeps the file, so 确认导入 imports exactly what was checked.
            imports_cleanup_stale()
            token = staged_upload_save(
                kind=STAGING_KIND,
                owner_id=request.user.pk,
                file_name=upload.name,
                content=content,
            ).token
    return _import_page(request, form, errors=errors, summary=summary, token=token)


@require_POST
def org_import_confirm(request: StaffRequest, token: str) -> HttpResponseBase:
    """Import for real the file whose dry run came back clean."""
    paths = _require_admin(request)
    staged = staged_upload_get(kind=STAGING_KIND, token=token, viewer=request.user)
    if staged is None:
        raise Http404("没有这次导入（可能已经导入或已过期）")
    try:
        summary = services.org_tree_import(
            actor=request.user,
            file=staged.read(),
            source_name=staged.file_name[:100],
            allowed_paths=paths,
        )
    except excel.ImportRejected as exc:
        # The tree changed since the dry run (someone else edited it).
        return _import_page(request, OrgImportForm(), errors=exc.errors, status=400)
    staged_upload_delete(staged=staged)
    messages.success(request, str(summary))
    return redirect("workbench:orgs_import")
