"""The kinds of file the disclosure pages accept; the check itself (type from the first
bytes, size bounded by ``SANYI_UPLOAD_MAX_BYTES``) is ``core.files.check_upload``."""

from __future__ import annotations

from sanyi.core.files import CheckedFile, check_upload

__all__ = ["ATTACHMENT_TYPES", "PICTURE_TYPES", "CheckedFile", "check_upload"]

ATTACHMENT_TYPES = {"pdf", "docx", "xlsx", "jpg", "png"}
PICTURE_TYPES = {"jpg", "png"}
