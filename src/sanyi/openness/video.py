"""Interpretation videos: the video, its captions and its poster checked by content.

- Video: MP4 (an ISO base media file: ``ftyp`` box first, with a known brand) or WebM (an
  EBML header whose DocType is ``webm``), whatever the name says; at most
  ``settings.SANYI_VIDEO_MAX_BYTES``.
- Captions: WebVTT, UTF-8, starting with ``WEBVTT``, every cue with a valid timing line
  (start before end) and at least one cue; at most ``settings.SANYI_CAPTIONS_MAX_BYTES``.
- Poster: JPG or PNG, checked like every picture (``openness.files``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

_MP4_BRANDS = {
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V ",
    b"msnv", b"3gp4", b"3gp5", b"3g2a", b"mmp4",
}  # fmt: skip
_EBML = b"\x1a\x45\xdf\xa3"
_DOCTYPE_WEBM = b"\x42\x82\x84webm"
_TIMING = re.compile(
    r"^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})\s+-->\s+"
    r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})(?:\s+.*)?$"
)


@dataclass(frozen=True)
class CheckedVideo:
    content_type: str
    extension: str
    size: int
    sha256: str


def video_kind(head: bytes) -> str | None:
    """ "mp4", "webm" or None, from the first bytes of a file."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _MP4_BRANDS:
        return "mp4"
    if head.startswith(_EBML) and _DOCTYPE_WEBM in head[:64]:
        return "webm"
    return None


def _digest(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def check_video(uploaded, *, field: str = "video") -> CheckedVideo:
    limit = settings.SANYI_VIDEO_MAX_BYTES
    if not uploaded.size:
        raise ValidationError({field: "视频文件是空的，请重新选择"})
    if uploaded.size > limit:
        raise ValidationError(
            {field: f"视频“{uploaded.name}”超过{limit // (1024 * 1024)}MB，请压缩后再上传"}
        )
    uploaded.seek(0)
    kind = video_kind(uploaded.read(64))
    uploaded.seek(0)
    if kind is None:
        raise ValidationError(
            {field: f"文件“{uploaded.name}”不是 MP4 或 WebM 视频（按文件内容识别，与文件名无关）"}
        )
    return CheckedVideo(f"video/{kind}", kind, uploaded.size, _digest(uploaded))


def _seconds(groups: tuple) -> float:
    hours, minutes, seconds, millis = groups
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def check_captions(uploaded, *, field: str = "captions") -> str:
    """The captions' text if they are valid WebVTT; otherwise a ValidationError naming the
    line that is wrong."""
    if not uploaded.size or uploaded.size > settings.SANYI_CAPTIONS_MAX_BYTES:
        raise ValidationError({field: "字幕文件是空的或超过512KB"})
    uploaded.seek(0)
    raw = uploaded.read()
    uploaded.seek(0)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({field: "字幕文件须是 UTF-8 编码的 WebVTT 文件"}) from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise ValidationError({field: "字幕文件须以“WEBVTT”开头（WebVTT 格式）"})
    cues = 0
    for number, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        match = _TIMING.match(line.strip())
        if not match or _seconds(match.groups()[:4]) >= _seconds(match.groups()[4:]):
            raise ValidationError({field: f"字幕第{number}行的时间不正确：{line.strip()[:60]}"})
        cues += 1
    if not cues:
        raise ValidationError(
            {field: "字幕文件里没有任何字幕（缺少“00:00.000 --> 00:02.000”这样的时间行）"}
        )
    return text
