"""Writing e-licences: issue (from an approved case) and revoke."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor, is_user
from sanyi.core.transitions import transition
from sanyi.licences.models import ELicence, LicenceCounter, LicenceStatus
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role

if TYPE_CHECKING:
    from sanyi.applicants.models import Applicant


# Cases issue licences (cases imports this app), so a case is described here by what
# issuing reads, not imported.
class _ImplementingItem(Protocol):
    @property
    def implementing_unit(self) -> OrgUnit: ...


class IssuingCase(Protocol):
    """The case an e-licence is issued from (``cases.Case``)."""

    @property
    def pk(self) -> Any: ...
    @property
    def number(self) -> str: ...
    @property
    def applicant(self) -> Applicant: ...
    @property
    def implementation_item(self) -> _ImplementingItem: ...


def _next_number(unit: OrgUnit, year: int) -> str:
    """``<unit code or id>-<year>-<6-digit sequence>``, unique under concurrency."""
    for _ in range(3):
        counter = LicenceCounter.objects.select_for_update().filter(unit=unit, year=year).first()
        if counter is None:
            try:
                with transaction.atomic():
                    counter = LicenceCounter.objects.create(unit=unit, year=year, last=0)
            except IntegrityError:
                continue  # created by a parallel issue: lock it on the next round
            counter = LicenceCounter.objects.select_for_update().get(pk=counter.pk)
        counter.last += 1
        counter.save(update_fields=["last"])
        prefix = unit.code or f"U{unit.pk}"
        return f"{prefix}-{year}-{counter.last:06d}"
    raise RuntimeError("could not allocate a licence number")


def licence_issue(
    *,
    case: IssuingCase,
    name: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    details: dict[str, Any] | None = None,
    actor: Actor,
    issued_on: dt.date | None = None,
) -> ELicence:
    """Issue the e-licence an approved case produces; one licence per case."""
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写证照名称"
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = "有效期止不能早于有效期起"
    if errors:
        raise ValidationError(errors)
    issued_on = issued_on or timezone.localdate()
    issuing_unit = case.implementation_item.implementing_unit
    with transaction.atomic():
        if ELicence.objects.filter(case_id=case.pk).exists():
            raise ValidationError({"case": f"办件 {case.number} 已核发过电子证照"})
        licence = ELicence.objects.create(
            number=_next_number(issuing_unit, issued_on.year),
            verification_code=secrets.token_urlsafe(15),
            name=name[:200],
            holder=case.applicant,
            case_id=case.pk,
            issuing_unit=issuing_unit,
            issued_on=issued_on,
            valid_from=valid_from,
            valid_until=valid_until,
            details=details or {},
        )
        audit_record(
            actor=actor,
            action="licences.issue",
            obj=licence,
            changes={"case": case.number, "holder": case.applicant.masked_id},
        )
    return licence


def licence_revoke(*, licence: ELicence, reason: str, actor: Actor) -> ELicence:
    """Revoke a licence. Only an approver of the issuing unit (or a unit above it) may: the
    rule lives here, not only in the page, so every caller is held to it."""
    if not is_user(actor) or not has_role(actor, Role.APPROVER, licence.issuing_unit):
        raise PermissionDenied("只有发证单位的审批人员可以注销证照")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写注销原因"})
    with transition(
        ELicence,
        licence.pk,
        actor=actor,
        allowed=[s for s in LicenceStatus.values if s != LicenceStatus.REVOKED],
        refusal="该证照已注销",
        field="reason",
    ) as step:
        licence = step.obj
        licence.status = LicenceStatus.REVOKED
        licence.revoked_reason = reason[:300]
        licence.save(update_fields=["status", "revoked_reason"])
        step.audit(
            "licences.revoke",
            changes={"status": [LicenceStatus.VALID, LicenceStatus.REVOKED]},
            note=reason,
        )
    return licence
