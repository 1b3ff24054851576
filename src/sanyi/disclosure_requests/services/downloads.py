"""Downloads of the files a reply carries: each one leaves an audit row (who took which
file of which request), whether the applicant or a member of staff downloaded it."""

from __future__ import annotations

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor
from sanyi.disclosure_requests.models import ReplyFile


def request_file_download(*, actor: Actor, item: ReplyFile) -> ReplyFile:
    """Record that ``actor`` downloads ``item``; the caller has checked who may."""
    audit_record(
        actor=actor,
        action="disclosure_request.file_download",
        obj=item.request,
        changes={"file": item.pk, "name": item.name, "sha256": item.sha256},
    )
    return item
