"""Importing the catalogue from Excel or JSON: a dry run first, every problem listed with
its sheet, row and column, then the real import; large files run in the task worker and
the page follows them with a progress bar."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sanyi.catalog.exchange import template_xlsx
from sanyi.catalog.import_jobs import (
    ImportJob,
    import_job_confirm,
    import_job_get,
    import_job_start,
)
from sanyi.catalog.web.forms import ImportForm
from sanyi.catalog.web.staff.access import require_catalog_admin
from sanyi.core.responses import XLSX, file_response


def import_page(request):
    require_catalog_admin(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_job_start(
            actor=request.user,
            upload=form.cleaned_data["file"],
            dry_run=True,
            as_draft=form.cleaned_data["as_draft"],
        )
        return redirect("workbench:catalog_import_job", job_id=job.id)
    return render(request, "catalog/staff/import.html", {"form": form})


def import_template(request):
    require_catalog_admin(request)
    return file_response(template_xlsx(), "catalog-import-template.xlsx", XLSX, nosniff=False)


def _job_or_404(request, job_id: str) -> ImportJob:
    require_catalog_admin(request)
    job = import_job_get(viewer=request.user, job_id=job_id)
    if job is None:
        raise Http404("没有这次导入")
    return job


def import_job(request, job_id: str):
    job = _job_or_404(request, job_id)
    partial = request.headers.get("HX-Request") == "true"
    template = "catalog/staff/_import_job.html" if partial else "catalog/staff/import_job.html"
    return render(request, template, {"job": job})


@require_POST
def import_job_run(request, job_id: str):
    """Import for real the file whose dry run came back clean."""
    job = _job_or_404(request, job_id)
    if not (job.dry_run and job.status == "done"):
        messages.error(request, "只有试导入没有问题的文件才能正式导入。")
        return redirect("workbench:catalog_import_job", job_id=job.id)
    real = import_job_confirm(actor=request.user, job=job)
    return redirect("workbench:catalog_import_job", job_id=real.id)
