"""Agent authorisations (代办人): who may apply on behalf of whom, on a written authorisation."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.applicants.files import check_authorisation_document
from sanyi.applicants.models import (
    AgentAuthorisation,
    Applicant,
)
from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


def agent_authorisation_create(
    *,
    principal: Applicant,
    agent: Applicant,
    document: UploadedFile,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    scope_note: str = "",
    actor: Actor,
) -> AgentAuthorisation:
    """Record a written authorisation for ``agent`` to apply on behalf of ``principal``.
    The document (PDF, JPG or PNG) is checked by its content and stored outside the web
    root under a random name."""
    errors = {}
    if principal.pk == agent.pk:
        errors["agent"] = "代办人不能是委托人本人"
    if not agent.is_person:
        errors["agent"] = "代办人须为自然人"
    if valid_until and valid_until < valid_from:
        errors["valid_until"] = "有效期止不能早于有效期起"
    if errors:
        raise ValidationError(errors)
    checked = check_authorisation_document(document, field="document")
    document.name = f"{uuid.uuid4().hex}.{checked.extension}"
    with transaction.atomic():
        auth = AgentAuthorisation(
            principal=principal,
            agent=agent,
            document=document,
            document_sha256=checked.sha256,
            scope_note=scope_note.strip()[:300],
            valid_from=valid_from,
            valid_until=valid_until,
        )
        auth.save()
        audit_record(
            actor=actor,
            action="applicant.agent_authorise",
            obj=auth,
            object_repr=f"{agent.audit_label} 代 {principal.audit_label}",
            changes={
                "principal": [None, principal.pk],
                "agent": [None, agent.pk],
                "valid_from": [None, valid_from.isoformat()],
                "valid_until": [None, valid_until.isoformat() if valid_until else None],
                "scope_note": [None, auth.scope_note],
                "document_sha256": [None, checked.sha256],
            },
        )
    return auth


@transaction.atomic
def agent_authorisation_revoke(
    *, authorisation: AgentAuthorisation, actor: Actor, reason: str = ""
) -> AgentAuthorisation:
    auth = AgentAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
    if auth.revoked_at is not None:
        raise ValidationError({"revoked_at": "该授权已经撤销"})
    auth.revoked_at = timezone.now()
    auth.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="applicant.agent_revoke",
        obj=auth,
        object_repr=f"{auth.agent.audit_label} 代 {auth.principal.audit_label}",
        changes={"revoked_at": [None, auth.revoked_at.isoformat()]},
        note=reason,
    )
    return auth
