"""Checking uploaded files: the type is read from the first bytes, never from the name or
the browser's claim, and the size is bounded by ``settings.SANYI_UPLOAD_MAX_BYTES``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from sanyi.core.files import sniff_kind


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


ATTACHMENT_TYPES = {"pdf", "docx", "xlsx", "jpg", "png"}
PICTURE_TYPES = {"jpg", "png"}
_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}


def _sniff(uploaded) -> str | None:
    kind = sniff_kind(uploaded)
    return None if kind == "ole2" else kind


def check_upload(uploaded, *, allowed: set[str], field: str = "file") -> CheckedFile:
    """Type and size of an uploaded file, or a ValidationError naming ``field``."""
    size = uploaded.size
    limit = settings.SANYI_UPLOAD_MAX_BYTES
    if not size:
        raise ValidationError({field: "文件是空的，请重新选择"})
    if size > limit:
        raise ValidationError(
            {field: f"文件“{uploaded.name}”超过{limit // (1024 * 1024)}MB，请压缩后再上传"}
        )
    kind = _sniff(uploaded)
    if kind not in allowed:
        names = "、".join(sorted(k.upper() for k in allowed))
        raise ValidationError({field: f"文件“{uploaded.name}”不是允许的类型（只接受{names}）"})
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(_CONTENT_TYPES[kind], kind, size, digest.hexdigest())
