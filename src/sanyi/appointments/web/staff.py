"""Staff pages: the counter's bookings of the day with check-in, and the figures."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanyi.appointments import selectors, services
from sanyi.core.ids import mask_id, mask_name
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths


def _require(request, roles) -> None:
    if not scope_paths(request.user, roles):
        raise PermissionDenied("您没有查看预约的权限")


def counter(request):
    """Today's bookings at one of the clerk's centres (the first by default)."""
    _require(request, selectors.COUNTER_ROLES)
    centers = list(selectors.counter_centers(viewer=request.user))
    chosen = request.GET.get("center", "")
    center = next((c for c in centers if str(c.pk) == chosen), centers[0] if centers else None)
    today = timezone.localdate()
    bookings = (
        list(selectors.counter_bookings(viewer=request.user, center=center, day=today))
        if center
        else []
    )
    return render(
        request,
        "appointments/staff/counter.html",
        {"centers": centers, "center": center, "today": today, "bookings": bookings},
    )


@require_POST
def check_in(request, pk: int):
    _require(request, selectors.COUNTER_ROLES)
    booking = selectors.counter_booking(viewer=request.user, pk=pk)
    if booking is None:
        raise Http404
    try:
        services.booking_check_in(actor=request.user, booking_id=booking.pk)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"预约码{booking.code}已签到。")
    return redirect(f"{reverse('workbench:appointments:counter')}?center={booking.slot.center_id}")


def figures(request):
    roles = (Role.WINDOW_CLERK, Role.SUPERVISOR)
    _require(request, roles)
    since = timezone.now() - dt.timedelta(days=services.no_show_days())
    return render(
        request,
        "appointments/staff/figures.html",
        {
            "rows": selectors.no_show_figures(viewer=request.user),
            "repeaters": [
                {
                    "name": mask_name(r["applicant__name"]),
                    "id": mask_id(r["applicant__id_number"]),
                    "count": r["count"],
                }
                for r in selectors.repeat_no_shows(viewer=request.user, since=since)
            ],
            "days": services.no_show_days(),
            "limit": services.no_show_limit(),
        },
    )
