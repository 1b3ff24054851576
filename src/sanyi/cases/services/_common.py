"""Steps every stage of a case shares: the lock and status check, the ledger row, the
audit row, notifications and due dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.calendar.selectors import add_workdays
from sanyi.cases import clocks, links
from sanyi.cases.choices import (
    WarningLevel,
)
from sanyi.cases.messages import applicant_subject
from sanyi.cases.models import (
    BundleMember,
    Case,
    CaseEvent,
)
from sanyi.catalog.choices import (
    ItemLevel,
    VersionStatus,
)
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.core.actors import Actor, actor_label, is_user
from sanyi.core.transitions import Step, business_day, transition
from sanyi.orgs.models import OrgKind, OrgUnit, Role
from sanyi.orgs.permissions import has_role

if TYPE_CHECKING:
    from sanyi.orgs.models import User

SYSTEM_TASKS = "系统：定时任务"
UPLOAD_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
# Which item level a center of each unit kind accepts (一窗受理的授权范围).
CENTER_LEVELS: dict[str, str] = {
    OrgKind.DISTRICT: ItemLevel.DISTRICT,
    OrgKind.SUBDISTRICT: ItemLevel.SUBDISTRICT,
    OrgKind.COMMUNITY: ItemLevel.COMMUNITY,
}
STAFF_ROLES = (Role.WINDOW_CLERK, Role.APPROVER)
WARNING_ORDER: dict[str, int] = {WarningLevel.NONE: 0, WarningLevel.YELLOW: 1, WarningLevel.RED: 2}


# --- helpers -----------------------------------------------------------------------------


def _label(actor: Actor) -> str:
    """The actor's name as the ledger stores it (at most 100 characters)."""
    return actor_label(actor)[:100]


def _day(on: dt.date | None, field: str = "on") -> dt.date:
    """The business day of an action: today by default, never in the future."""
    return business_day(on, field=field, invalid="业务日期应为日期", future="业务日期不能晚于今天")


def _moment(on: dt.date) -> dt.datetime:
    """The time stamp of an action on business day ``on`` (now, or that day at this hour)."""
    now = timezone.localtime()
    if on == now.date():
        return now
    return timezone.make_aware(dt.datetime.combine(on, now.time().replace(microsecond=0)))


def _require_staff(actor: Actor, roles: Iterable[str], unit: OrgUnit, message: str) -> None:
    """A staff actor must hold one of ``roles`` on ``unit`` (or above it). Labels pass."""
    if not is_user(actor):
        return
    if not has_role(actor, roles, unit):
        raise PermissionDenied(message)


def _require_applicant_or_system(actor: Actor, message: str) -> None:
    if is_user(actor):
        raise PermissionDenied(message)


_CASE_RELATED = (
    "applicant",
    "implementation_item__base_item",
    "implementation_item__implementing_unit",
    "implementation_item__delegated_from",
    "item_version",
    "unit",
    "current_unit",
)


def _transition(
    case: Case,
    actor: Actor,
    allowed: Iterable[str],
    doing: str = "",
    *,
    refusal: str | Callable[[Case], str] | None = None,
    check: Callable[[Case], None] | None = None,
    skip_if: Callable[[Case], bool] | None = None,
) -> AbstractContextManager[Step[Case]]:
    """Lock the case (and run ``check``), then require one of ``allowed`` (sanyi.core.
    transitions). Who may act is checked in the body, after the status, as the case pages
    have always shown it; the body changes the case, writes the ledger row and
    ``_audit_step``."""
    return transition(
        Case,
        case.pk,
        actor=actor,
        allowed=tuple(allowed),
        refusal=refusal
        or (lambda c: f"办件{c.number}当前为“{c.get_status_display()}”，不能{doing}"),
        related=_CASE_RELATED,
        of=("self",),
        check=check,
        skip_if=skip_if,
        known=case,
    )


def _event(
    case: Case,
    kind: str,
    actor: Actor,
    on: dt.date,
    *,
    note: str = "",
    detail: dict | None = None,
    public: bool = True,
    unit: OrgUnit | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        at=_moment(on),
        on=on,
        actor_label=_label(actor),
        unit=unit,
        note=note,
        detail=detail or {},
        public=public,
    )


