"""Reading appointments: open slots (public), a resident's own bookings, the counter's day
and the no-show figures (staff in scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.appointments.models import Booking, BookingStatus, Schedule, Slot
from sanyi.catalog.models import ImplementationItem, ItemVersion, VersionStatus
from sanyi.catalog.public import CenterIndex
from sanyi.orgs.models import Role, ServiceCenter, User
from sanyi.orgs.permissions import scope_q

COUNTER_ROLES = (Role.WINDOW_CLERK,)
FIGURE_ROLES = (Role.WINDOW_CLERK, Role.SUPERVISOR)


def centers_taking_bookings() -> QuerySet[ServiceCenter]:
    """Active centres with at least one active schedule."""
    return (
        ServiceCenter.objects.filter(is_active=True, appointment_schedules__is_active=True)
        .distinct()
        .order_by("name")
    )


def center_get(pk: int) -> ServiceCenter | None:
    return centers_taking_bookings().filter(pk=pk).select_related("org_unit").first()


def items_at(center: ServiceCenter) -> list[tuple[ImplementationItem, str]]:
    """The published catalogue items handled at the centre (nearest centre of the
    implementing unit), with their names. Two queries."""
    versions = (
        ItemVersion.objects.filter(
            status=VersionStatus.PUBLISHED,
            implementation_item__implementing_unit__path__startswith=center.org_unit.path,
        )
        .select_related("implementation_item__implementing_unit", "implementation_item__base_item")
        .order_by("implementation_item__base_item__name")
    )
    index = CenterIndex()
    out = []
    for v in versions:
        item = v.implementation_item
        if center.pk in {c.pk for c in index.centers_for(item.implementing_unit)}:
            out.append((item, item.base_item.name))
    return out


def open_slots(
    *,
    center: ServiceCenter,
    day: dt.date | None = None,
    now: dt.datetime | None = None,
    days: int = 14,
) -> QuerySet[Slot]:
    """The centre's slots still to come with a free place, on ``day`` or the next ``days``."""
    now = now or timezone.now()
    qs = Slot.objects.filter(
        center=center,
        starts_at__gt=now,
        schedule__is_active=True,
        booked__lt=F("capacity"),
        closed_at__isnull=True,
    ).select_related("schedule")
    if day is not None:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
    else:
        qs = qs.filter(starts_at__lt=now + dt.timedelta(days=days))
    return qs.order_by("starts_at", "schedule__name")


def bookings_of(*, viewer: Applicant | None) -> QuerySet[Booking]:
    """The resident's own bookings, newest slot first; nobody else's."""
    if viewer is None:
        return Booking.objects.none()
    return (
        Booking.objects.filter(applicant=viewer)
        .select_related("slot__center", "slot__schedule", "implementation_item")
        .order_by("-slot__starts_at", "-id")
    )


def booking_of(*, viewer: Applicant | None, code: str) -> Booking | None:
    return bookings_of(viewer=viewer).filter(code=code.upper()).first()


def counter_centers(*, viewer: User) -> QuerySet[ServiceCenter]:
    """The centres whose counter the clerk serves (their scope)."""
    return (
        ServiceCenter.objects.filter(scope_q(viewer, COUNTER_ROLES), is_active=True)
        .filter(appointment_schedules__isnull=False)
        .distinct()
        .order_by("name")
    )


