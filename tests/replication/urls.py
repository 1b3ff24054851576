"""The site's own URLs plus three probes that show where a request's reads went."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone

from sanyi.core.models import JobRun
from sanyi.urls import urlpatterns as site_urlpatterns


def save_job(job: str) -> None:
    now = timezone.now()
    JobRun.objects.create(
        job=job, slot=now, started_at=now, lease_until=now + dt.timedelta(minutes=5)
    )


def _seen(job: str) -> dict[str, object]:
    rows = JobRun.objects.filter(job=job)
    return {"db": rows.db, "seen": rows.exists()}


def read(request: HttpRequest) -> JsonResponse:
    return JsonResponse(_seen(request.GET["job"]))


def write(request: HttpRequest):
    """POST: save, then send the browser to the read probe (a form and the page after
    it). GET: save and read back in the same request."""
    if request.method == "POST":
        save_job(request.POST["job"])
        return redirect(f"/probe/read/?job={request.POST['job']}")
    before = JobRun.objects.all().db
    save_job(request.GET["job"])
    return JsonResponse({"before": before, **_seen(request.GET["job"])})


def in_transaction(request: HttpRequest) -> JsonResponse:
    with transaction.atomic():
        return JsonResponse(_seen(request.GET["job"]))


urlpatterns = [
    path("probe/read/", read),
    path("probe/write/", write),
    path("probe/atomic/", in_transaction),
    *site_urlpatterns,
]
