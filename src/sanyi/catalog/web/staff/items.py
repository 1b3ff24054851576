"""Catalogue admin pages for reading and deciding: the list, the review queue, one
version (detail, four-eyes review, publication), an item's history and the version diff.

Access is checked in ``access`` (403 for non-admins, 404 outside the viewer's scope). Every
change goes through one service of ``catalog.services``, which checks the role, the status
and the four-eyes rule again.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sanyi.catalog import services
from sanyi.catalog.admin_selectors import (
    AdminItemFilters,
    admin_item_page,
    admin_units,
    admin_version_history,
    review_queue,
    version_findings,
)
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.guide import guide_of
from sanyi.catalog.lint import Severity
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.selectors import VersionDiff, item_history, version_diff
from sanyi.catalog.web.forms import (
    ROW_FORMS,
    SECTION_TITLES,
    ItemFilterForm,
    PublishForm,
    ReviewForm,
    path_label,
)
from sanyi.catalog.web.staff.access import (
    item_or_404,
    require_catalog_admin,
    version_or_404,
    version_url,
)
from sanyi.core.forms import apply_service_errors

PER_PAGE = 25


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
        "catalog/staff/item_list.html",
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
        "catalog/staff/review_list.html",
        {"versions": list(review_queue(viewer=request.user))},
    )


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
    guide = guide_of(version)
    return {
        "version": version,
        "item": version.implementation_item,
        "guide": guide,
        # Reviewers read each rule's expression as the exchange format writes it.
        "eligibility_rules": [
            {**rule, "logic_json": json.dumps(rule["logic"], ensure_ascii=False)}
            for rule in guide["eligibility_rules"]
        ],
        "findings": [
            {
                "code": f.code,
                "title": f.title,
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
    version = version_or_404(request, pk)
    context = _version_context(request, version)
    context["publish_form"] = PublishForm()
    return render(request, "catalog/staff/version_detail.html", context)


def version_handbook_pdf(request, pk: int):
    """The 操作指南 (staff handbook) of one version as PDF."""
    from sanyi.catalog.guide import versions_with_children
    from sanyi.catalog.pdf import handbook_pdf
    from sanyi.core.responses import file_response

    version = version_or_404(request, pk)
    loaded = versions_with_children(
        ItemVersion.objects.select_related("implementation_item__base_item")
    ).get(pk=version.pk)
    data = handbook_pdf(loaded, base_url=request.build_absolute_uri("/"))
    code = loaded.implementation_item.implementation_code
    return file_response(
        data,
        f"{code}-操作指南.pdf",
        "application/pdf",
        fallback=f"{code}-handbook.pdf",
        nosniff=False,
    )


def version_review(request, pk: int):
    """Four-eyes: a second catalogue admin approves or sends back a version in review."""
    version = version_or_404(request, pk)
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
            return redirect(version_url(version))
    context = _version_context(request, version)
    context["form"] = form
    return render(request, "catalog/staff/review.html", context, status=status)


@require_POST
def version_publish(request, pk: int):
    version = version_or_404(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "生效日期格式不对，请写成2026-01-31。")
        return redirect(version_url(version))
    try:
        services.item_version_publish(
            actor=request.user, version=version, effective_on=form.cleaned_data["effective_on"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(version_url(version))
    messages.success(request, f"第{version.number}版已发布，公开的办事指南已更新。")
    return redirect(version_url(version))


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
    item = item_or_404(request, implementation_code)
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
        "catalog/staff/item_detail.html",
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
    item = item_or_404(request, implementation_code)
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
        "catalog/staff/diff.html",
        {
            "item": item,
            "old": old,
            "new": versions[new_number],
            "diff": diff,
            "numbers": sorted(versions),
        },
    )
