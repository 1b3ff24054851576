"""Every step of a publication's workflow goes through the shared transition helper
(sanyi.core.transitions): it locks, refuses a step from the wrong status before changing
anything, and writes the audit row through the helper's step."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.audit.services import audit_record
from sanyi.core import transitions
from sanyi.openness import services
from sanyi.openness.choices import PublicationStatus, Validity
from sanyi.openness.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def through_helper(monkeypatch):
    """The audit actions written through the helper's steps (and only those)."""
    seen: list[str] = []

    def writer(**kwargs):
        seen.append(kwargs["action"])
        return audit_record(**kwargs)

    monkeypatch.setattr(transitions, "_audit_writer", writer)
    return seen


def test_a_step_from_the_wrong_status_is_refused_by_the_helper_and_audits_nothing(
    org_tree, through_helper
):
    pub = f.published(
        org_tree["district"], writer=org_tree["writer"], reviewer=org_tree["reviewer"]
    )
    before = AuditEvent.objects.count()
    through_helper.clear()

    with pytest.raises(ValidationError) as refused:
        services.publication_submit(actor=org_tree["writer"], publication=pub)

    assert refused.value.message_dict == {"status": ["“已发布”状态的信息不能提交审查"]}
    assert AuditEvent.objects.count() == before and through_helper == []
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PUBLISHED


def test_every_step_of_the_workflow_is_audited_through_the_helper(org_tree, through_helper):
    writer, reviewer = org_tree["writer"], org_tree["reviewer"]
    pub = f.draft(org_tree["district"], actor=writer)
    services.publication_update(actor=writer, publication=pub, title="改过的标题")
    services.publication_update(actor=writer, publication=pub, title="改过的标题")  # the same
    services.publication_submit(actor=writer, publication=pub)
    services.publication_review(actor=reviewer, publication=pub, approve=True)
    services.publication_publish(
        actor=writer, publication=pub, at=timezone.now() + dt.timedelta(days=1)
    )
    services.publication_publish_due(now=timezone.now() + dt.timedelta(days=2))
    services.publication_validity_set(
        actor=writer, publication=pub, validity=Validity.EXPIRED, on=timezone.localdate()
    )
    services.interpretation_create(
        actor=writer, policy=pub, kind="text", title="图解", text="<p>说明</p>"
    )
    services.publication_revoke(actor=writer, publication=pub, reason="依法撤回")

    assert through_helper == [
        "publication.update",  # the second, unchanged edit writes no row
        "publication.submit",
        "publication.approve",
        "publication.schedule",
        "publication.publish_due",
        "publication.validity",
        "interpretation.create",
        "publication.revoke",
    ]
