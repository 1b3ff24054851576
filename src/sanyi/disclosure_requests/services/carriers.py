"""What a reply that grants the information carries (Art. 36 (二), Art. 40): files the
applicant downloads, documents already published on the portal, or paper delivery.

Files are checked by content (their first bytes, never the name or the browser's claim)
and bounded in size by ``settings.SANYI_UPLOAD_MAX_BYTES``; published documents are
stored as references to the portal's publications, never as free links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from sanyi.core.files import check_upload
from sanyi.disclosure_requests.choices import GRANT_OUTCOMES, PaperMethod
from sanyi.disclosure_requests.models import InfoRequest, ReplyFile, ReplyPublication
from sanyi.openness.models import Publication
from sanyi.openness.selectors.public import public_among

MAX_FILES = 10
FILE_TYPES = {"pdf", "docx", "xlsx", "jpg", "png"}
NO_CARRIER = "予以公开或部分公开的，请上传载有信息的文件、选择已公开的信息，或者登记纸质送达"


@dataclass
class Carriers:
    """What the officer gave with the reply, as checked."""

    files: Sequence[UploadedFile] = ()
    publications: Sequence[int] = ()
    paper_method: str = ""
    paper_on: dt.date | None = None
    paper_note: str = ""
    checked: list[tuple[UploadedFile, str, str]] = field(default_factory=list)
    found: list[Publication] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.files or self.publications or self.paper_method)


def carriers_check(carriers: Carriers, *, outcome: str) -> dict[str, list[str]]:
    """Every reason the carriers do not fit the outcome, by field (empty when they fit)."""
    errors: dict[str, list[str]] = {}
    if len(carriers.files) > MAX_FILES:
        errors.setdefault("files", []).append(f"一次最多上传{MAX_FILES}个文件")
    for n, upload in enumerate(carriers.files[:MAX_FILES], start=1):
        name = Path(upload.name or f"文件{n}").name
        try:
            checked = check_upload(
                upload, allowed=FILE_TYPES, field="files", label=f"第{n}个文件“{name}”"
            )
        except ValidationError as exc:
            errors.setdefault("files", []).extend(exc.messages)
        else:
            carriers.checked.append((upload, checked.content_type, checked.sha256))
    wanted = list(dict.fromkeys(int(pk) for pk in carriers.publications))
    by_pk = public_among(wanted)
    missing = [str(pk) for pk in wanted if pk not in by_pk]
    if missing:
        errors["publications"] = [f"所选的已公开信息（编号 {'、'.join(missing)}）不存在或未公开"]
    carriers.found = [by_pk[pk] for pk in wanted if pk in by_pk]
    if carriers.paper_method and carriers.paper_method not in PaperMethod.values:
        errors["paper_method"] = ["请选择纸质信息的送达方式"]
    elif carriers.paper_method and carriers.paper_on is None:
        errors["paper_on"] = ["请填写纸质信息送达（或约定领取）的日期"]
    elif carriers.paper_on and not carriers.paper_method:
        errors["paper_method"] = ["填写了纸质信息送达日期的，请选择送达方式"]
    if outcome in GRANT_OUTCOMES and carriers.empty:
        errors.setdefault("files", []).append(NO_CARRIER)
    elif outcome and outcome not in GRANT_OUTCOMES and not carriers.empty:
        errors.setdefault("files", []).append(
            "只有予以公开或部分公开的答复才附上信息；请改选办理结果或去掉所附信息"
        )
    return errors


def carriers_save(request: InfoRequest, carriers: Carriers) -> dict[str, Any]:
    """Keep the checked carriers with the request (the request itself is saved by the
    caller); what was kept, for the ledger and the audit row."""
    names = []
    for upload, content_type, sha in carriers.checked:
        name = Path(upload.name or "文件").name[:200]
        item = ReplyFile(
            request=request, name=name, content_type=content_type, size=upload.size or 0,
            sha256=sha,
        )  # fmt: skip
        item.file.save(
            f"{request.number}-{sha[:12]}{Path(name).suffix.lower()}", upload, save=False
        )
        item.save()
        names.append(name)
    ReplyPublication.objects.bulk_create(
        ReplyPublication(request=request, publication=p, title=p.title[:300])
        for p in carriers.found
    )
    request.paper_method = carriers.paper_method
    request.paper_on = carriers.paper_on
    request.paper_note = (carriers.paper_note or "").strip()[:200]
    return {
        "files": names,
        "publications": [p.pk for p in carriers.found],
        "paper": carriers.paper_method,
    }
