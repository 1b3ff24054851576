"""A publication from draft to review: creating and editing it, attachments,
interpretations, submitting and reviewing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor, actor_user, is_user
from sanyi.core.transitions import Step, transition
from sanyi.openness.choices import (
    DisclosureAttribute,
    DocumentKind,
    NonDisclosureGround,
    PublicationStatus,
    Topic,
    Validity,
)
from sanyi.openness.files import ATTACHMENT_TYPES, check_upload
from sanyi.openness.models import (
    Attachment,
    Publication,
)
from sanyi.openness.services._common import (
    _require_officer,
    html_to_text,
    note_editor,
)
from sanyi.openness.services._richtext import sanitize_html
from sanyi.openness.services.directory import _choice
from sanyi.orgs.models import OrgUnit

DRAFT_FIELDS = [
    "title", "body", "written_on", "formed_on", "document_number", "topic", "document_kind",
    "validity",
    "validity_changed_on", "keywords", "attribute", "non_disclosure_ground",
    "negative_entry", "directory_entry", "publisher_label",
]  # fmt: skip
AUDIT_FIELDS = [*DRAFT_FIELDS, "publisher", "status", "publish_at", "index_number"]


def _clean_publication(pub: Publication) -> None:
    errors: dict[str, str] = {}
    pub.title = " ".join((pub.title or "").split())
    if not pub.title:
        errors["title"] = "标题不能为空"
    elif len(pub.title) > 300:
        errors["title"] = "标题不能超过300个字"
    pub.body = sanitize_html(pub.body)
    pub.body_text = html_to_text(pub.body)
    pub.document_number = " ".join((pub.document_number or "").split())
    if len(pub.document_number) > 100:
        errors["document_number"] = "发文字号不能超过100个字"
    pub.keywords = " ".join((pub.keywords or "").replace("，", " ").replace(",", " ").split())
    if len(pub.keywords) > 200:
        errors["keywords"] = "关键词合计不能超过200个字"
    pub.publisher_label = " ".join((pub.publisher_label or "").split())[:200]
    _choice(errors, "topic", pub.topic, Topic, "主题分类")
    _choice(errors, "document_kind", pub.document_kind, DocumentKind, "文件类型")
    _choice(errors, "attribute", pub.attribute, DisclosureAttribute, "公开属性")
    _choice(errors, "validity", pub.validity, Validity, "有效性")
    if pub.validity == Validity.VALID:
        pub.validity_changed_on = None
    elif pub.validity_changed_on is None:
        errors["validity_changed_on"] = "失效或废止的信息须填写失效/废止日期"
    if pub.attribute == DisclosureAttribute.NOT_DISCLOSED:
        if pub.non_disclosure_ground not in NonDisclosureGround.values:
            errors["non_disclosure_ground"] = "不予公开的信息须选择法定依据"
    else:
        pub.non_disclosure_ground = ""
        pub.negative_entry = None
    if pub.written_on and pub.written_on > timezone.localdate() + dt.timedelta(days=366):
        errors["written_on"] = "成文日期不合理"
    if pub.directory_entry is not None and not pub.directory_entry.is_active:
        errors["directory_entry"] = "所选公开目录事项已停用"
    if not pub.publisher.is_active:
        errors["publisher"] = f"“{pub.publisher.name}”已撤销，不能发布信息"
    if errors:
        raise ValidationError(errors)


@contextmanager
def _transition(
    publication: Publication,
    *,
    actor: Actor,
    allowed: Collection[str] = PublicationStatus.values,
    doing: str = "",
    officer_first: bool = True,
    authorise: Callable[[Actor, OrgUnit], None] = _require_officer,
) -> Iterator[Step[Publication]]:
    """Lock the publication, check the disclosure officer (unless the step checks who acts
    itself, after the status), then its status; the body changes it and ``step.audit(...)``
    (sanyi.core.transitions)."""
    with transition(
        Publication,
        publication.pk,
        actor=actor,
        allowed=allowed,
        refusal=lambda p: f"“{p.get_status_display()}”状态的信息不能{doing}",
        related=("publisher", "directory_entry"),
        of=("self",),
        check=(lambda p: authorise(actor, p.publisher)) if officer_first else None,
    ) as step:
        yield step


@transaction.atomic
def publication_create(
    *, actor: Actor, publisher: OrgUnit, title: str, body: str = "", **fields: Any
) -> Publication:
    """A draft. ``body`` is rich text and is sanitised here."""
    _require_officer(actor, publisher)
    return _create(actor=actor, publisher=publisher, title=title, body=body, **fields)


def _create(
    *, actor: Actor, publisher: OrgUnit, title: str, body: str = "", **fields: Any
) -> Publication:
    """The draft itself, for callers that checked who acts (board posts: ``services.board``)."""
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    pub = Publication(
        publisher=publisher, title=title, body=body, created_by=actor_user(actor), **fields
    )
    _clean_publication(pub)
    pub.save()
    audit_record(
        actor=actor,
        action="publication.create",
        obj=pub,
        changes={
            k: [None, v] for k, v in snapshot(pub, AUDIT_FIELDS).items() if v not in ("", None)
        },
    )
    return pub


def publication_update(*, actor: Actor, publication: Publication, **fields: Any) -> Publication:
    """Change a draft (a returned record is a draft again)."""
    with _transition(
        publication, actor=actor, allowed=[PublicationStatus.DRAFT], doing="修改"
    ) as step:
        pub = step.obj
        unknown = set(fields) - set(DRAFT_FIELDS)
        if unknown:
            raise TypeError(f"unknown fields: {sorted(unknown)}")
        before = snapshot(pub, AUDIT_FIELDS)
        for name, value in fields.items():
            setattr(pub, name, value)
        _clean_publication(pub)
        changes = diff(before, snapshot(pub, AUDIT_FIELDS))
        if changes:
            pub.save()
            note_editor(actor, pub)
            step.audit("publication.update", changes=changes)
        else:
            step.unchanged()
    return pub


def publication_attachment_add(
    *, actor: Actor, publication: Publication, uploaded: UploadedFile
) -> Attachment:
    """Attach a PDF, Word, Excel, JPG or PNG file to a draft."""
    with _transition(
        publication, actor=actor, allowed=[PublicationStatus.DRAFT], doing="添加附件"
    ) as step:
        pub = step.obj
        checked = check_upload(uploaded, allowed=ATTACHMENT_TYPES, field="attachment")
        name = (uploaded.name or f"附件.{checked.extension}").rsplit("/", 1)[-1][:200]
        attachment = Attachment(
            publication=pub,
            original_name=name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            sort_order=pub.attachments.count(),
        )
        # Stored under a neutral name: the original name is kept for display only.
        attachment.file.save(f"{checked.sha256[:16]}.{checked.extension}", uploaded, save=False)
        attachment.save()
        note_editor(actor, pub)
        step.audit(
            "publication.attachment_add",
            changes={"attachment": [None, name], "sha256": [None, checked.sha256]},
        )
    return attachment


def publication_submit(
    *,
    actor: Actor,
    publication: Publication,
    authorise: Callable[[Actor, OrgUnit], None] = _require_officer,
) -> Publication:
    """Send a draft to the confidentiality check (保密审查). ``authorise`` is who may send
    it: disclosure officers, or for a notice board also the unit's posters (services.board)."""
    with _transition(
        publication,
        actor=actor,
        allowed=[PublicationStatus.DRAFT],
        doing="提交审查",
        authorise=authorise,
    ) as step:
        pub = step.obj
        pub.status = PublicationStatus.IN_REVIEW
        pub.submitted_by = actor_user(actor)
        pub.save(update_fields=["status", "submitted_by", "updated_at"])
        step.audit(
            "publication.submit",
            changes={"status": [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW]},
        )
    return pub


