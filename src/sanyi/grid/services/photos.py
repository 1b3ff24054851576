"""Photos and signatures from the phone: checked by content, size-limited, and re-encoded
so that no location (EXIF GPS) leaves the phone unless the officer keeps it."""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File

from sanyi.core.files import sniff_kind

if TYPE_CHECKING:
    from PIL import Image

MAX_PHOTOS = 4
PHOTO_MAX_BYTES = 8 * 1024 * 1024
SIGNATURE_MAX_BYTES = 512 * 1024
MAX_PIXELS = 40_000_000


def _open(data: bytes, what: str) -> Image.Image:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception:  # Pillow raises many kinds for a file that is not an image
        raise ValidationError({"photos": f"{what}无法读取，请重新拍摄"}) from None
    return image


def photo_clean(upload: File, *, index: int, keep_location: bool) -> tuple[ContentFile, str]:
    """The photo as a JPEG or PNG file to keep, and its SHA-256. EXIF is dropped (the
    picture is turned upright first) unless ``keep_location``, when it is kept as taken."""
    from PIL import ImageOps

    what = f"第{index}张照片"
    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photos": f"{what}超过{PHOTO_MAX_BYTES // 1024 // 1024}MB"})
    kind = sniff_kind(upload)
    if kind not in ("jpg", "png"):
        raise ValidationError({"photos": f"{what}不是JPG或PNG图片"})
    upload.seek(0)
    data = upload.read()
    if keep_location:
        _open(data, what)  # still must be a picture
        out = data
    else:
        image = ImageOps.exif_transpose(_open(data, what))
        buffer = io.BytesIO()
        if kind == "jpg":
            image.convert("RGB").save(buffer, "JPEG", quality=85)
        else:
            image.save(buffer, "PNG")
        out = buffer.getvalue()
    name = f"photo{index}.{'jpg' if kind == 'jpg' else 'png'}"
    return ContentFile(out, name=name), hashlib.sha256(out).hexdigest()


def signature_clean(data: bytes) -> ContentFile:
    """A signature drawn on the screen (a PNG from the canvas), re-encoded."""
    if len(data) > SIGNATURE_MAX_BYTES:
        raise ValidationError({"signature": "签名图片过大，请重新签名"})
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({"signature": "签名不是PNG图片，请重新签名"})
    image = _open(data, "签名")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="signature.png")
