"""The eligibility rules of an item (catalog.eligibility) when a case starts: online, a
failed rule stops the application with its reason; at the window it is a warning the
clerk may override, and the override is audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sanyi.applicants.models import Applicant
from sanyi.cases.eligibility import applicant_eligibility
from sanyi.cases.models import Case
from sanyi.cases.services._common import _audit, _day
from sanyi.catalog.eligibility import Eligibility
from sanyi.catalog.models import ItemVersion
from sanyi.core.actors import Actor, actor_user
from sanyi.orgs.models import Role, User
from sanyi.orgs.permissions import roles_of

OVERRIDE_HINT = "如已核实申请人情况、确需受理，请勾选“已核实，仍然受理”"


def _reasons(result: Eligibility) -> str:
    return "；".join(result.reasons)


def case_eligibility_require(
    *, applicant: Applicant, version: ItemVersion, on: dt.date | None = None
) -> Eligibility:
    """Online: refuse to start an application a rule says the applicant cannot make."""
    result = applicant_eligibility(applicant, version, on=_day(on))
    if result.eligible is False:
        raise ValidationError({"eligibility": f"暂时不能申请这个事项：{_reasons(result)}"})
    return result


@transaction.atomic
def case_eligibility_confirm(
    *, case: Case, actor: Actor, override: bool, on: dt.date | None = None
) -> Eligibility:
    """At the window, before accepting: a failed rule stops the clerk unless they
    ``override`` it, which is recorded in the audit trail with the reasons shown."""
    result = applicant_eligibility(
        case.applicant, case.item_version, on=_day(on), exclude_case=case
    )
    if result.eligible is not False:
        return result
    if not override:
        raise ValidationError(
            {"eligibility_override": f"申请人不符合受理条件：{_reasons(result)}。{OVERRIDE_HINT}"}
        )
    clerk = actor_user(actor)
    if not isinstance(clerk, User) or not any(
        ra.role == Role.WINDOW_CLERK for ra in roles_of(clerk)
    ):
        raise PermissionDenied("只有窗口人员可以在核实后仍然受理")
    _audit(
        actor,
        "eligibility_override",
        case,
        {"eligibility": ["不符合", "仍然受理"]},
        note="；".join(result.reasons),
    )
    return result
