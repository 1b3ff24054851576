"""Checking uploaded files: the type is read from the first bytes, never from the name or
the browser's claim, and the size is bounded by ``settings.SANYI_UPLOAD_MAX_BYTES``."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError


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
    uploaded.seek(0)
    head = uploaded.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        # docx and xlsx are both zip packages; the part names tell them apart.
        uploaded.seek(0)
        try:
            with zipfile.ZipFile(uploaded) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


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
