"""Visits (跑动): each time the applicant comes to a window."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from sanyi.cases.choices import (
    CaseStatus,
    EventKind,
    VisitPurpose,
)
from sanyi.cases.models import (
    Case,
    Visit,
)
from sanyi.cases.services._common import (
    _audit_step,
    _event,
    _require_staff,
    _system_user,
    _transition,
)
from sanyi.core.actors import Actor, actor_user
from sanyi.orgs.models import Role, Window


def _visit(case: Case, purpose: str, actor: Actor, window: Window | None, at: dt.datetime) -> Visit:
    visit = Visit.objects.create(
        case=case,
        purpose=purpose,
        at=at,
        window=window,
        recorded_by=actor_user(actor) or _system_user(),
    )
    case.visits += 1
    return visit


def visit_record(
    *,
    case: Case,
    purpose: str,
    actor: Actor,
    window: Window | None = None,
    at: dt.datetime | None = None,
) -> Visit:
    """Record one in-person visit of the applicant or agent (跑动次数)."""
    if purpose not in VisitPurpose.values:
        raise ValidationError({"purpose": "请选择到现场的事由"})
    at = at or timezone.now()
    with _transition(case, actor, CaseStatus.values) as step:  # a visit in any status
        case = step.obj
        unit = window.center.org_unit if window is not None else case.current_unit
        _require_staff(actor, (Role.WINDOW_CLERK, Role.APPROVER), unit, "您不能为该办件登记到现场")
        visit = _visit(case, purpose, actor, window, at)
        _event(
            case,
            EventKind.VISIT,
            actor,
            timezone.localtime(at).date(),
            note=VisitPurpose(purpose).label,
            public=True,
        )
        case.save(update_fields=["visits", "updated_at"])
        _audit_step(step, "visit", {"purpose": purpose})
    return visit
