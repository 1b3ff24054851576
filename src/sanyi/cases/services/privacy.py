"""Reading an applicant's protected data on a case: allowed to the people handling it,
and every look recorded."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from sanyi.cases import selectors
from sanyi.cases.models import Case, CaseTask
from sanyi.cases.services._common import _audit
from sanyi.core.actors import Actor
from sanyi.orgs.models import User


@transaction.atomic
def case_applicant_id_reveal(
    *, case: Case, actor: Actor, tasks: list[CaseTask] | None = None
) -> str:
    """The applicant's full ID number, for the clerk or approver handling the case; the
    look is itself recorded (who, which case, when). ``tasks``: the case's tasks when the
    caller has them already."""
    # Only a staff member handling the case may look; a system actor never does.
    if not isinstance(actor, User) or not selectors.case_may_see_full_id(actor, case, tasks):
        raise PermissionDenied("只有正在办理本件的窗口人员或审批人员可以查看完整证件号码")
    _audit(
        actor,
        "applicant_id_viewed",
        case,
        note=f"查看申请人{case.applicant.masked_id}的完整证件号码",
    )
    return case.applicant.id_number
