"""Reading applicants and their agent authorisations."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from sanyi.applicants.models import AgentAuthorisation, Applicant, ReuseConsent
from sanyi.orgs.areas import Area, area_from_address


def applicant_by_id_number(id_number: str) -> Applicant | None:
    from sanyi.core.ids import parse_applicant_id

    try:
        number = parse_applicant_id(id_number).number
    except Exception:
        return None
    return Applicant.objects.filter(id_number=number).first()


def authorisations_of(*, applicant: Applicant) -> QuerySet[AgentAuthorisation]:
    """Authorisations the applicant gave (as principal) or holds (as agent), newest first."""
    return (
        AgentAuthorisation.objects.filter(Q(principal=applicant) | Q(agent=applicant))
        .select_related("principal", "agent")
        .order_by("-valid_from", "-id")
    )


def authorisations_valid(
    *, agent: Applicant, principal: Applicant, on: dt.date | None = None
) -> QuerySet[AgentAuthorisation]:
    """The authorisations that let ``agent`` act for ``principal`` on the day ``on``:
    not revoked, started, and not yet ended."""
    on = on or timezone.localdate()
    return (
        AgentAuthorisation.objects.filter(
            agent=agent, principal=principal, revoked_at__isnull=True, valid_from__lte=on
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from", "-id")
    )


def applicant_area(*, applicant: Applicant) -> Area | None:
    """The subdistrict and community named in the applicant's address on file, or None.
    Only the applicant's own pages and the front door they see call this."""
    return area_from_address(applicant.address)


def reuse_consent_of(applicant: Applicant) -> ReuseConsent | None:
    """The applicant's open consent to reuse materials, or None (one query)."""
    return ReuseConsent.objects.filter(applicant=applicant, withdrawn_at__isnull=True).first()


def reuse_consent_history(applicant: Applicant) -> list[ReuseConsent]:
    """Every consent the applicant granted, newest first (the applicant's own; one query)."""
    return list(ReuseConsent.objects.filter(applicant=applicant).order_by("-granted_at", "-pk"))
