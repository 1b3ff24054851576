"""Catalogue admin pages: the list, writing a draft with live lint, review, publication,
history and the version diff.

Only catalogue admins reach these pages (403 for everyone else); an item outside the
viewer's scope does not exist for them (404). Every change goes through one service of
``catalog.services``, which checks the role, the status and the four-eyes rule again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_POST, require_safe

from sanyi.catalog import services
from sanyi.catalog.admin_selectors import (
    AdminItemFilters,
    admin_item,
    admin_item_page,
    admin_units,
    admin_version,
    admin_version_history,
    is_catalog_admin,
    review_queue,
    version_findings,
)
from sanyi.catalog.choices import ItemType, VersionStatus
from sanyi.catalog.guide import GuideInvalid, clean_guide, empty_guide, guide_of
from sanyi.catalog.lint import Severity, lint_guide
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.catalog.public import MATERIAL_FILE_KINDS, material_file
from sanyi.catalog.selectors import VersionDiff, item_history, version_diff
from sanyi.catalog.views_public import material_file_response
from sanyi.orgs.forms import apply_service_errors
from sanyi.workbench.views.catalog.forms import (
    ROW_FORMS,
    SECTION_TITLES,
    GuideEditor,
    IdentityForm,
    ItemFilterForm,
    MaterialFileForm,
    PublishForm,
    ReviewForm,
    path_label,
)

PER_PAGE = 25


def require_catalog_admin(request) -> None:
    if not is_catalog_admin(request.user):
        raise PermissionDenied("只有事项管理员可以维护政务服务事项目录")


def _version_or_404(request, pk: int) -> ItemVersion:
    require_catalog_admin(request)
    try:
        return admin_version(viewer=request.user, pk=pk)
    except ItemVersion.DoesNotExist:
        raise Http404("事项版本不存在或不在您的管理范围内") from None


def _item_or_404(request, implementation_code: str) -> ImplementationItem:
    require_catalog_admin(request)
    try:
        return admin_item(viewer=request.user, implementation_code=implementation_code)
    except ImplementationItem.DoesNotExist:
        raise Http404("事项不存在或不在您的管理范围内") from None


def _version_url(version: ItemVersion) -> str:
    return reverse("workbench:catalog_version", args=[version.pk])


# --- list ----------------------------------------------------------------------------------


def item_list(request):
    require_catalog_admin(request)
    units = admin_units(request.user)
    form = ItemFilterForm(request.GET or None, units=units)
    filters = AdminItemFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = AdminItemFilters(
            status=data["status"],
            item_type=data["item_type"],
            level=data["level"],
            unit=data["unit"],
            text=data["text"],
            has_errors={"errors": True, "clean": False}.get(data["lint"]),
        )
    page = admin_item_page(
        viewer=request.user, filters=filters, page=request.GET.get("page", 1), per_page=PER_PAGE
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workbench/catalog/item_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "review_count": review_queue(viewer=request.user).count(),
        },
    )


def review_list(request):
    """Versions waiting for the viewer's review (never the viewer's own)."""
    require_catalog_admin(request)
    return render(
        request,
        "workbench/catalog/review_list.html",
        {"versions": list(review_queue(viewer=request.user))},
    )


# --- writing a draft -------------------------------------------------------------------------


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
    return render(request, "workbench/catalog/edit.html", context, status=status)


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
    version = _version_or_404(request, pk)
    item_type = version.implementation_item.base_item.item_type
    if version.status != VersionStatus.DRAFT:
        messages.warning(request, f"该版本处于“{version.get_status_display()}”状态，不能修改。")
        return redirect(_version_url(version))
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
    version = _version_or_404(request, pk)
    if version.status != VersionStatus.DRAFT:
        messages.warning(request, f"该版本处于“{version.get_status_display()}”状态，不能修改文件。")
        return redirect(_version_url(version))
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
    version = _version_or_404(request, pk)
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
        "workbench/catalog/_lint_panel.html",
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
    return redirect(_version_url(version))


@require_POST
def version_submit(request, pk: int):
    return _submit(request, _version_or_404(request, pk))


@require_POST
def version_discard(request, pk: int):
    version = _version_or_404(request, pk)
    code = version.implementation_item.implementation_code
    try:
        services.item_version_discard(actor=request.user, version=version)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_version_url(version))
    messages.success(request, f"已放弃{code}的草稿。")
    return redirect("workbench:catalog_items")


@require_POST
def item_new_draft(request, implementation_code: str):
    item = _item_or_404(request, implementation_code)
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


# --- one version: detail, review, publish ------------------------------------------------


def _published_of(request, version: ItemVersion) -> ItemVersion | None:
    if version.status == VersionStatus.PUBLISHED:
        return None
    return (
        ItemVersion.objects.filter(
            implementation_item_id=version.implementation_item_id,
            status=VersionStatus.PUBLISHED,
        )
        .only("pk", "number")
        .first()
    )


def _version_context(request, version: ItemVersion) -> dict:
    findings = version_findings(version)
    published = _published_of(request, version)
    diff = (
        shown_diff(version_diff(viewer=request.user, old=published, new=version))
        if published
        else None
    )
    return {
        "version": version,
        "item": version.implementation_item,
        "guide": guide_of(version),
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "path": path_label(f.path) if f.path else "",
            }
            for f in findings
        ],
        "lint_errors": sum(f.severity == Severity.ERROR for f in findings),
        "published": published,
        "diff": diff,
        "reviews": list(version.reviews.select_related("reviewer").order_by("created_at", "pk")),
        "is_author": request.user.pk in {version.created_by_id, version.submitted_by_id},
    }


def version_detail(request, pk: int):
    version = _version_or_404(request, pk)
    context = _version_context(request, version)
    context["publish_form"] = PublishForm()
    return render(request, "workbench/catalog/version_detail.html", context)


def version_review(request, pk: int):
    """Four-eyes: a second catalogue admin approves or sends back a version in review."""
    version = _version_or_404(request, pk)
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.item_version_review(
                actor=request.user,
                version=version,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            status = 403
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if form.cleaned_data["decision"] == "approve":
                messages.success(request, "审核通过，可以发布了。")
            else:
                messages.success(request, "已退回修改，草稿回到编写人手中。")
            return redirect(_version_url(version))
    context = _version_context(request, version)
    context["form"] = form
    return render(request, "workbench/catalog/review.html", context, status=status)


@require_POST
def version_publish(request, pk: int):
    version = _version_or_404(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "生效日期格式不对，请写成2026-01-31。")
        return redirect(_version_url(version))
    try:
        services.item_version_publish(
            actor=request.user, version=version, effective_on=form.cleaned_data["effective_on"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_version_url(version))
    messages.success(request, f"第{version.number}版已发布，公开的办事指南已更新。")
    return redirect(_version_url(version))


def _shown(value) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def shown_diff(diff: VersionDiff) -> dict:
    """A diff as the page prints it: values in words, row fields by their Chinese names."""
    children = {}
    for key, child in diff.children.items():
        labels = ROW_FORMS[key].base_fields
        children[key] = {
            "title": SECTION_TITLES[key],
            "empty": child.empty,
            "added": child.added,
            "removed": child.removed,
            "changed": [
                {
                    "name": row["name"],
                    "changes": [
                        (labels[f].label if f in labels else f, _shown(a), _shown(b))
                        for f, (a, b) in row["changes"].items()
                    ],
                }
                for row in child.changed
            ],
        }
    return {
        "empty": diff.empty,
        "old_number": diff.old_number,
        "new_number": diff.new_number,
        "fields": [
            {**f, "before": _shown(f["before"]), "after": _shown(f["after"])} for f in diff.fields
        ],
        "children": children,
    }


# --- history and diff ------------------------------------------------------------------------


def item_detail(request, implementation_code: str):
    """One code: every version, their reviews and what changed each time, and the audit
    trail (catalog.selectors.item_history)."""
    item = _item_or_404(request, implementation_code)
    history = item_history(viewer=request.user, implementation_item=item)
    entries = list(reversed(history["versions"]))
    working = next(
        (
            e.version
            for e in entries
            if e.version.status in (VersionStatus.DRAFT, VersionStatus.IN_REVIEW)
        ),
        None,
    )
    published = next(
        (e.version for e in entries if e.version.status == VersionStatus.PUBLISHED), None
    )
    return render(
        request,
        "workbench/catalog/item_detail.html",
        {
            "item": item,
            "entries": entries,
            "audit": history["audit"][-50:][::-1],
            "working": working,
            "published": published,
            "numbers": [e.version.number for e in history["versions"]],
        },
    )


def version_compare(request, implementation_code: str):
    """Field-by-field diff of two versions of one code (``old`` and ``new`` numbers)."""
    item = _item_or_404(request, implementation_code)
    versions = {
        v.number: v for v in admin_version_history(viewer=request.user, implementation_item=item)
    }
    if not versions:
        raise Http404("该事项没有版本")
    try:
        new_number = int(request.GET.get("new") or max(versions))
        old_raw = request.GET.get("old")
        old_number = int(old_raw) if old_raw else None
    except ValueError:
        raise Http404("版本号应为数字") from None
    if new_number not in versions or (old_number is not None and old_number not in versions):
        raise Http404("没有这个版本号")
    if old_number is None:
        earlier = [n for n in versions if n < new_number]
        old_number = max(earlier) if earlier else None
    old = versions.get(old_number) if old_number is not None else None
    diff = shown_diff(version_diff(viewer=request.user, old=old, new=versions[new_number]))
    return render(
        request,
        "workbench/catalog/diff.html",
        {
            "item": item,
            "old": old,
            "new": versions[new_number],
            "diff": diff,
            "numbers": sorted(versions),
        },
    )
