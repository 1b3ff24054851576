"""Staff pages for correcting the calendar by hand, under /workbench/calendar/: a year's
days with a link to correct each; correcting one day in two steps (a preview of the open
work whose due dates move, then the confirm); and correcting a notice's details."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sanyi.calendar import selectors
from sanyi.calendar.corrections import (
    calendar_day_correct,
    calendar_notice_correct,
    day_correction_preview,
)
from sanyi.calendar.web.correction_forms import DayCorrectionForm, NoticeDetailsForm
from sanyi.calendar.web.staff import _admin
from sanyi.core.forms import apply_service_errors


def year(request: HttpRequest, year: int) -> HttpResponseBase:
    _admin(request)
    notice = selectors.calendar_year_get(year)
    if notice is None:
        raise Http404("该年的节假日安排尚未载入")
    return render(
        request,
        "calendar/staff/year.html",
        {"notice": notice, "days": selectors.calendar_day_list(year=year)},
    )


@require_http_methods(["GET", "POST"])
def year_edit(request: HttpRequest, year: int) -> HttpResponseBase:
    """Correct the notice's title, number, date, source and notes (its days stay)."""
    user = _admin(request)
    notice = selectors.calendar_year_get(year)
    if notice is None:
        raise Http404("该年的节假日安排尚未载入")
    form = NoticeDetailsForm(request.POST or None, initial=NoticeDetailsForm.initial_from(notice))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            calendar_notice_correct(
                actor=user,
                year=year,
                notice_title=data["notice_title"],
                notice_number=data["notice_number"],
                published_on=data["published_on"],
                source=data["source"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已更正{year}年节假日安排的通知信息。")
            return redirect("workbench:calendar:year", year=year)
    return render(request, "calendar/staff/year_edit.html", {"form": form, "year": year})


def _correction(form: DayCorrectionForm) -> dict:
    data = form.cleaned_data
    return {
        "day": data["date"],
        "kind": data["kind"],
        "name": data["name"],
        "reason": data["reason"],
    }


@require_http_methods(["GET", "POST"])
def day(request: HttpRequest) -> HttpResponseBase:
    """Step one: the day, what it becomes and why; a valid correction is previewed."""
    user = _admin(request)
    if request.method == "POST":
        form = DayCorrectionForm(request.POST)
        if form.is_valid():
            try:
                preview = day_correction_preview(actor=user, **_correction(form))
            except ValidationError as exc:
                apply_service_errors(form, exc, fields={"day": "date"})
            else:
                return render(
                    request, "calendar/staff/day_preview.html", {"preview": preview, "form": form}
                )
    else:
        form = DayCorrectionForm(initial={"date": request.GET.get("date", "")})
    return render(request, "calendar/staff/day.html", {"form": form})


@require_POST
def day_confirm(request: HttpRequest) -> HttpResponseBase:
    """Step two: write the previewed correction (one transaction, audited); the apps then
    recompute their open work's due dates."""
    user = _admin(request)
    form = DayCorrectionForm(request.POST)
    if form.is_valid():
        try:
            correction = calendar_day_correct(actor=user, **_correction(form))
        except ValidationError as exc:
            apply_service_errors(form, exc, fields={"day": "date"})
        else:
            d = correction.day
            messages.success(
                request,
                f"已将{d.year}年{d.month}月{d.day}日更正为{correction.after}，"
                "在办办件和依申请公开的期限已重新计算。",
            )
            return redirect("workbench:calendar:year", year=correction.day.year)
    return render(request, "calendar/staff/day.html", {"form": form})
