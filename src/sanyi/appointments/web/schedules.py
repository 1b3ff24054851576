"""Staff pages for the people who run a service centre (system administrators in scope):
window groups' weekly patterns, publishing slots for a date range, closing and reopening a
slot or a day, and the bookings of each slot. Plain forms: they work without JavaScript."""

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
from sanyi.appointments.web.forms import CloseForm, PatternForm, PublishForm, ScheduleForm
from sanyi.core.forms import apply_service_errors
from sanyi.orgs.permissions import scope_paths


def _require(request) -> None:
    if not scope_paths(request.user, selectors.SCHEDULE_ROLES):
        raise PermissionDenied("只有服务中心的系统管理员可以设置预约时间")


def _schedule(request, pk: int):
    _require(request)
    schedule = selectors.managed_schedule(viewer=request.user, pk=pk)
    if schedule is None:
        raise Http404
    return schedule


def schedules(request):
    """The window groups of the centres in scope, and a form for a new one."""
    _require(request)
    centers = list(selectors.managed_centers(viewer=request.user))
    initial = {"weekdays": list("12345"), "slot_minutes": 30, "capacity": 3}
    form = ScheduleForm(request.POST or None, centers=centers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            schedule = services.schedule_create(
                actor=request.user,
                center={c.pk: c for c in centers}[data["center"]],
                name=data["name"],
                opens=data["opens"],
                closes=data["closes"],
                slot_minutes=data["slot_minutes"],
                capacity=data["capacity"],
                weekdays=data["weekdays"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已建立“{schedule.name}”，请发布时段。")
            return redirect("workbench:appointments:schedule", pk=schedule.pk)
    rows = [
        (s, services.weekdays_label(s.weekdays))
        for s in selectors.managed_schedules(viewer=request.user)
    ]
    return render(
        request,
        "appointments/staff/schedules.html",
        {"rows": rows, "form": form},
        status=400 if form.errors else 200,
    )


def _start(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        return timezone.localdate()


def _days(slots) -> list[dict]:
    """Slots grouped by day, with how many are closed and booked."""
    out: list[dict] = []
    for slot in slots:
        day = timezone.localtime(slot.starts_at).date()
        if not out or out[-1]["day"] != day:
            out.append({"day": day, "slots": [], "booked": 0, "open": 0})
        out[-1]["slots"].append(slot)
        out[-1]["booked"] += slot.booked
        out[-1]["open"] += 0 if slot.is_closed else 1
    return out


def schedule(request, pk: int, pattern_form=None, publish_form=None, status: int = 200):
    """One window group: its pattern, publishing, and a week of slots with bookings."""
    sched = _schedule(request, pk)
    start = _start(request)
    slots = selectors.schedule_slots(viewer=request.user, schedule=sched, start=start)
    today = timezone.localdate()
    pattern_form = pattern_form or PatternForm(
        initial={
            "weekdays": list(sched.weekdays),
            "opens": sched.opens,
            "closes": sched.closes,
            "slot_minutes": sched.slot_minutes,
            "capacity": sched.capacity,
        }
    )
    publish_form = publish_form or PublishForm(
        initial={"start": today, "end": today + dt.timedelta(days=27)}
    )
    return render(
        request,
        "appointments/staff/schedule.html",
        {
            "schedule": sched,
            "weekdays": services.weekdays_label(sched.weekdays),
            "pattern_form": pattern_form,
            "publish_form": publish_form,
            "days": _days(slots),
            "start": start,
            "prev": start - dt.timedelta(days=7),
            "next": start + dt.timedelta(days=7),
            "now": timezone.now(),
        },
        status=status,
    )


@require_POST
def schedule_update(request, pk: int):
    sched = _schedule(request, pk)
    form = PatternForm(request.POST)
    if form.is_valid():
        try:
            _, kept = services.schedule_update(
                actor=request.user, schedule_id=sched.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "已保存。新的时间和时长用于以后发布的时段。")
            if kept:
                messages.warning(
                    request,
                    f"有{len(kept)}个时段的已约人数多于新的可约人数，这些时段的可约人数"
                    "保留为已约人数，已预约的群众不受影响。",
                )
            return redirect("workbench:appointments:schedule", pk=sched.pk)
    return schedule(request, pk, pattern_form=form, status=400)


@require_POST
def publish(request, pk: int):
    sched = _schedule(request, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            added = services.slots_publish(
                actor=request.user, schedule_id=sched.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, fields={"schedule": "start"})
        else:
            messages.success(request, f"已发布{added}个新时段（节假日没有时段，已有的时段不变）。")
            url = reverse("workbench:appointments:schedule", args=[sched.pk])
            return redirect(f"{url}?start={form.cleaned_data['start']:%Y-%m-%d}")
    return schedule(request, pk, publish_form=form, status=400)


def _back(sched, day: dt.date | None):
    url = reverse("workbench:appointments:schedule", args=[sched.pk])
    return redirect(f"{url}?start={day:%Y-%m-%d}" if day else url)


@require_POST
def close(request, pk: int, slot_pk: int | None = None):
    """Close one slot (``slot_pk``) or the day posted; the booked residents are told."""
    sched = _schedule(request, pk)
    form = CloseForm(request.POST)
    day = None
    if form.is_valid():
        day = form.cleaned_data["day"]
        try:
            cancelled = services.slots_close(
                actor=request.user,
                reason=form.cleaned_data["reason"],
                slot_id=_own_slot(sched, slot_pk),
                schedule_id=sched.pk if slot_pk is None else None,
                day=day,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            told = f"，{cancelled}个预约已取消并已通知群众" if cancelled else ""
            messages.success(request, f"已关闭{told}。")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return _back(sched, day)


@require_POST
def reopen(request, pk: int, slot_pk: int | None = None):
    sched = _schedule(request, pk)
    form = CloseForm(request.POST)
    form.is_valid()
    day = form.cleaned_data.get("day")
    try:
        count = services.slots_reopen(
            actor=request.user,
            slot_id=_own_slot(sched, slot_pk),
            schedule_id=sched.pk if slot_pk is None else None,
            day=day,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已重新开放{count}个时段。")
    return _back(sched, day)


def _own_slot(sched, slot_pk: int | None) -> int | None:
    """The slot id when it belongs to the schedule (else 404); None for a whole day."""
    if slot_pk is None:
        return None
    if not sched.slots.filter(pk=slot_pk).exists():
        raise Http404
    return slot_pk
