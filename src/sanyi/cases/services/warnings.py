"""The yellow and red warnings of running cases (the daily ``cases warnings`` job).

Set-based: the running cases' clock inputs are read in two queries, the light is worked out
once per distinct set of inputs (acceptance day, limits, extension, stops; cases accepted
the same day for the same item share it), and the changes are written in chunks with a few
bulk statements each: the lights, the ledger rows, the inbox and outbox rows. The query count
does not grow with the number of cases (only with the number of chunks of changed cases).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from sanyi.calendar.workdays import Stop
from sanyi.cases import clocks, links
from sanyi.cases.choices import CaseStatus, EventKind, TaskStatus, WarningLevel
from sanyi.cases.models import Case, CaseEvent, CaseTask, ClockStop
from sanyi.cases.services._common import (
    SYSTEM_TASKS,
    WARNING_ORDER,
    _date_text,
    _label,
    _moment,
)
from sanyi.core.links import PK_MARK, pk_filler
from sanyi.notify.services import StaffNotice, notify_staff_many, staff_recipients_many
from sanyi.orgs.models import OrgUnit, Role, User

# Changed cases written per transaction.
CHUNK = 2000
CASE_TYPE = Case._meta.label_lower  # what a message about a case names as its object


@dataclass(frozen=True)
class _Limits:
    statutory_limit_value: int | None
    statutory_limit_unit: str
    promised_limit_value: int | None
    promised_limit_unit: str


@dataclass(frozen=True)
class _Running:
    """What ``clocks.clock_of`` reads of a case in progress."""

    accepted_on: dt.date | None  # never None for a running case
    is_instant: bool
    extension_days: int
    item_version: _Limits
    concluded_on: dt.date | None = None
    status: str = CaseStatus.IN_PROGRESS


def _running() -> QuerySet[Case]:
    """The cases whose light the job sets: in progress, accepted, with a due date."""
    return Case.objects.filter(status=CaseStatus.IN_PROGRESS, accepted_on__isnull=False).exclude(
        promised_due_on__isnull=True, statutory_due_on__isnull=True
    )


def _stops(today: dt.date) -> dict[int, tuple[Stop, ...]]:
    """Every running case's stops, as ``clocks.case_stops`` gives them (one query)."""
    found: dict[int, list[Stop]] = defaultdict(list)
    rows = (
        ClockStop.objects.filter(case__in=_running())
        .order_by("case_id", "stopped_on", "id")
        .values_list("case_id", "stopped_on", "restarted_on")
    )
    for case_id, stopped_on, restarted_on in rows:
        found[case_id].append((stopped_on, restarted_on or max(today, stopped_on)))
    return {pk: tuple(stops) for pk, stops in found.items()}


def running_levels(today: dt.date) -> list[tuple[int, str, str]]:
    """(case id, light on record, light on ``today``) for every running case, in two
    queries; the light is the one ``clocks.clock_of`` gives the case."""
    stops = _stops(today)
    rows = (
        _running()
        .order_by("pk")
        .values_list(
            "pk",
            "warning_level",
            "accepted_on",
            "is_instant",
            "extension_days",
            "item_version__statutory_limit_value",
            "item_version__statutory_limit_unit",
            "item_version__promised_limit_value",
            "item_version__promised_limit_unit",
        )
    )
    known: dict[tuple, str] = {}
    levels = []
    for pk, stored, accepted_on, instant, extension, sv, su, pv, pu in rows.iterator(
        chunk_size=5000
    ):
        case_stops = stops.get(pk, ())
        key = (accepted_on, instant, extension, sv, su, pv, pu, case_stops)
        level = known.get(key)
        if level is None:
            inputs = _Running(accepted_on, instant, extension, _Limits(sv, su, pv, pu))
            level = clocks.clock_of(inputs, today=today, stops=case_stops).warning_level
            known[key] = level
        levels.append((pk, stored, level))
    return levels


def case_update_warnings(*, today: dt.date | None = None) -> dict[str, int]:
    """Set each running case's warning light; notify once per case and level.

    Yellow once SANYI_CASE_WARNING_SHARE (default 0.8) of the promised limit is used, red
    once the promised date has passed. A rising light writes a ledger row and tells the
    assignee (or the step's role holders) and the supervisors over the handling unit, each
    once per case and level; a falling one is only recorded on the case.
    """
    today = today or timezone.localdate()
    counts = {"yellow": 0, "red": 0, "changed": 0}
    changes = []
    for pk, stored, level in running_levels(today):
        if level == WarningLevel.YELLOW:
            counts["yellow"] += 1
        elif level == WarningLevel.RED:
            counts["red"] += 1
        if level != stored:
            changes.append((pk, stored, level))
    counts["changed"] = len(changes)
    for start in range(0, len(changes), CHUNK):
        with transaction.atomic():
            _apply(changes[start : start + CHUNK], today)
    return counts


