"""Publishing (now or at a set time, with its index number), revoking, and the validity
of published publications.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.audit.services import diff, snapshot
from sanyi.core.actors import Actor, actor_label
from sanyi.core.pagecache import public_content_changed
from sanyi.openness import indexing
from sanyi.openness.choices import (
    DisclosureAttribute,
    PublicationStatus,
)
from sanyi.openness.models import (
    IndexCounter,
    Publication,
    PublicationRevision,
)
from sanyi.openness.services.board import board_notify_published
from sanyi.openness.services.drafting import AUDIT_FIELDS, _clean_publication, _transition
from sanyi.orgs.models import OrgUnit


def _index_prefix(publisher: OrgUnit) -> str:
    """The publisher's USCC, or that of its nearest ancestor (communities carry none)."""
    if publisher.uscc:
        return publisher.uscc
    ancestors = OrgUnit.objects.filter(pk__in=publisher.ancestor_ids).exclude(uscc="")
    nearest = ancestors.order_by("-depth").values_list("uscc", flat=True).first()
    if not nearest:
        raise ValidationError(
            {"publisher": f"“{publisher.name}”及其上级单位都没有统一社会信用代码，无法生成索引号"}
        )
    return nearest


def allocate_index_number(publisher: OrgUnit, year: int) -> str:
    """The next ``prefix/yyyy-nnnnn``; must run inside the caller's transaction."""
    prefix = _index_prefix(publisher)
    counter, _ = IndexCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    counter.last += 1
    if counter.last > 99999:
        raise ValidationError({"index_number": f"{year}年的索引号已用完（最多99999个）"})
    counter.save(update_fields=["last"])
    return f"{prefix}/{year}-{counter.last:05d}"


def _revision(pub: Publication, actor: Actor) -> None:
    if pub.publish_at is None:
        raise ValueError("only a published or scheduled record is kept as a revision")
    number = pub.revisions.count() + 1
    content = snapshot(pub, AUDIT_FIELDS)
    content["attachments"] = [
        {"name": a.original_name, "sha256": a.sha256} for a in pub.attachments.all()
    ]
    PublicationRevision.objects.create(
        publication=pub,
        number=number,
        content=content,
        published_at=pub.publish_at,
        actor_label=actor_label(actor, username=True),
    )


def _enqueue_due_task(pub: Publication) -> None:
    from django_tasks import default_task_backend

    from sanyi.openness.tasks import publication_mark_due

    if default_task_backend.supports_defer:
        publication_mark_due.using(run_after=pub.publish_at).enqueue(pub.pk)


def publication_publish(
    *,
    actor: Actor,
    publication: Publication,
    at: dt.datetime | None = None,
    now: datetime | None = None,
) -> Publication:
    """Publish an approved proactive record now, or schedule it for ``at``.

    A scheduled record becomes public by itself when its time comes (the public selector
    compares ``publish_at`` with the clock); a task then marks it published for the trail.
    """
    now = now or timezone.now()
    with _transition(
        publication, actor=actor, allowed=[PublicationStatus.APPROVED], doing="发布"
    ) as step:
        pub = step.obj
        if pub.attribute != DisclosureAttribute.PROACTIVE:
            raise ValidationError(
                {"attribute": f"“{pub.get_attribute_display()}”的信息不能在网站上主动公开"}
            )
        if at is not None and timezone.is_naive(at):
            raise ValidationError({"publish_at": "定时发布时间须带时区"})
        scheduled = at is not None and at > now
        pub.publish_at = at if scheduled and at is not None else now
        pub.status = PublicationStatus.SCHEDULED if scheduled else PublicationStatus.PUBLISHED
        pub.index_number = pub.index_number or allocate_index_number(
            pub.publisher, timezone.localtime(pub.publish_at).year
        )
        pub.save(update_fields=["publish_at", "status", "index_number", "updated_at"])
        _revision(pub, actor)
        step.audit(
            "publication.schedule" if scheduled else "publication.publish",
            changes={
                "status": [PublicationStatus.APPROVED, pub.status],
                "publish_at": [None, pub.publish_at.isoformat()],
                "index_number": [None, pub.index_number],
            },
        )
        step.on_commit(lambda: indexing.index_publication(pub))
        board_notify_published(pub)
        public_content_changed()
        if scheduled:
            step.on_commit(lambda: _enqueue_due_task(pub))
    return pub


@transaction.atomic
def publication_publish_due(*, actor: str = "系统：定时发布", now: datetime | None = None) -> int:
    """Mark scheduled records whose time has come as published and make them public in
    search. Returns how many. Safe to run at any time, any number of times."""
    now = now or timezone.now()
    # Locked together first, so each step below finds its record still scheduled.
    due = list(
        Publication.objects.select_for_update(of=("self",))
        .filter(status=PublicationStatus.SCHEDULED, publish_at__lte=now)
        .values_list("pk", flat=True)
    )
    for pk in due:
        with _transition(
            Publication(pk=pk), actor=actor, allowed=[PublicationStatus.SCHEDULED]
        ) as step:
            pub = step.obj
            pub.status = PublicationStatus.PUBLISHED
            pub.save(update_fields=["status", "updated_at"])
            step.audit(
                "publication.publish_due",
                changes={"status": [PublicationStatus.SCHEDULED, PublicationStatus.PUBLISHED]},
            )
            step.on_commit(partial(indexing.index_publication, pub))
            board_notify_published(pub)
            public_content_changed()
    return len(due)


def publication_revoke(*, actor: Actor, publication: Publication, reason: str) -> Publication:
    """Withdraw a published or scheduled record from every public surface."""
    with _transition(
        publication,
        actor=actor,
        allowed=[PublicationStatus.PUBLISHED, PublicationStatus.SCHEDULED],
        doing="撤销",
    ) as step:
        pub = step.obj
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "请写明撤销原因"})
        before = pub.status
        pub.status = PublicationStatus.REVOKED
        pub.revoked_at = timezone.now()
        pub.revoke_reason = reason[:2000]
        pub.save(update_fields=["status", "revoked_at", "revoke_reason", "updated_at"])
        step.audit(
            "publication.revoke",
            changes={"status": [before, PublicationStatus.REVOKED]},
            note=reason,
        )
        step.on_commit(lambda: indexing.unindex_publication(pub.pk))
        public_content_changed()
    return pub


def publication_validity_set(
    *, actor: Actor, publication: Publication, validity: str, on: dt.date | None = None
) -> Publication:
    """Mark a published policy expired or abolished (or valid again), with the date."""
    with _transition(publication, actor=actor) as step:
        pub = step.obj
        before = snapshot(pub, ["validity", "validity_changed_on"])
        pub.validity, pub.validity_changed_on = validity, on
        _clean_publication(pub)
        changes = diff(before, snapshot(pub, ["validity", "validity_changed_on"]))
        if changes:
            pub.save(update_fields=["validity", "validity_changed_on", "updated_at"])
            if pub.status in (PublicationStatus.PUBLISHED, PublicationStatus.SCHEDULED):
                _revision(pub, actor)
            step.audit("publication.validity", changes=changes)
            public_content_changed()
        else:
            step.unchanged()
    return pub
