"""Reading e-licences: public verification, an applicant's wallet, staff lists in scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from sanyi.licences.models import ELicence, LicenceStatus
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths, scope_q

if TYPE_CHECKING:
    from sanyi.applicants.models import Applicant
    from sanyi.orgs.models import User

STAFF_ROLES = (Role.WINDOW_CLERK, Role.APPROVER, Role.SUPERVISOR)


def can_read_licences(viewer: User) -> bool:
    """Whether the user holds a role that reads issued licences anywhere."""
    return bool(scope_paths(viewer, STAFF_ROLES))


@dataclass(frozen=True)
class PublicLicence:
    """What the verification page shows: what the holder would show anyway."""

    name: str
    number: str
    holder: str
    holder_id: str
    issuing_unit: str
    issued_on: dt.date
    valid_from: dt.date
    valid_until: dt.date | None
    status: str
    status_label: str


def _public(licence: ELicence, today: dt.date) -> PublicLicence:
    status = licence.status_on(today)
    return PublicLicence(
        name=licence.name,
        number=licence.number,
        holder=licence.holder.display_name,
        holder_id=licence.holder.masked_id,
        issuing_unit=licence.issuing_unit.name,
        issued_on=licence.issued_on,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        status=status,
        status_label=LicenceStatus(status).label,
    )


def licence_verify(
    *, number: str = "", code: str = "", today: dt.date | None = None
) -> PublicLicence | None:
    """Look a licence up by its number or by the code in its QR; None when there is none."""
    number, code = (number or "").strip(), (code or "").strip()
    if not number and not code:
        return None
    qs = ELicence.objects.select_related("holder", "issuing_unit")
    licence = qs.filter(verification_code=code).first() if code else None
    if licence is None and number:
        licence = _by_number(qs, number)
    return _public(licence, today or timezone.localdate()) if licence else None


def _by_number(qs: QuerySet[ELicence], number: str) -> ELicence | None:
    """The licence whose number is ``number`` as typed, in upper case, or in any case.

    A number starts with the issuing unit's code, which is free text and may hold lower-case
    letters, so upper-casing the input alone misses those licences. The exact forms use the
    index; the case-insensitive one answers only when it names a single licence.
    """
    exact = {licence.number: licence for licence in qs.filter(number__in={number, number.upper()})}
    if number in exact or number.upper() in exact:
        return exact.get(number) or exact[number.upper()]
    matches = list(qs.filter(number__iexact=number)[:2])
    return matches[0] if len(matches) == 1 else None


def licence_verify_path(licence: ELicence) -> str:
    """The site-relative address the licence's QR code points to."""
    return reverse("licences:verify_code", args=[licence.verification_code])


def licences_of(applicant: Applicant, *, only_valid: bool = False) -> QuerySet[ELicence]:
    qs = ELicence.objects.filter(holder=applicant).select_related("issuing_unit")
    if only_valid:
        today = timezone.localdate()
        qs = qs.filter(status=LicenceStatus.VALID).exclude(valid_until__lt=today)
    return qs.order_by("-issued_on", "-id")


def licences_visible_to(viewer: User) -> QuerySet[ELicence]:
    return (
        ELicence.objects.filter(scope_q(viewer, STAFF_ROLES, "issuing_unit__path"))
        .select_related("holder", "issuing_unit", "case")
        .order_by("-issued_on", "-id")
    )
