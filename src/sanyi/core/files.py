"""What an uploaded file really is: read from its first bytes, never from its name or the
browser's claim. Shared by every upload (guide files, disclosure attachments)."""

from __future__ import annotations

import zipfile
from pathlib import Path

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
