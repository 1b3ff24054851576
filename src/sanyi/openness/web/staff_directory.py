"""Directory pages under /workbench/open/directory/: each level's standard disclosure
directory, the duplicate check (重复公开、多地公开), the negative list, and the Excel
export and import (upload → preview of problems or of what will change → confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanyi.core.forms import apply_service_errors
from sanyi.core.imports import (
    StagedUpload,
    imports_cleanup_stale,
    staged_upload_delete,
    staged_upload_get,
    staged_upload_save,
)
from sanyi.core.responses import file_response
from sanyi.openness import excel, selectors, services
from sanyi.openness.models import DirectoryEntry, NegativeListEntry
from sanyi.openness.web.forms import (
    DirectoryEntryForm,
    DirectoryExportForm,
    DirectoryFilterForm,
    DirectoryImportForm,
    NegativeEntryForm,
)
from sanyi.openness.web.staff import is_officer_of, require_openness_staff

PER_PAGE = 50
STAGING_KIND = "openness-directory"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _units(request, *, officer_only=False):
    return selectors.openness_units(viewer=request.user, officer_only=officer_only)


def _require_officer(request) -> None:
    require_openness_staff(request)
    if not selectors.is_disclosure_officer(request.user):
        raise PermissionDenied("只有政务公开专员可以维护公开目录")


# --- directory entries -----------------------------------------------------------------------


def entry_list(request):
    require_openness_staff(request)
    form = DirectoryFilterForm(request.GET or None, units=_units(request))
    filters = selectors.DirectoryFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.DirectoryFilters(
            unit=data["unit"],
            level=data["level"],
            area=data["area"],
            active={"yes": True, "no": False}.get(data["active"]),
            text=data["q"],
        )
    page = Paginator(
        selectors.directory_entry_list(viewer=request.user, filters=filters), PER_PAGE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "openness/staff/entry_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "is_officer": selectors.is_disclosure_officer(request.user),
        },
    )


def entry_create(request):
    _require_officer(request)
    form = DirectoryEntryForm(request.POST or None, units=_units(request, officer_only=True))
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.directory_entry_create(
                actor=request.user,
                org_unit=form.cleaned_data["org_unit"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已新增公开事项“{entry.item_l2}”。")
            return redirect("workbench:openness:entries")
    return render(
        request,
        "openness/staff/entry_form.html",
        {"form": form, "entry": None},
        status=400 if form.errors else 200,
    )


def _entry_or_404(request, pk: int) -> DirectoryEntry:
    require_openness_staff(request)
    try:
        return selectors.directory_entry_get(viewer=request.user, pk=pk)
    except DirectoryEntry.DoesNotExist:
        raise Http404("这个公开事项不存在或不在您的管辖范围内") from None


ENTRY_INITIAL = [
    "area", "level", "sequence", "item_l1", "item_l2", "content_elements", "basis",
    "time_limit_text", "time_limit_days", "time_limit_unit", "time_limit_trigger",
    "channels", "audience", "mode", "five_kind", "nature", "is_active",
]  # fmt: skip


def entry_edit(request, pk: int):
    entry = _entry_or_404(request, pk)
    if not is_officer_of(request.user, entry.org_unit):
        raise PermissionDenied("只有该公开主体的政务公开专员可以修改")
    form = DirectoryEntryForm(
        request.POST or None,
        entry=entry,
        initial={name: getattr(entry, name) for name in ENTRY_INITIAL},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.directory_entry_update(
                actor=request.user, entry=entry, **form.service_fields()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect("workbench:openness:entries")
    return render(
        request,
        "openness/staff/entry_form.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


def duplicates(request):
    require_openness_staff(request)
    return render(
        request,
        "openness/staff/duplicates.html",
        {"duplicates": selectors.directory_duplicates(viewer=request.user)},
    )


# --- negative list -------------------------------------------------------------------------


def negative_list(request):
    require_openness_staff(request)
    return render(
        request,
        "openness/staff/negative_list.html",
        {
            "items": list(selectors.negative_entry_list(viewer=request.user)),
            "is_officer": selectors.is_disclosure_officer(request.user),
        },
    )


def negative_create(request):
    _require_officer(request)
    form = NegativeEntryForm(request.POST or None, units=_units(request, officer_only=True))
    if request.method == "POST" and form.is_valid():
        try:
            services.negative_entry_create(
                actor=request.user,
                org_unit=form.cleaned_data["org_unit"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "已加入负面清单。")
            return redirect("workbench:openness:negative_list")
    return render(
        request,
        "openness/staff/negative_form.html",
        {"form": form, "item": None},
        status=400 if form.errors else 200,
    )


def negative_edit(request, pk: int):
    require_openness_staff(request)
    try:
        item = selectors.negative_entry_get(viewer=request.user, pk=pk)
    except NegativeListEntry.DoesNotExist:
        raise Http404("这个负面清单事项不存在或不在您的管辖范围内") from None
    if not is_officer_of(request.user, item.org_unit):
        raise PermissionDenied("只有该单位的政务公开专员可以修改")
    initial = {
        name: getattr(item, name)
        for name in ("area", "title", "description", "ground", "basis", "is_active")
    }
    form = NegativeEntryForm(request.POST or None, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.negative_entry_update(actor=request.user, item=item, **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "已保存修改。")
            return redirect("workbench:openness:negative_list")
    return render(
        request,
        "openness/staff/negative_form.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


# --- Excel export and import -------------------------------------------------------------------


def directory_export(request):
    require_openness_staff(request)
    form = DirectoryExportForm(request.GET or None, units=_units(request))
    if not form.is_valid():
        return render(request, "openness/staff/export.html", {"form": form})
    unit = form.cleaned_data["unit"]
    stamp = timezone.localdate().strftime("%Y%m%d")
    return file_response(
        excel.export_directory(unit),
        f"{unit.name}公开目录-{stamp}.xlsx",
        XLSX,
        fallback=f"directory-{unit.pk}-{stamp}.xlsx",
        nosniff=False,
    )


def _load_upload(request, token: str) -> tuple[StagedUpload, bytes]:
    """The stored upload of a preview, if the viewer made it (nobody sees another's file)."""
    staged = staged_upload_get(kind=STAGING_KIND, token=token, viewer=request.user)
    if staged is None:
        raise Http404("没有这次导入（可能已经导入或已过期）")
    return staged, staged.read()


def directory_import(request):
    _require_officer(request)
    form = DirectoryImportForm(
        request.POST or None, request.FILES or None, units=_units(request, officer_only=True)
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        unit, upload = form.cleaned_data["unit"], form.cleaned_data["file"]
        content = upload.read()
        try:
            excel.import_directory(actor=request.user, unit=unit, content=content, dry_run=True)
        except excel.DirectoryImportRejected as exc:
            errors = exc.errors
        else:
            # Uploads never confirmed or cancelled are dropped after a day.
            imports_cleanup_stale()
            staged = staged_upload_save(
                kind=STAGING_KIND,
                owner_id=request.user.pk,
                file_name=upload.name,
                content=content,
                meta={"unit": unit.pk},
            )
            return redirect("workbench:openness:directory_import_preview", token=staged.token)
    return render(
        request,
        "openness/staff/import.html",
        {"form": form, "errors": errors, "columns": excel.COLUMNS},
        status=400 if errors or form.errors else 200,
    )


def directory_import_preview(request, token: str):
    """What the checked file will change; POST imports it for real."""
    _require_officer(request)
    staged, content = _load_upload(request, token)
    unit = _units(request, officer_only=True).filter(pk=staged.meta["unit"]).first()
    if unit is None:
        raise Http404("没有这次导入")
    dry_run = request.method != "POST"
    try:
        summary = excel.import_directory(
            actor=request.user, unit=unit, content=content, dry_run=dry_run
        )
    except excel.DirectoryImportRejected as exc:
        # The data changed since the preview (someone else edited the directory).
        return render(
            request,
            "openness/staff/import.html",
            {
                "form": DirectoryImportForm(units=_units(request, officer_only=True)),
                "errors": exc.errors,
                "columns": excel.COLUMNS,
            },
            status=400,
        )
    if not dry_run:
        staged_upload_delete(staged=staged)
        messages.success(request, f"“{unit.name}”{summary}。")
        return redirect("workbench:openness:entries")
    return render(
        request,
        "openness/staff/import_preview.html",
        {"summary": summary, "unit": unit, "file_name": staged.file_name, "token": token},
    )


@require_POST
def directory_import_cancel(request, token: str):
    _require_officer(request)
    staged, _content = _load_upload(request, token)
    staged_upload_delete(staged=staged)
    messages.info(request, "已取消导入，没有写入任何数据。")
    return redirect("workbench:openness:directory_import")
