"""Photos and signatures from the phone: checked by content, size-limited, and re-encoded
so that no location (EXIF GPS) leaves the phone unless the officer keeps it."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File

from sanyi.core.files import check_upload
from sanyi.core.images import open_picture, without_metadata

MAX_PHOTOS = 4
PHOTO_MAX_BYTES = 8 * 1024 * 1024
SIGNATURE_MAX_BYTES = 512 * 1024


def photo_clean(upload: File, *, index: int, keep_location: bool) -> tuple[ContentFile, str]:
    """The photo as a JPEG or PNG file to keep, and its SHA-256. EXIF is dropped (the
    picture is turned upright first) unless ``keep_location``, when it is kept as taken."""
    label = f"第{index}张照片"
    checked = check_upload(
        upload, allowed={"jpg", "png"}, field="photos", label=label, limit=PHOTO_MAX_BYTES
    )
    upload.seek(0)
    data = upload.read()
    image = open_picture(data, field="photos", label=label)  # must be a picture either way
    fmt = "JPEG" if checked.extension == "jpg" else "PNG"
    out = data if keep_location else without_metadata(image, fmt=fmt)
    name = f"photo{index}.{checked.extension}"
    return ContentFile(out, name=name), hashlib.sha256(out).hexdigest()


def signature_clean(data: bytes) -> ContentFile:
    """A signature drawn on the screen (a PNG from the canvas), re-encoded."""
    if len(data) > SIGNATURE_MAX_BYTES:
        raise ValidationError({"signature": "签名图片过大，请重新签名"})
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({"signature": "签名不是PNG图片，请重新签名"})
    image = open_picture(data, field="signature", label="签名")
    return ContentFile(without_metadata(image, fmt="PNG"), name="signature.png")
