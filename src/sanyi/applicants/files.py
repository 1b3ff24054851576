"""Checking an uploaded authorisation document: the type is read from its first bytes,
never from its name, and the size is bounded by ``settings.SANYI_UPLOAD_MAX_BYTES``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from sanyi.core.files import sniff_kind

DOCUMENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


@dataclass(frozen=True)
class CheckedDocument:
    extension: str
    content_type: str
    size: int
    sha256: str


def check_authorisation_document(uploaded, *, field: str = "document") -> CheckedDocument:
    """A scanned or photographed authorisation: PDF, JPG or PNG, not empty, not too big."""
    if uploaded is None:
        raise ValidationError({field: "请上传授权委托书"})
    size = uploaded.size
    limit = settings.SANYI_UPLOAD_MAX_BYTES
    if not size:
        raise ValidationError({field: "文件是空的，请重新选择"})
    if size > limit:
        raise ValidationError({field: f"文件超过{limit // (1024 * 1024)}MB，请压缩后再上传"})
    kind = sniff_kind(uploaded)
    if kind not in DOCUMENT_TYPES:
        raise ValidationError({field: "授权委托书只接受 PDF、JPG 或 PNG 文件"})
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedDocument(kind, DOCUMENT_TYPES[kind], size, digest.hexdigest())
