"""The window's own corrections before acceptance: who is at the counter (the registered
name for an ID number on file), and voiding a walk-in opened by mistake (作废).

ADR 0008 holds here too: nothing typed at the counter changes who a person is. A name that
differs from the registered one is shown to the clerk and must be confirmed; the case is
then opened for the registered person, whose profile stays as it is.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from sanyi.applicants import services as applicant_services
from sanyi.cases.choices import CaseChannel, CaseStatus, EventKind
from sanyi.cases.models import Case
from sanyi.cases.selectors import CounterIdentity, identity_of
from sanyi.cases.services._common import _CASE_RELATED, _audit, _day, _event, _require_staff
from sanyi.core.actors import Actor
from sanyi.core.ids import mask_name
from sanyi.core.transitions import transition
from sanyi.orgs.models import Role

CANCEL_REASON_MAX = 500


def require_counter_identity(*, id_number: str, name: str, confirmed: bool) -> CounterIdentity:
    """The server-side half of the counter's name check: a name that differs from the
    registered one for this ID number is refused unless the clerk confirmed it."""
    identity = identity_of(id_number=id_number, name=name)
    if not identity.name_matches and not confirmed:
        raise ValidationError({"name": identity.mismatch_message})
    return identity


def record_name_confirmed(case: Case, actor: Actor, identity: CounterIdentity) -> None:
    """The clerk opened the case for the registered person although another name was typed:
    the audit trail says so (the typed name masked, like every name in a log)."""
    _audit(
        actor,
        "counter_name_confirmed",
        case,
        {"name_given": mask_name(identity.name_given)},
        note="窗口填写的姓名与登记不一致，经核对证件按登记信息受理，登记信息未修改",
    )


def case_walk_in_cancel(
    *, case: Case, actor: Actor, reason: str, on: dt.date | None = None
) -> Case:
    """Void a walk-in opened by mistake (wrong person, wrong item) before any decision on
    acceptance: the case leaves every worklist, keeps its number and its ledger, and an
    authorisation recorded for it alone is revoked. Window clerks of the case's unit only."""
    on = _day(on)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明作废原因，例如“证件号码录错”"})
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError({"reason": f"作废原因不超过{CANCEL_REASON_MAX}个字"})

    def check(locked_case: Case) -> None:
        _require_staff(
            actor, (Role.WINDOW_CLERK,), locked_case.unit, "只有本单位的窗口人员可以作废现场受理"
        )

    with transition(
        Case,
        case.pk,
        actor=actor,
        allowed=(CaseStatus.AWAITING_ACCEPTANCE,),
        refusal=lambda c: f"办件{c.short_number}当前为“{c.get_status_display()}”，不能作废",
        related=_CASE_RELATED,
        of=("self",),
        check=check,
        field="case",
    ) as step:
        case = step.obj
        if case.channel == CaseChannel.ONLINE or case.accepted_at is not None:
            raise ValidationError(
                {"case": "只有尚未作出受理决定的窗口申请可以作废；网上申请请由申请人撤回"}
            )
        before = case.status
        case.status = CaseStatus.CANCELLED
        case.save(update_fields=["status", "updated_at"])
        _event(case, EventKind.CANCELLED, actor, on, note=f"作废原因：{reason}", public=False)
        step.audit("cases.walk_in_cancel", changes={"status": [before, case.status]}, note=reason)
        _revoke_own_authorisation(case, actor, reason)
    return case


def _revoke_own_authorisation(case: Case, actor: Actor, reason: str) -> None:
    """An authorisation the clerk recorded for this walk-in only must not outlive it."""
    auth = case.agent_authorisation
    if auth is None or auth.revoked_at is not None:
        return
    if auth.cases.exclude(pk=case.pk).exists():
        return
    applicant_services.agent_authorisation_revoke(
        authorisation=auth, actor=actor, reason=f"现场受理作废：{reason}"
    )
