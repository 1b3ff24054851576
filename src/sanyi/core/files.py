"""What an uploaded file really is: read from its first bytes, never from its name or the
browser's claim. Shared by every upload (guide files, disclosure attachments, reply files,
photos from the phone); ``check_upload`` adds the size bound and the file's SHA-256."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .xls and .wps
_SIGNATURES = {
    "pdf": b"%PDF-",
    "jpg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
    "ole2": _OLE2,
}
# docx and xlsx are zip packages; the part that names the document tells them apart.
_PACKAGE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
# The sniffed kind each file-name extension must have.
EXTENSION_KINDS = {
    ".pdf": "pdf",
    ".jpg": "jpg",
    ".jpeg": "jpg",
    ".png": "png",
    ".doc": "ole2",
    ".xls": "ole2",
    ".wps": "ole2",
    ".docx": "docx",
    ".xlsx": "xlsx",
}


def sniff_kind(upload: File) -> str | None:
    """ "pdf", "jpg", "png", "docx", "xlsx", "ole2" (doc/xls/wps), or None if unknown."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for kind, signature in _SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for kind, part in _PACKAGE_PARTS.items():
        if part in names:
            return kind
    return None


def content_matches_extension(upload: File) -> bool:
    """Whether the content is what the file name's extension claims (a file is later
    served under that extension's type, so a renamed program or page must not pass)."""
    expected = EXTENSION_KINDS.get(Path(upload.name or "").suffix.lower())
    return expected is not None and sniff_kind(upload) == expected


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
# How the kinds are named to people, in this order.
KIND_NAMES = {
    "pdf": "PDF",
    "docx": "Word（docx）",
    "xlsx": "Excel（xlsx）",
    "jpg": "JPG",
    "png": "PNG",
}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int
    sha256: str


def check_upload(
    upload: File,
    *,
    allowed: set[str],
    field: str = "file",
    label: str | None = None,
    limit: int | None = None,
) -> CheckedFile:
    """Type (one of ``allowed``, read from the content) and size (``limit`` bytes, by
    default ``SANYI_UPLOAD_MAX_BYTES``) of an uploaded file, or a ValidationError naming
    ``field``; ``label`` names the file in the message (default: 文件“name”)."""
    label = label or f"文件“{Path(upload.name or '').name}”"
    limit = limit or settings.SANYI_UPLOAD_MAX_BYTES
    if not upload.size:
        raise ValidationError({field: f"{label}是空的，请重新选择"})
    if upload.size > limit:
        raise ValidationError({field: f"{label}超过{limit // (1024 * 1024)}MB，请压缩后再上传"})
    kind = sniff_kind(upload)
    if kind not in allowed or kind not in CONTENT_TYPES:
        names = "、".join(name for k, name in KIND_NAMES.items() if k in allowed)
        raise ValidationError({field: f"{label}不是允许的类型（只接受{names}）"})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(CONTENT_TYPES[kind], kind, upload.size, digest.hexdigest())
