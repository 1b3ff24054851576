"""The applicant's consent to reuse what the platform holds (信息跑路), kept as a history.

Granting opens a :class:`~sanyi.applicants.models.ReuseConsent` row; withdrawing closes it;
granting again opens a new one. Online, the applicant acts for themself (the actor is their
label). At the counter a window clerk acts on the applicant's behalf while the applicant is
present; the clerk is the actor and the row says so. Every change is audited.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sanyi.applicants.models import Applicant, ConsentChannel, ConsentScope, ReuseConsent
from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor, actor_label, is_user
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths

COUNTER_ROLES = (Role.WINDOW_CLERK,)


def _check_actor(actor: Actor, via: str) -> None:
    if via == ConsentChannel.COUNTER:
        if not is_user(actor) or not scope_paths(actor, COUNTER_ROLES):
            raise PermissionDenied("只有窗口工作人员可以在申请人本人在场时代为办理复用授权")
    elif via == ConsentChannel.ONLINE:
        if is_user(actor):
            raise PermissionDenied("工作人员不能代申请人在网上办理复用授权，请在窗口办理")
    else:
        raise ValueError(f"unknown consent channel {via!r}")


def _lock(applicant: Applicant) -> ReuseConsent | None:
    """Lock the applicant (serialises consent changes) and return the open row."""
    Applicant.objects.select_for_update().filter(pk=applicant.pk).first()
    return ReuseConsent.objects.filter(applicant=applicant, withdrawn_at__isnull=True).first()


def reuse_consent_grant(
    *,
    applicant: Applicant,
    actor: Actor,
    via: str = ConsentChannel.ONLINE,
    scope: str = ConsentScope.ALL,
) -> ReuseConsent:
    """Grant consent (or change its scope: the open row is closed and a new one opened).
    Granting the same scope again changes nothing."""
    _check_actor(actor, via)
    if scope not in ConsentScope.values:
        raise ValueError(f"unknown consent scope {scope!r}")
    with transaction.atomic():
        current = _lock(applicant)
        if current is not None and current.scope == scope:
            return current
        now = timezone.now()
        if current is not None:
            _close(current, actor=actor, via=via, now=now)
        consent = ReuseConsent.objects.create(
            applicant=applicant,
            scope=scope,
            granted_at=now,
            granted_via=via,
            granted_by=actor_label(actor),
        )
        audit_record(
            actor=actor,
            action="applicant.reuse_consent_grant",
            obj=applicant,
            object_repr=applicant.audit_label,
            changes={"scope": [current.scope if current else None, scope], "via": [None, via]},
        )
    return consent


def _close(consent: ReuseConsent, *, actor: Actor, via: str, now: dt.datetime) -> None:
    consent.withdrawn_at = now
    consent.withdrawn_via = via
    consent.withdrawn_by = actor_label(actor)
    consent.save(update_fields=["withdrawn_at", "withdrawn_via", "withdrawn_by"])


def reuse_consent_withdraw(
    *, applicant: Applicant, actor: Actor, via: str = ConsentChannel.ONLINE
) -> ReuseConsent | None:
    """Withdraw the open consent; returns the closed row, or None when there was none.
    Later applications are no longer filled by themselves; submitted cases keep their
    attached materials."""
    _check_actor(actor, via)
    with transaction.atomic():
        current = _lock(applicant)
        if current is None:
            return None
        _close(current, actor=actor, via=via, now=timezone.now())
        audit_record(
            actor=actor,
            action="applicant.reuse_consent_withdraw",
            obj=applicant,
            object_repr=applicant.audit_label,
            changes={"scope": [current.scope, None], "via": [None, via]},
        )
    return current
