"""Revoking an e-licence goes through the shared transition helper (sanyi.core.transitions):
a revoked licence is refused before anything changes, and the audit row is written through
the helper's step."""

import pytest
from django.core.exceptions import ValidationError

from sanyi.audit.models import AuditEvent
from sanyi.audit.services import audit_record
from sanyi.core import transitions
from sanyi.licences import services
from sanyi.licences.tests import factories as f

pytestmark = pytest.mark.django_db


def test_revoking_goes_through_the_helper_and_a_second_revocation_is_refused(world, monkeypatch):
    seen: list[str] = []

    def writer(**kwargs):
        seen.append(kwargs["action"])
        return audit_record(**kwargs)

    monkeypatch.setattr(transitions, "_audit_writer", writer)
    licence = f.revoked(world)
    assert seen == ["licences.revoke"]
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.licence_revoke(licence=licence, reason="再次注销", actor=world["approver"])

    assert refused.value.message_dict == {"reason": ["该证照已注销"]}
    assert AuditEvent.objects.count() == before and seen == ["licences.revoke"]
    licence.refresh_from_db()
    assert licence.revoked_reason == "证照被依法撤销"
