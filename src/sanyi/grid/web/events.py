"""Workbench pages of event reports (under /workbench/grid/events/): the list (我的上报 for
officers, 待处理 for the units holding events), the officer's report form, and one event
with its history and the holder's actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from sanyi.grid import selectors, services
from sanyi.grid.models import EventReport
from sanyi.grid.web.forms import EventActionForm, EventForm


def _viewer_may_use(request) -> tuple[bool, bool]:
    officer = selectors.is_officer(request.user)
    handler = selectors.is_event_handler(request.user)
    if not (officer or handler):
        raise PermissionDenied("只有网格员和社区、街道、部门的办理人员可以查看网格事件")
    return officer, handler


def _with_lights(events: list[EventReport]) -> list[tuple[EventReport, str]]:
    today = timezone.localdate()
    return [(e, selectors.event_light(e, today)) for e in events]


def event_list(request):
    """Officers: what they reported (我的上报). Handlers: the open events at their units."""
    officer, handler = _viewer_may_use(request)
    mine = _with_lights(list(selectors.my_reports(request.user)[:100])) if officer else []
    todo = (
        _with_lights(list(selectors.event_list(request.user, todo=True)[:200])) if handler else []
    )
    return render(
        request,
        "grid/events.html",
        {"officer": officer, "handler": handler, "mine": mine, "todo": todo},
    )


def event_new(request):
    """The officer's report form: grid, category, title, description, place, resident,
    photos from the camera."""
    if not selectors.is_officer(request.user):
        raise PermissionDenied("只有网格员可以上报事件")
    grids = selectors.officer_grids(request.user)
    form = EventForm(
        request.POST or None,
        request.FILES or None,
        grids=grids,
        applicants=selectors.grid_applicants(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_report(
                actor=request.user,
                data=services.EventInput(
                    grid=data["grid"],
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    place=data["place"],
                    applicant=data.get("applicant"),
                    photos=data.get("photos") or [],
                ),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"已上报，送{event.unit.name}处理。")
            return redirect("workbench:grid:event", pk=event.pk)
    return render(
        request,
        "grid/event_new.html",
        {"form": form, "max_photos": services.MAX_EVENT_PHOTOS},
        status=400 if form.errors else 200,
    )


def _act(request, event: EventReport, form: EventActionForm) -> EventReport:
    data, user = form.cleaned_data, request.user
    action = data["action"]
    if action == "accept":
        return services.event_accept(event=event, actor=user)
    if action == "route":
        return services.event_route(
            event=event, actor=user, to_unit=data.get("to_unit"), note=data.get("note", "")
        )
    if action == "close":
        return services.event_close(event=event, actor=user, result=data.get("result", ""))
    if action == "to_case":
        return services.event_to_case(
            event=event,
            actor=user,
            case_number=data.get("case_number", ""),
            note=data.get("note", ""),
        )
    return services.event_offer(
        event=event, actor=user, item=data.get("item", ""), note=data.get("note", "")
    )


DONE_WORDS = {
    "accept": "已受理",
    "route": "已转派",
    "close": "已办结",
    "to_case": "已转为办件",
    "offer": "已转为主动服务",
}


def event_detail(request, pk: int):
    """One event: what was reported, its clock, its history, and (for the holder) the
    actions."""
    _viewer_may_use(request)
    event = selectors.event_get(request.user, pk)
    if event is None:
        raise Http404
    may_act = selectors.event_may_act(request.user, event)
    targets = selectors.event_route_targets(event)
    form = EventActionForm(request.POST or None, targets=targets)
    errors: list[str] = []
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied("该事件不在您所在单位办理")
        if form.is_valid():
            try:
                _act(request, event, form)
            except ValidationError as exc:
                errors = [f"{m}" for m in exc.messages]
            else:
                messages.success(request, f"事件{DONE_WORDS[form.cleaned_data['action']]}。")
                return redirect("workbench:grid:event", pk=event.pk)
        else:
            errors = [e for errs in form.errors.values() for e in errs]
    return render(
        request,
        "grid/event.html",
        {
            "event": event,
            "light": selectors.event_light(event, timezone.localdate()),
            "steps": selectors.event_history(event),
            "photos": list(event.photos.all()),
            "may_act": may_act,
            "targets": list(targets) if may_act else [],
            "form": form,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def event_photo(request, pk: int, photo_pk: int):
    _viewer_may_use(request)
    event = selectors.event_get(request.user, pk)
    photo = event.photos.filter(pk=photo_pk).first() if event is not None else None
    if photo is None:
        raise Http404
    content_type = "image/png" if photo.image.name.endswith(".png") else "image/jpeg"
    return FileResponse(photo.image.open("rb"), content_type=content_type)
