"""Staff pages under /workbench/calendar/: the loaded holiday notices and the change log,
and loading a new notice in two steps: a preview of the changed days and of the open work
whose due dates move, then the confirm, which loads it through ``calendar.services``."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sanyi.calendar import selectors
from sanyi.calendar.preview import notice_preview
from sanyi.calendar.services import calendar_year_load
from sanyi.calendar.web.forms import NoticeConfirmForm, NoticeForm
from sanyi.core.forms import apply_service_errors
from sanyi.orgs.models import User

RECENT_CHANGES = 20


def _admin(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not selectors.can_manage_calendar(user):
        raise PermissionDenied("只有系统管理员可以维护工作日历")
    return user


def years(request: HttpRequest) -> HttpResponseBase:
    _admin(request)
    return render(
        request,
        "calendar/staff/years.html",
        {
            "years": selectors.calendar_year_list(),
            "changes": selectors.calendar_change_list()[:RECENT_CHANGES],
            "missing": selectors.calendar_years_missing(),
        },
    )


@require_http_methods(["GET", "POST"])
def load(request: HttpRequest) -> HttpResponseBase:
    """Step one: the notice, uploaded or pasted; a valid one is shown as a preview."""
    user = _admin(request)
    form = NoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        preview = notice_preview(actor=user, notice=form.notice)
        confirm = NoticeConfirmForm(initial={"text": form.cleaned_data["text"]})
        return render(
            request, "calendar/staff/preview.html", {"preview": preview, "confirm": confirm}
        )
    return render(request, "calendar/staff/load.html", {"form": form})


@require_POST
def confirm(request: HttpRequest) -> HttpResponseBase:
    """Step two: load the previewed notice (one transaction, audited); the apps then
    recompute their open work's due dates."""
    user = _admin(request)
    form = NoticeConfirmForm(request.POST)
    # Shown again, with the text, when the notice no longer checks or the load fails.
    retry = NoticeForm({"notice_text": request.POST.get("text", "")})
    if form.is_valid():
        try:
            row = calendar_year_load(actor=user, data=form.notice)
        except ValidationError as exc:
            retry.is_valid()
            apply_service_errors(retry, exc)
        else:
            messages.success(
                request,
                f"已载入{row.year}年节假日安排（{row.notice_number}），"
                "在办办件和依申请公开的期限已按新安排重新计算。",
            )
            return redirect("workbench:calendar:years")
    else:
        retry.is_valid()
    return render(request, "calendar/staff/load.html", {"form": retry})