def counter_bookings(*, viewer: User, center: ServiceCenter, day: dt.date) -> QuerySet[Booking]:
    """The day's bookings at a centre in the clerk's scope (none outside it)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return (
        Booking.objects.filter(
            scope_q(viewer, COUNTER_ROLES, "slot__center__org_unit__path"),
            slot__center=center,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + dt.timedelta(days=1),
        )
        .exclude(status=BookingStatus.CANCELLED)
        .select_related(
            "slot__schedule", "slot__center", "applicant", "checked_in_by", "implementation_item"
        )
        .order_by("slot__starts_at", "id")
    )


def counter_booking(*, viewer: User, pk: int) -> Booking | None:
    return (
        Booking.objects.filter(scope_q(viewer, COUNTER_ROLES, "slot__center__org_unit__path"))
        .select_related("slot__center")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class CenterFigures:
    center: ServiceCenter
    booked: int
    checked_in: int
    no_show: int
    cancelled: int


def no_show_figures(*, viewer: User) -> list[CenterFigures]:
    """Per centre in scope: bookings by outcome. One query for the counts."""
    centers = list(
        ServiceCenter.objects.filter(scope_q(viewer, FIGURE_ROLES), is_active=True).order_by("name")
    )
    rows = (
        Booking.objects.filter(slot__center__in=centers)
        .values("slot__center")
        .annotate(
            booked=Count("pk", filter=Q(status=BookingStatus.BOOKED)),
            checked_in=Count("pk", filter=Q(status=BookingStatus.CHECKED_IN)),
            no_show=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
            cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
        )
    )
    by_center = {r["slot__center"]: r for r in rows}
    out = []
    for c in centers:
        r = by_center.get(c.pk, {})
        out.append(
            CenterFigures(
                center=c,
                booked=r.get("booked", 0),
                checked_in=r.get("checked_in", 0),
                no_show=r.get("no_show", 0),
                cancelled=r.get("cancelled", 0),
            )
        )
    return out


def repeat_no_shows(*, viewer: User, since: dt.datetime, at_least: int = 2) -> QuerySet:
    """Residents with ``at_least`` no-shows since ``since`` at centres in scope (masked
    in the page), most first."""
    return (
        Booking.objects.filter(
            scope_q(viewer, FIGURE_ROLES, "slot__center__org_unit__path"),
            status=BookingStatus.NO_SHOW,
            slot__starts_at__gte=since,
            applicant__isnull=False,
        )
        .values("applicant", "applicant__name", "applicant__id_number")
        .annotate(count=Count("pk"))
        .filter(count__gte=at_least)
        .order_by("-count", "applicant")[:50]
    )


def no_shows_of(applicant: Applicant, *, since: dt.datetime) -> int:
    return Booking.objects.filter(
        applicant=applicant, status=BookingStatus.NO_SHOW, slot__starts_at__gte=since
    ).count()


def schedules_of(center: ServiceCenter) -> QuerySet[Schedule]:
    return Schedule.objects.filter(center=center, is_active=True).order_by("name")


SCHEDULE_ROLES = (Role.SYSTEM_ADMIN,)


def managed_centers(*, viewer: User) -> QuerySet[ServiceCenter]:
    """The active centres whose appointment hours the viewer sets (system administrators
    of the centre's unit or above)."""
    return ServiceCenter.objects.filter(scope_q(viewer, SCHEDULE_ROLES), is_active=True).order_by(
        "name"
    )


def managed_schedules(*, viewer: User) -> QuerySet[Schedule]:
    return (
        Schedule.objects.filter(scope_q(viewer, SCHEDULE_ROLES, "center__org_unit__path"))
        .select_related("center")
        .order_by("center__name", "name")
    )


def managed_schedule(*, viewer: User, pk: int) -> Schedule | None:
    return managed_schedules(viewer=viewer).filter(pk=pk).first()


def schedule_slots(
    *, viewer: User, schedule: Schedule, start: dt.date, days: int = 7
) -> list[Slot]:
    """The schedule's slots from ``start`` for ``days`` days, each with its live and
    checked-in bookings (``slot.listed``), for the people who run the centre. Two queries."""
    if managed_schedule(viewer=viewer, pk=schedule.pk) is None:
        return []
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    bookings = Prefetch(
        "bookings",
        queryset=Booking.objects.exclude(status=BookingStatus.CANCELLED)
        .select_related("applicant")
        .order_by("id"),
        to_attr="listed",
    )
    return list(
        Slot.objects.filter(
            schedule=schedule, starts_at__gte=first, starts_at__lt=first + dt.timedelta(days=days)
        )
        .prefetch_related(bookings)
        .order_by("starts_at")
    )
