"""The window's own corrections before acceptance: who is at the counter (the registered
name for an ID number on file), and voiding a walk-in opened by mistake (作废).

ADR 0008 holds here too: nothing typed at the counter changes who a person is. A name that
differs from the registered one is shown to the clerk and must be confirmed; the case is
then opened for the registered person, whose profile stays as it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.exceptions import ValidationError

from sanyi.applicants import selectors as applicant_selectors
from sanyi.applicants import services as applicant_services
from sanyi.applicants.models import Applicant
from sanyi.cases.choices import CaseChannel, CaseStatus, EventKind
from sanyi.cases.models import Case
from sanyi.cases.services._common import _CASE_RELATED, _audit, _day, _event, _require_staff
from sanyi.core.actors import Actor
from sanyi.core.ids import mask_name, parse_applicant_id
from sanyi.core.transitions import transition
from sanyi.orgs.models import Role

CANCEL_REASON_MAX = 500


@dataclasses.dataclass(frozen=True)
class CounterIdentity:
    """What the counter knows about an ID number: the profile on file (or None) and whether
    the name typed matches the registered one."""

    applicant: Applicant | None
    name_given: str
    name_matches: bool
    id_valid: bool = True

    @property
    def on_file(self) -> bool:
        return self.applicant is not None

    @property
    def registered_name(self) -> str:
        """The registered name as the counter shows it (a person's masked)."""
        return self.applicant.display_name if self.applicant else ""

    @property
    def mismatch_message(self) -> str:
        if not self.on_file or self.name_matches:
            return ""
        return (
            f"该证件号码已登记，登记的姓名或名称为“{self.registered_name}”，"
            f"与填写的“{self.name_given}”不一致。请核对申请人的身份证件：证件号码输错的，"
            "请改正；确认证件号码无误的，勾选“已核对证件，按登记信息受理”后再提交。"
            "登记信息不会因此被修改。"
        )


def _same_name(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        text = "".join((text or "").split())
        for dot in "•・．.":
            text = text.replace(dot, "·")
        return text.upper()

    return norm(a) == norm(b)


def counter_identity(*, id_number: str, name: str = "") -> CounterIdentity:
    """The profile on file for ``id_number`` (None when new or not a valid number) and
    whether ``name`` matches it. Reads only."""
    try:
        parse_applicant_id(id_number)
    except ValidationError:
        return CounterIdentity(applicant=None, name_given="", name_matches=True, id_valid=False)
    applicant = applicant_selectors.applicant_by_id_number(id_number)
    name = " ".join((name or "").split())[:100]
    matches = applicant is None or not name or _same_name(applicant.name, name)
    return CounterIdentity(applicant=applicant, name_given=name, name_matches=matches)


def require_counter_identity(*, id_number: str, name: str, confirmed: bool) -> CounterIdentity:
    """The server-side half of the counter's name check: a name that differs from the
    registered one for this ID number is refused unless the clerk confirmed it."""
    identity = counter_identity(id_number=id_number, name=name)
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
