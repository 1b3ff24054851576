"""Event reports (事件上报): a grid officer reports a need or problem from the phone; the
grid's community accepts and handles it, routes it on, or turns it into a case or a
proactive offer to the resident. Every step is audited and kept in the event's history;
each unit the event reaches gets ``EVENT_DAYS_PER_LEVEL`` working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.audit.services import audit_record
from sanyi.calendar.selectors import add_workdays
from sanyi.cases.selectors import cases_visible_to
from sanyi.grid import selectors
from sanyi.grid.models import (
    EVENT_DAYS_PER_LEVEL,
    EventAction,
    EventCategory,
    EventPhoto,
    EventReport,
    EventStatus,
    EventStep,
)
from sanyi.grid.services.photos import photo_clean
from sanyi.orgs.models import OrgUnit, User

MAX_EVENT_PHOTOS = 3


def event_due(arrived_on: dt.date) -> dt.date:
    """The due date of a unit's turn: ``EVENT_DAYS_PER_LEVEL`` working days on."""
    return add_workdays(arrived_on, EVENT_DAYS_PER_LEVEL).date


@dataclass
class EventInput:
    grid: OrgUnit | None
    category: str
    title: str
    description: str
    place: str
    applicant: Applicant | None = None
    photos: list[File] | None = None


def _check_report(actor: User, data: EventInput) -> None:
    errors: dict[str, str] = {}
    grids = list(selectors.officer_grids(actor))
    if data.grid is None or data.grid.pk not in {g.pk for g in grids}:
        errors["grid"] = "请选择您所在的网格"
    if data.category not in EventCategory.values:
        errors["category"] = "请选择事件类别"
    if not data.title.strip():
        errors["title"] = "请填写标题"
    elif len(data.title.strip()) > 60:
        errors["title"] = "标题不能超过60字"
    if not data.description.strip():
        errors["description"] = "请填写情况描述"
    elif len(data.description) > 2000:
        errors["description"] = "情况描述不能超过2000字"
    if not data.place.strip():
        errors["place"] = "请填写地点"
    elif len(data.place.strip()) > 200:
        errors["place"] = "地点不能超过200字"
    if data.applicant is not None and data.applicant.grid_id not in {g.pk for g in grids}:
        errors["applicant"] = "涉及居民须是您所在网格的居民"
    if len(data.photos or []) > MAX_EVENT_PHOTOS:
        errors["photos"] = f"最多上传{MAX_EVENT_PHOTOS}张照片"
    if errors:
        raise ValidationError(errors)


def _step(
    event: EventReport,
    *,
    action: str,
    actor: User,
    now: dt.datetime,
    note: str = "",
    to_unit: OrgUnit | None = None,
) -> None:
    EventStep.objects.create(
        event=event, action=action, actor=actor, unit=event.unit, to_unit=to_unit, note=note, at=now
    )


def event_report(*, actor: User, data: EventInput, now: dt.datetime | None = None) -> EventReport:
    """File a grid officer's report; it goes to the grid's community with a fresh clock."""
    now = now or timezone.now()
    if not selectors.is_officer(actor):
        raise PermissionDenied("只有网格员可以上报事件")
    _check_report(actor, data)
    assert data.grid is not None
    community = data.grid.parent
    if community is None:
        raise ValidationError({"grid": "该网格没有所属社区，无法上报"})
    photos = [
        photo_clean(p, index=i, keep_location=False)
        for i, p in enumerate(data.photos or [], start=1)
    ]
    today = timezone.localtime(now).date()
    with transaction.atomic():
        event = EventReport.objects.create(
            grid=data.grid,
            unit=community,
            reporter=actor,
            category=data.category,
            title=data.title.strip(),
            description=data.description.strip(),
            place=data.place.strip(),
            applicant=data.applicant,
            arrived_on=today,
            due_on=event_due(today),
        )
        for content, digest in photos:
            photo = EventPhoto(event=event, sha256=digest)
            photo.image.save(content.name or "photo.jpg", content, save=True)
        _step(event, action=EventAction.REPORT, actor=actor, now=now, note=event.title)
        audit_record(
            actor=actor,
            action="grid.event_report",
            obj=event,
            note=f"{data.grid.name}上报“{event.title}”（{EventCategory(event.category).label}），"
            f"送{community.name}，照片{len(photos)}张",
        )
    return event


def _held(actor: User, event: EventReport) -> EventReport:
    """The event, locked, if the actor handles it at its current unit and it is open."""
    locked = EventReport.objects.select_for_update().select_related("unit", "grid").get(pk=event.pk)
    if not selectors.event_may_act(actor, locked):
        if not locked.is_open:
            raise ValidationError(
                {"action": f"该事件{EventStatus(locked.status).label}，不能再办理"}
            )
        raise PermissionDenied("该事件不在您所在单位办理")
    return locked