def _audit(
    actor: Actor, action: str, case: Case, changes: dict | None = None, note: str = ""
) -> None:
    audit_record(actor=actor, action=f"cases.{action}", obj=case, changes=changes, note=note)


def _audit_step(step: Step[Case], action: str, changes: dict | None = None, note: str = "") -> None:
    """The audit row of a transition of the case."""
    step.audit(f"cases.{action}", changes=changes, note=note)


def _notify_applicant(
    case: Case, event: str, subject: str, body: str, dedupe_key: str = ""
) -> None:
    from sanyi.notify.services import notify_applicant

    notify_applicant(
        applicant=case.applicant,
        event=event,
        # The subject names the item and the case, whatever the caller wrote (messages.py).
        subject=applicant_subject(case, event, subject),
        body=_bundle_named(case) + body,
        link=links.applicant_case_link(case),
        obj=case,
        dedupe_key=dedupe_key,
    )


def _bundle_named(case: Case) -> str:
    """A message about a case applied for in a bundle names the bundle first."""
    member = BundleMember.objects.filter(case_id=case.pk).select_related("bundle__life_event")
    found = member.first()
    if found is None:
        return ""
    return f"【“{found.bundle.life_event.name}”一件事，申请编号{found.bundle.number}】"


def _notify_staff(
    case: Case,
    event: str,
    subject: str,
    body: str,
    *,
    users: Iterable[User] | None = None,
    unit: OrgUnit | None = None,
    roles: Iterable[str] = (),
    key: str = "",
) -> None:
    from sanyi.notify.services import notify_staff

    notify_staff(
        event=event,
        subject=subject,
        body=body,
        link=links.staff_case_link(case),
        obj=case,
        users=users,
        unit=unit,
        roles=roles,
        dedupe_key=key,
    )


def _item_name(case: Case) -> str:
    return case.implementation_item.base_item.name


def version_in_force(item: ImplementationItem) -> ItemVersion:
    version = (
        ItemVersion.objects.filter(implementation_item=item, status=VersionStatus.PUBLISHED)
        .select_related("implementation_item__base_item")
        .first()
    )
    if version is None:
        raise ValidationError({"item": "该事项目前没有正在实施的办事指南，暂时不能申请"})
    return version


def _set_dues(case: Case, *, today: dt.date | None = None) -> tuple[dict, dict]:
    """Recompute both due dates on ``case`` (not saved); returns (old, new) for the ledger."""
    old = {
        "statutory_due_on": case.statutory_due_on,
        "promised_due_on": case.promised_due_on,
        "due_provisional": case.due_provisional,
    }
    dues = clocks.compute_dues(case, today=today)
    case.statutory_due_on = dues.statutory.date if dues.statutory else None
    case.promised_due_on = dues.promised.date if dues.promised else None
    case.due_provisional = dues.provisional
    new = {
        "statutory_due_on": case.statutory_due_on,
        "promised_due_on": case.promised_due_on,
        "due_provisional": case.due_provisional,
    }
    return old, new


def _iso(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


def _date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def _task_due(case: Case, started_on: dt.date, days: int | None) -> dt.date | None:
    """A step's due date: its days from its start, never beyond the case's promised date."""
    overall = case.promised_due_on or case.statutory_due_on
    if not days:
        return overall
    due = add_workdays(started_on, days, stops=clocks.case_stops(case)).date
    return min(due, overall) if overall else due


def _system_user() -> User:
    """The staff account rows need when a system label acts (created_by is required)."""
    from sanyi.orgs.models import User

    user, _ = User.objects.get_or_create(
        username="system", defaults={"full_name": "系统", "is_active": False}
    )
    return user


def correction_days() -> int:
    """Working days an applicant has to supply what a correction notice asks for, unless
    the clerk sets another number (setting SANYI_CASE_CORRECTION_DAYS)."""
    return int(getattr(settings, "SANYI_CASE_CORRECTION_DAYS", 10))


def correction_due(on: dt.date, days: int | None = None) -> dt.date:
    """The date by which a correction notice given on ``on`` must be answered: ``days``
    (or the default) working days after it, counted like every other limit."""
    return add_workdays(on, days or correction_days()).date
