"""Pictures taken on a phone (visit photos, notice-board pictures, signatures): decoded
within a pixel bound, turned upright, and written out again without their metadata, so no
place, time or camera of the phone leaves it unless someone chose to keep it.

The file's type and size are checked first with ``core.files.check_upload``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from PIL import Image

# A 40-megapixel phone photo is the largest expected; more is refused before decoding.
MAX_PIXELS = 40_000_000


def open_picture(data: bytes, *, field: str, label: str) -> Image.Image:
    """The decoded picture, turned upright by its EXIF orientation, or a ValidationError
    naming ``field`` (``label`` names the picture: 第1张照片, 图片, 签名)."""
    from PIL import Image, ImageOps

    unreadable = ValidationError({field: f"{label}无法读取，请重新拍照"})
    try:
        with Image.open(io.BytesIO(data)) as raw:
            width, height = raw.size
            if width * height > MAX_PIXELS:
                raise ValidationError({field: f"{label}像素过多，请调低拍照分辨率后重拍"})
            raw.load()
            return ImageOps.exif_transpose(raw)
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds for a file that is not a picture
        raise unreadable from None


def without_metadata(image: Image.Image, *, fmt: str, max_side: int | None = None) -> bytes:
    """The picture as JPEG or PNG bytes with no EXIF block, at most ``max_side`` pixels on
    its longer side when given."""
    if max_side is not None:
        image = image.copy()
        image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    else:
        image.save(out, "PNG")
    return out.getvalue()