def _note(note: str, *, field: str, label: str, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({field: f"请填写{label}"})
    if len(note) > 2000:
        raise ValidationError({field: f"{label}不能超过2000字"})
    return note


@transaction.atomic
def event_accept(*, event: EventReport, actor: User, now: dt.datetime | None = None) -> EventReport:
    """The holding unit takes the event on (处理中); the clock keeps running."""
    now = now or timezone.now()
    event = _held(actor, event)
    if event.status == EventStatus.HANDLING:
        raise ValidationError({"action": "该事件已在处理中"})
    event.status = EventStatus.HANDLING
    event.save(update_fields=["status"])
    _step(event, action=EventAction.ACCEPT, actor=actor, now=now)
    audit_record(actor=actor, action="grid.event_accept", obj=event, note=f"{event.unit.name}受理")
    return event


@transaction.atomic
def event_route(
    *,
    event: EventReport,
    actor: User,
    to_unit: OrgUnit | None,
    note: str = "",
    now: dt.datetime | None = None,
) -> EventReport:
    """Route the event on (转派) to a unit above or a department/station; the receiving
    unit's clock starts on the day it arrives."""
    now = now or timezone.now()
    event = _held(actor, event)
    note = _note(note, field="note", label="转派说明", required=True)
    targets = {u.pk: u for u in selectors.event_route_targets(event)}
    if to_unit is None or to_unit.pk not in targets:
        raise ValidationError({"to_unit": "请选择转派的单位（上级街道、区或部门、站所）"})
    target = targets[to_unit.pk]
    _step(event, action=EventAction.ROUTE, actor=actor, now=now, note=note, to_unit=target)
    source = event.unit
    today = timezone.localtime(now).date()
    event.unit = target
    event.status = EventStatus.ROUTED
    event.arrived_on = today
    event.due_on = event_due(today)
    event.save(update_fields=["unit", "status", "arrived_on", "due_on"])
    audit_record(
        actor=actor,
        action="grid.event_route",
        obj=event,
        note=f"{source.name}转派{target.name}：{note[:200]}",
        changes={"unit": [source.name, target.name]},
    )
    return event


def _finish(
    event: EventReport, *, status: str, action: str, actor: User, now: dt.datetime, note: str
) -> None:
    event.status = status
    event.result = note
    event.closed_at = now
    event.save()
    _step(event, action=action, actor=actor, now=now, note=note)


@transaction.atomic
def event_close(
    *, event: EventReport, actor: User, result: str, now: dt.datetime | None = None
) -> EventReport:
    """Close the event (办结) with what was done."""
    now = now or timezone.now()
    event = _held(actor, event)
    result = _note(result, field="result", label="办理结果", required=True)
    _finish(
        event,
        status=EventStatus.CLOSED,
        action=EventAction.CLOSE,
        actor=actor,
        now=now,
        note=result,
    )
    audit_record(
        actor=actor,
        action="grid.event_close",
        obj=event,
        note=f"{event.unit.name}办结：{result[:200]}",
    )
    return event


@transaction.atomic
def event_to_case(
    *,
    event: EventReport,
    actor: User,
    case_number: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> EventReport:
    """Turn the event into a case: link an existing case by its number, or (no number yet)
    note how it became one."""
    now = now or timezone.now()
    event = _held(actor, event)
    note = _note(note, field="note", label="说明", required=not case_number.strip())
    case = None
    if case_number.strip():
        # Only a case the actor may see can be linked: a number from elsewhere would put
        # another unit's case on this event's page.
        case = cases_visible_to(actor).filter(number=case_number.strip()).first()
        if case is None:
            raise ValidationError(
                {"case_number": f"没有找到办件号为“{case_number.strip()[:30]}”的办件"}
            )
    text = f"已转为办件{case.number}" if case else "已转为办件"
    text = f"{text}。{note}" if note else text
    event.case = case
    _finish(
        event,
        status=EventStatus.TO_CASE,
        action=EventAction.TO_CASE,
        actor=actor,
        now=now,
        note=text,
    )
    audit_record(actor=actor, action="grid.event_to_case", obj=event, note=text[:300])
    return event


@transaction.atomic
def event_offer(
    *,
    event: EventReport,
    actor: User,
    item: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> EventReport:
    """Turn the event into a proactive offer (主动服务): record which service was offered
    and tell the resident concerned, if one is linked, through the inbox and SMS."""
    from sanyi.notify.services import notify_applicant

    now = now or timezone.now()
    event = _held(actor, event)
    item = _note(item, field="item", label="提供的服务事项", required=True)[:200]
    note = _note(note, field="note", label="说明", required=False)
    event.offer_item = item
    text = f"主动提供服务：{item}" + (f"。{note}" if note else "")
    _finish(
        event,
        status=EventStatus.TO_OFFER,
        action=EventAction.OFFER,
        actor=actor,
        now=now,
        note=text,
    )
    audit_record(actor=actor, action="grid.event_offer", obj=event, note=text[:300])
    if event.applicant is not None:
        notify_applicant(
            applicant=event.applicant,
            event="grid.event_offer",
            subject=f"{event.unit.name}为您提供服务：{item}",
            body=f"您好，{event.unit.name}了解到您的情况，可以为您办理“{item}”。"
            + (f"{note}。" if note else "")
            + "如需办理，请联系所在社区或网格员。",
            obj=event,
        )
    return event
