"""A resident turns proactive offers off (all, or one rule's) and back on."""

from __future__ import annotations

from django.db import transaction

from sanyi.applicants.models import Applicant
from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor
from sanyi.proactive.models import ProactiveOptOut


@transaction.atomic
def proactive_opt_out(*, applicant: Applicant, actor: Actor, rule_code: str = "") -> bool:
    """No more offers to this resident (of ``rule_code`` only, when given). False when it
    was already off."""
    _, created = ProactiveOptOut.objects.get_or_create(applicant=applicant, rule_code=rule_code)
    if created:
        audit_record(
            actor=actor,
            action="proactive.opt_out",
            obj=applicant,
            object_repr=applicant.audit_label,
            changes={"rule_code": rule_code or "全部"},
        )
    return created


@transaction.atomic
def proactive_opt_in(*, applicant: Applicant, actor: Actor, rule_code: str = "") -> bool:
    """Offers again (of ``rule_code`` only, when given). False when nothing was off."""
    deleted, _ = ProactiveOptOut.objects.filter(applicant=applicant, rule_code=rule_code).delete()
    if deleted:
        audit_record(
            actor=actor,
            action="proactive.opt_in",
            obj=applicant,
            object_repr=applicant.audit_label,
            changes={"rule_code": rule_code or "全部"},
        )
    return bool(deleted)
