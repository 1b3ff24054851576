"""The visit log (走访台账): recording a routine visit to a household of the officer's grid,
the default date of the next visit, and the daily reminder of the households due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.audit.services import audit_record
from sanyi.cases.eligibility import age_on
from sanyi.core.actors import Actor
from sanyi.grid import selectors
from sanyi.grid.models import HouseholdVisit
from sanyi.orgs.models import User

# Households of residents this old are visited monthly; the others once a quarter.
ELDERLY_AGE = 80
ELDERLY_INTERVAL_DAYS = 30
INTERVAL_DAYS = 90
MAX_INTERVAL_DAYS = 366
NOTES_MAX = 2000
REMINDER_EVENT = "grid.visits_due"


def next_due_default(applicant: Applicant, visited_on: dt.date) -> dt.date:
    """The date of the next visit unless the officer picks another: a month on for a
    resident of 80 or over, three months for the others."""
    age = age_on(applicant.id_number, visited_on)
    days = ELDERLY_INTERVAL_DAYS if age is not None and age >= ELDERLY_AGE else INTERVAL_DAYS
    return visited_on + dt.timedelta(days=days)


@dataclass
class HouseholdVisitInput:
    visited_at: dt.datetime
    notes: str = ""
    follow_up: bool = False
    next_due_on: dt.date | None = None  # None: next_due_default


def _check(data: HouseholdVisitInput, now: dt.datetime) -> None:
    errors: dict[str, str] = {}
    if data.visited_at > now + dt.timedelta(minutes=5):
        errors["visited_at"] = "走访时间不能晚于现在"
    if len(data.notes) > NOTES_MAX:
        errors["notes"] = f"走访情况不能超过{NOTES_MAX}字"
    if data.next_due_on is not None:
        visited_on = timezone.localdate(data.visited_at)
        if data.next_due_on <= visited_on:
            errors["next_due_on"] = "下次走访日期须晚于本次走访日期"
        elif data.next_due_on > visited_on + dt.timedelta(days=MAX_INTERVAL_DAYS):
            errors["next_due_on"] = "下次走访日期不能晚于本次走访一年以后"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def household_visit_record(
    *,
    applicant: Applicant,
    actor: User,
    data: HouseholdVisitInput,
    now: dt.datetime | None = None,
) -> HouseholdVisit:
    """Record a visit to a household of one of the actor's grids."""
    now = now or timezone.now()
    found = selectors.household(actor, applicant.pk) if isinstance(actor, User) else None
    if found is None or found.grid is None:
        raise PermissionDenied("该住户不在您所在的网格")
    _check(data, now)
    visited_on = timezone.localdate(data.visited_at)
    visit = HouseholdVisit.objects.create(
        applicant=found,
        grid=found.grid,
        officer=actor,
        visited_at=data.visited_at,
        notes=data.notes.strip(),
        follow_up=data.follow_up,
        next_due_on=data.next_due_on or next_due_default(found, visited_on),
    )
    audit_record(
        actor=actor,
        action="grid.household_visit_record",
        obj=visit,
        note=f"{found.grid.name}走访住户{found.display_name}，"
        f"下次走访{visit.next_due_on:%Y-%m-%d}" + ("，需要跟进" if data.follow_up else ""),
    )
    return visit


def _reminder_body(rows: list[Applicant], today: dt.date) -> str:
    lines = []
    for row in rows[:30]:
        due = row.next_due_on  # type: ignore[attr-defined]
        when = f"已超期{(today - due).days}天" if due < today else f"{due:%m月%d日}到期"
        lines.append(f"{row.display_name}，{row.address}（{when}）")
    if len(rows) > 30:
        lines.append(f"另有{len(rows) - 30}户，请在“走访台账”查看")
    return "\n".join(lines)


@transaction.atomic
def visit_reminders_send(*, actor: Actor, today: dt.date | None = None) -> int:
    """Send each grid officer one message a day listing the households of their grids whose
    next visit is due within 7 days or overdue. Idempotent per day: a second run on the
    same day writes nothing. Returns how many messages were written."""
    from sanyi.notify.services import notify_staff

    today = today or timezone.localdate()
    due = selectors.households_due_by_grid(today)
    if not due:
        return 0
    # An officer of several grids gets the households of all of them in one message.
    officers: dict[int, User] = {}
    rows_of: dict[int, list[Applicant]] = {}
    for grid_id, users in selectors.officers_by_grid().items():
        for user in users:
            officers[user.pk] = user
            rows_of.setdefault(user.pk, []).extend(due.get(grid_id, []))
    link = reverse("workbench:grid:households") + "?due=due"
    written = 0
    for pk, rows in rows_of.items():
        if not rows:
            continue
        written += len(
            notify_staff(
                event=REMINDER_EVENT,
                subject=f"待走访：{len(rows)}户住户7天内到期或已超期",
                body=_reminder_body(rows, today),
                link=link,
                users=[officers[pk]],
                dedupe_key=f"{REMINDER_EVENT}:{today:%Y-%m-%d}",
            )
        )
    if written:
        audit_record(
            actor=actor,
            action="grid.visit_reminders_send",
            object_type="grid.householdvisit",
            note=f"{today:%Y-%m-%d}向{written}名网格员发送待走访提醒",
        )
    return written