def _apply(changes: Sequence[tuple[int, str, str]], today: dt.date) -> None:
    """Write one chunk of changed lights. The rows are locked and read again first: a case
    concluded meanwhile, or already moved by another run of the job, is left alone, so two
    runs never warn twice."""
    wanted = {pk: (old, new) for pk, old, new in changes}
    current = dict(
        Case.objects.select_for_update()
        .filter(pk__in=wanted, status=CaseStatus.IN_PROGRESS)
        .values_list("pk", "warning_level")
    )
    by_level: dict[str, list[int]] = defaultdict(list)
    rising: dict[int, str] = {}
    for pk, (old, new) in wanted.items():
        if current.get(pk) != old:
            continue
        by_level[new].append(pk)
        if WARNING_ORDER[new] > WARNING_ORDER[old]:
            rising[pk] = new
    now = timezone.now()
    for level, pks in by_level.items():
        Case.objects.filter(pk__in=pks).update(warning_level=level, updated_at=now)
    if rising:
        _warn(rising, today)


class _Rising(NamedTuple):
    pk: int
    number: str
    promised_due_on: dt.date | None
    statutory_due_on: dt.date | None
    current_unit_id: int
    item_name: str


_Tasks = dict[int, list[tuple[int | None, int, str]]]  # case → (assignee, unit, role)


def _warn(rising: dict[int, str], today: dt.date) -> None:
    """Rising lights: a ledger row per case, and a message to whoever holds its open steps
    and to the supervisors over the handling unit (once per case and level). Plain values
    are read, not model instances: a cold run may write a hundred thousand of them."""
    cases = [
        _Rising(*row)
        for row in Case.objects.filter(pk__in=rising)
        .order_by("pk")
        .values_list(
            "pk", "number", "promised_due_on", "statutory_due_on", "current_unit_id",
            "implementation_item__base_item__name",
        )
    ]  # fmt: skip
    tasks: _Tasks = defaultdict(list)
    for case_id, assignee, unit, role in (
        CaseTask.objects.filter(case_id__in=rising, status=TaskStatus.OPEN)
        .order_by("case_id", "started_at", "id")
        .values_list("case_id", "assignee_id", "unit_id", "role")
    ):
        tasks[case_id].append((assignee, unit, role))
    recipients = _recipients(cases, tasks)
    at, actor, link = _moment(today), _label(SYSTEM_TASKS), _staff_links()
    events, notices = [], []
    for case in cases:
        level = rising[case.pk]
        label = WarningLevel(level).label
        due = case.promised_due_on or case.statutory_due_on
        events.append(
            CaseEvent(
                case_id=case.pk, kind=EventKind.WARNING, at=at, on=today, actor_label=actor,
                unit_id=case.current_unit_id, note=f"{label}：承诺办结期限{_date_text(due)}",
                detail={"level": level}, public=False,
            )
        )  # fmt: skip
        notices.append(
            StaffNotice(
                event=f"case.{level}",
                subject=f"{label}：{case.number}",
                body=f"办件{case.number}（{case.item_name}）{label}，办结期限{_date_text(due)}。",
                users=recipients(case),
                link=link(case),
                object_type=CASE_TYPE,
                object_id=str(case.pk),
                dedupe_key=f"case:{case.pk}:{level}",
            )
        )
    CaseEvent.objects.bulk_create(events, batch_size=CHUNK)
    notify_staff_many(notices)


def _recipients(cases: list[_Rising], tasks: _Tasks) -> Callable[[_Rising], list[User]]:
    """Who hears of a case's light, in the order the former job told them: each open
    step's assignee, or the step's role holders, then the supervisors over the unit."""
    staff = User.objects.in_bulk(
        {assignee for ts in tasks.values() for assignee, _, _ in ts if assignee}
    )
    units = OrgUnit.objects.in_bulk(
        {c.current_unit_id for c in cases} | {t[1] for ts in tasks.values() for t in ts}
    )
    holders = staff_recipients_many(
        [(units[unit], (role,)) for ts in tasks.values() for a, unit, role in ts if a is None]
        + [(units[c.current_unit_id], (Role.SUPERVISOR,)) for c in cases]
    )

    def of(case: _Rising) -> list[User]:
        users: list[User] = []
        for assigned, unit, role in tasks[case.pk]:
            users += [staff[assigned]] if assigned else holders[(unit, frozenset((role,)))]
        return users + holders[(case.current_unit_id, frozenset((Role.SUPERVISOR,)))]

    return of


def _staff_links() -> Callable[[_Rising], str]:
    """``links.staff_case_link`` for many cases, reversing the URL once."""
    fill = pk_filler(links.staff_case_link(_Rising(PK_MARK, "", None, None, 0, "")))
    if fill is None:  # no staff page wired: the per-case fallback
        return links.staff_case_link
    return lambda case: fill(case.pk)
