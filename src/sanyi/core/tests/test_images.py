"""Phone pictures are decoded within a pixel bound and written out without metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from sanyi.core.images import open_picture, without_metadata


def _jpeg_with_gps(size=(40, 20)) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° to be upright
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_picture_is_turned_upright_and_loses_its_metadata():
    image = open_picture(_jpeg_with_gps(), field="photos", label="第1张照片")
    assert image.size == (20, 40)

    again = Image.open(io.BytesIO(without_metadata(image, fmt="JPEG", max_side=10)))
    assert max(again.size) == 10
    assert not again.getexif()


def test_what_is_not_a_picture_or_too_large_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as exc:
        open_picture(b"not a picture", field="photos", label="第2张照片")
    assert exc.value.message_dict == {"photos": ["第2张照片无法读取，请重新拍照"]}

    huge = io.BytesIO()
    Image.new("1", (8000, 8000)).save(huge, "PNG")
    with pytest.raises(ValidationError) as exc:
        open_picture(huge.getvalue(), field="picture", label="图片")
    assert "像素过多" in exc.value.message_dict["picture"][0]
