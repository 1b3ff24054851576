"""Public pages: the centres taking appointments, a centre's open slots and booking, the
resident's own bookings with moving and cancelling."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanyi.applicants.auth import applicant_login_required, current_applicant
from sanyi.appointments import selectors, services
from sanyi.appointments.web.forms import BookForm, DayForm, MoveForm
from sanyi.core.forms import apply_service_errors
from sanyi.core.ratelimit import rate_limited


def home(request):
    return render(
        request,
        "appointments/home.html",
        {
            "centers": selectors.centers_taking_bookings(),
            "applicant": current_applicant(request),
        },
    )


def _day(request) -> dt.date | None:
    form = DayForm(request.GET)
    return form.cleaned_data["day"] if form.is_valid() else None


@rate_limited("appointments_book", default="20/10")
def center(request, pk: int):
    """The open slots of a centre; a signed-in resident books one here (POST)."""
    center = selectors.center_get(pk)
    if center is None:
        raise Http404
    applicant = current_applicant(request)
    if request.method == "POST" and applicant is None:
        raise PermissionDenied("请先登录")
    day = _day(request)
    slots = list(selectors.open_slots(center=center, day=day))
    items = selectors.items_at(center)
    form = BookForm(request.POST or None, items=items, slots=slots)
    if request.method == "POST" and form.is_valid():
        item = {i.pk: i for i, _ in items}[form.cleaned_data["item"]]
        try:
            booking = services.booking_create(
                actor=applicant.audit_label,
                applicant=applicant,
                slot_id=form.cleaned_data["slot"],
                item=item,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, fields={"booking": "slot"})
        else:
            return redirect("appointments:booking", code=booking.code)
    days = sorted({timezone.localtime(s.starts_at).date() for s in slots})
    return render(
        request,
        "appointments/center.html",
        {"center": center, "form": form, "applicant": applicant, "day": day, "days": days},
        status=400 if form.errors else 200,
    )


@applicant_login_required
def mine(request):
    bookings = selectors.bookings_of(viewer=request.applicant)[:50]
    return render(request, "appointments/mine.html", {"bookings": bookings})


def _own(request, code: str):
    booking = selectors.booking_of(viewer=request.applicant, code=code)
    if booking is None:
        raise Http404
    return booking


@applicant_login_required
def booking(request, code: str):
    booking = _own(request, code)
    slots = []
    if booking.is_live:
        slots = [
            s for s in selectors.open_slots(center=booking.slot.center) if s.pk != booking.slot_id
        ][:40]
    return render(
        request,
        "appointments/booking.html",
        {"booking": booking, "move_form": MoveForm(slots=slots)},
    )


@require_POST
@applicant_login_required
@rate_limited("appointments_book", default="20/10")
def move(request, code: str):
    booking = _own(request, code)
    slots = [s for s in selectors.open_slots(center=booking.slot.center) if s.pk != booking.slot_id]
    form = MoveForm(request.POST, slots=slots[:40])
    if form.is_valid():
        try:
            services.booking_move(
                actor=request.applicant.audit_label,
                applicant=request.applicant,
                booking_id=booking.pk,
                slot_id=form.cleaned_data["slot"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, fields={"booking": "slot"})
        else:
            messages.success(request, "已改约，预约码不变。")
            return redirect("appointments:booking", code=booking.code)
    return render(
        request,
        "appointments/booking.html",
        {"booking": booking, "move_form": form},
        status=400,
    )


@require_POST
@applicant_login_required
def cancel(request, code: str):
    booking = _own(request, code)
    try:
        services.booking_cancel(
            actor=request.applicant.audit_label,
            applicant=request.applicant,
            booking_id=booking.pk,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "预约已取消。")
    return redirect("appointments:booking", code=booking.code)