def publication_review(
    *,
    actor: Actor,
    publication: Publication,
    approve: bool,
    comment: str = "",
    now: datetime | None = None,
) -> Publication:
    """The confidentiality check by a second person: approve, or return to draft."""
    # Who may review is checked after the status, in the body.
    with _transition(
        publication,
        actor=actor,
        allowed=[PublicationStatus.IN_REVIEW],
        doing="审查",
        officer_first=False,
    ) as step:
        pub = step.obj
        if not is_user(actor):
            raise PermissionDenied("保密审查须由政务公开专员本人办理")
        _require_officer(actor, pub.publisher)
        if actor.pk in pub.author_ids():
            raise PermissionDenied("保密审查须由起草、修改、提交人以外的另一名政务公开专员办理")
        comment = (comment or "").strip()
        if not approve and not comment:
            raise ValidationError({"comment": "退回时请写明审查意见"})
        new_status = PublicationStatus.APPROVED if approve else PublicationStatus.DRAFT
        before = pub.status
        pub.status = new_status
        pub.reviewed_by = actor
        pub.reviewed_at = now or timezone.now()
        pub.review_comment = comment[:2000]
        pub.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "updated_at"]
        )
        step.audit(
            "publication.approve" if approve else "publication.return",
            changes={"status": [before, new_status]},
            note=comment,
        )
    return pub
