"""Catalogue admin pages for writing: a new item, editing a draft with live lint, its
material files, submitting, discarding and starting a new draft from the published version.

Access is checked in ``access`` (403 for non-admins, 404 outside the viewer's scope). Every
change goes through one service of ``catalog.services``, which checks the role and the
status again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST, require_safe

from sanyi.catalog import services
from sanyi.catalog.admin_selectors import admin_units
from sanyi.catalog.choices import ItemType, VersionStatus
from sanyi.catalog.guide import GuideInvalid, clean_guide, empty_guide, guide_of
from sanyi.catalog.lint import Severity, lint_guide
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.public import MATERIAL_FILE_KINDS, material_file
from sanyi.catalog.web.forms import (
    ROW_FORMS,
    GuideEditor,
    IdentityForm,
    MaterialFileForm,
    path_label,
)
from sanyi.catalog.web.public import material_file_response
from sanyi.catalog.web.staff.access import (
    item_or_404,
    require_catalog_admin,
    version_or_404,
    version_url,
)
from sanyi.core.forms import apply_service_errors


def _lint_context(editor: GuideEditor, item_type: str) -> dict:
    """Lint of what is on the page now: format problems first, then the lint rules."""
    guide = editor.guide()
    cleaned, problems = clean_guide(guide)
    findings = lint_guide(cleaned, item_type=item_type) if item_type in ItemType.values else []
    rows = [
        {
            "code": "格式",
            "severity": Severity.ERROR,
            "severity_label": "错误",
            "message": problem.message,
            "field": path_label(problem.path),
            "anchor": editor.anchor(problem.path),
        }
        for problem in problems
    ]
    rows += [
        {
            "code": f.code,
            "title": f.title,
            "severity": f.severity,
            "severity_label": Severity(f.severity).label,
            "message": f.message,
            "field": path_label(f.path),
            "anchor": editor.anchor(f.path),
        }
        for f in findings
    ]
    if editor.has_errors:
        rows[:0] = _form_error_rows(editor)
    errors = sum(r["severity"] == Severity.ERROR for r in rows)
    return {"findings": rows, "lint_errors": errors, "lint_warnings": len(rows) - errors}


def _form_error_rows(editor: GuideEditor) -> list[dict]:
    """What the page's own fields refused (a number typed wrongly …), as lint-panel rows,
    so the live panel shows them before anything is saved."""
    forms_and_titles = [(editor.form, "")]
    for formset in editor.formsets.values():
        forms_and_titles += [
            (row, f"{formset.title}第{i}项·") for i, row in enumerate(formset.forms, start=1)
        ]
    rows = []
    for form, prefix in forms_and_titles:
        for name, refusals in form.errors.items():
            bound = form[name] if name in form.fields else None
            for message in refusals:
                rows.append(
                    {
                        "code": "格式",
                        "severity": Severity.ERROR,
                        "severity_label": "错误",
                        "message": message,
                        "field": f"{prefix}{bound.label}"
                        if bound is not None
                        else prefix.rstrip("·"),
                        "anchor": bound.id_for_label if bound is not None else "",
                    }
                )
    return rows


def _editor_page(
    request, *, editor, identity=None, version=None, item_type, status=200, file_form=None
):
    context = {
        "editor": editor,
        "identity": identity,
        "version": version,
        "item_type": item_type,
        "row_keys": list(ROW_FORMS),
        "material_files": _material_file_rows(version, file_form) if version else [],
        **_lint_context(editor, item_type),
    }
    return render(request, "catalog/staff/edit.html", context, status=status)


def _material_file_rows(version: ItemVersion, bound: MaterialFileForm | None) -> list[dict]:
    """Each saved material of a draft with its files and its upload form (the posted one
    when ``bound`` carries errors). Reads the materials ``admin_version`` prefetched."""
    rows = []
    for material in version.materials.all():
        files = {
            kind: {
                "label": label,
                "name": getattr(material, kind).name.rsplit("/", 1)[-1],
                "url": reverse(
                    "workbench:catalog_material_file",
                    args=[version.pk, material.position, kind],
                ),
            }
            for kind, label in MATERIAL_FILE_KINDS.items()
            if getattr(material, kind)
        }
        form = (
            bound
            if bound is not None and bound.position == material.position
            else MaterialFileForm(position=material.position)
        )
        rows.append({"material": material, "files": files, "form": form})
    return rows


def _add_row(data, key: str):
    """The posted page with one more blank row in section ``key``."""
    data = data.copy()
    name = f"{key}-TOTAL_FORMS"
    try:
        data[name] = str(int(data.get(name, "0")) + 1)
    except ValueError:
        data[name] = "1"
    return data


def item_create(request):
    require_catalog_admin(request)
    units = admin_units(request.user)
    if request.method != "POST":
        identity = IdentityForm(units=units)
        editor = GuideEditor.from_guide(empty_guide())
        return _editor_page(request, editor=editor, identity=identity, item_type=ItemType.LICENSING)
    data = request.POST
    if data.get("add_row") in ROW_FORMS:
        data = _add_row(data, data["add_row"])
    identity = IdentityForm(data, units=units)
    editor = GuideEditor.from_post(data)
    item_type = data.get("item_type", "")
    if "add_row" in request.POST:
        identity.is_valid()
        editor.is_valid()
        return _editor_page(request, editor=editor, identity=identity, item_type=item_type)
    identity_ok = identity.is_valid()
    if editor.is_valid() and identity_ok:
        ident = identity.cleaned_data
        try:
            version = services.item_create(
                actor=request.user,
                name=ident["name"],
                item_type=ident["item_type"],
                implementing_unit=ident["implementing_unit"],
                level=ident["level"],
                power_source=ident["power_source"],
                implementer_nature=ident["implementer_nature"],
                entrusting_body=ident["entrusting_body"],
                base_code=ident["base_code"] or None,
                guide=editor.guide(),
                change_note=editor.form.cleaned_data["change_note"],
            )
        except GuideInvalid as exc:
            editor.put_errors(exc.errors)
        except ValidationError as exc:
            apply_service_errors(identity, exc)
        else:
            messages.success(
                request,
                f"已新建事项“{ident['name']}”，实施编码{version.implementation_item.implementation_code}，"
                "目前是草稿。",
            )
            if request.POST.get("action") == "submit":
                return _submit(request, version)
            return redirect("workbench:catalog_version_edit", pk=version.pk)
    return _editor_page(request, editor=editor, identity=identity, item_type=item_type)


def version_edit(request, pk: int):
    version = version_or_404(request, pk)
    item_type = version.implementation_item.base_item.item_type
    if version.status != VersionStatus.DRAFT:
        messages.warning(request, f"该版本处于“{version.get_status_display()}”状态，不能修改。")
        return redirect(version_url(version))
    if request.method != "POST":
        editor = GuideEditor.from_guide(guide_of(version), change_note=version.change_note)
        return _editor_page(request, editor=editor, version=version, item_type=item_type)
    data = request.POST
    if data.get("add_row") in ROW_FORMS:
        editor = GuideEditor.from_post(_add_row(data, data["add_row"]))
        editor.is_valid()
        return _editor_page(request, editor=editor, version=version, item_type=item_type)
    editor = GuideEditor.from_post(data)
    if editor.is_valid():
        try:
            version = services.item_version_update(
                actor=request.user,
                version=version,
                guide=editor.guide(),
                change_note=editor.form.cleaned_data["change_note"],
            )
        except GuideInvalid as exc:
            editor.put_errors(exc.errors)
        except ValidationError as exc:
            apply_service_errors(editor.form, exc)
        else:
            if request.POST.get("action") == "submit":
                return _submit(request, version)
            messages.success(request, "草稿已保存。")
            return redirect("workbench:catalog_version_edit", pk=version.pk)
    return _editor_page(request, editor=editor, version=version, item_type=item_type)


@require_POST
def material_files_update(request, pk: int, position: int):
    """Upload, replace or remove the blank form and sample of one material of a draft."""
    version = version_or_404(request, pk)
    if version.status != VersionStatus.DRAFT:
        messages.warning(request, f"该版本处于“{version.get_status_display()}”状态，不能修改文件。")
        return redirect(version_url(version))
    material = next((m for m in version.materials.all() if m.position == position), None)
    if material is None:
        raise Http404("这项材料不存在，请先保存草稿")
    form = MaterialFileForm(request.POST, request.FILES, position=position)
    changes = {}
    if form.is_valid():
        # Removing a file that is not there changes nothing and would only add audit noise.
        changes = {k: v for k, v in form.changes().items() if v is not None or getattr(material, k)}
        if not changes:
            form.add_error(None, "这项材料没有可删除的文件")
    if form.is_valid():
        try:
            # Both kinds of one post land together or not at all.
            with transaction.atomic():
                for kind, upload in changes.items():
                    services.material_file_attach(
                        actor=request.user,
                        version=version,
                        position=position,
                        kind=kind,
                        upload=upload,
                    )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            done = "、".join(
                ("已上传" if upload else "已删除") + MATERIAL_FILE_KINDS[kind]
                for kind, upload in changes.items()
            )
            messages.success(request, f"第{position}项材料：{done}。")
            edit_url = reverse("workbench:catalog_version_edit", args=[version.pk])
            return redirect(f"{edit_url}#material-files-{position}")
    editor = GuideEditor.from_guide(guide_of(version), change_note=version.change_note)
    return _editor_page(
        request,
        editor=editor,
        version=version,
        item_type=version.implementation_item.base_item.item_type,
        file_form=form,
    )


@require_safe
def material_file_download(request, pk: int, position: int, kind: str):
    """A blank form or sample of any version the viewer maintains (drafts included)."""
    version = version_or_404(request, pk)
    material = next((m for m in version.materials.all() if m.position == position), None)
    if material is None:
        raise Http404("这项材料不存在")
    response = material_file_response(material_file(material, kind))
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
def lint_preview(request):
    """The lint panel for what is on the edit page now (htmx, nothing is saved)."""
    require_catalog_admin(request)
    editor = GuideEditor.from_post(request.POST)
    editor.is_valid()
    item_type = request.POST.get("item_type", "")
    return render(
        request,
        "catalog/staff/_lint_panel.html",
        {**_lint_context(editor, item_type), "editing": True},
    )


def _submit(request, version: ItemVersion):
    try:
        services.item_version_submit(actor=request.user, version=version)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("workbench:catalog_version_edit", pk=version.pk)
    messages.success(request, "已提交审核，请另一位事项管理员审核。")
    return redirect(version_url(version))


@require_POST
def version_submit(request, pk: int):
    return _submit(request, version_or_404(request, pk))


@require_POST
def version_discard(request, pk: int):
    version = version_or_404(request, pk)
    code = version.implementation_item.implementation_code
    try:
        services.item_version_discard(actor=request.user, version=version)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(version_url(version))
    messages.success(request, f"已放弃{code}的草稿。")
    return redirect("workbench:catalog_items")


@require_POST
def item_new_draft(request, implementation_code: str):
    item = item_or_404(request, implementation_code)
    try:
        draft = services.item_version_new_draft(
            actor=request.user,
            implementation_item=item,
            change_note=request.POST.get("change_note", "")[:500],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("workbench:catalog_item", implementation_code=implementation_code)
    messages.success(request, f"已从已发布版本复制出第{draft.number}版草稿。")
    return redirect("workbench:catalog_version_edit", pk=draft.pk)
