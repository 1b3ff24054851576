"""Policy interpretations (政策解读): text, a picture, or a video, as the model this
platform follows explains policies "以图文、视频等亲民方式".

An uploaded video comes with captions (WebVTT), a text transcript and a poster picture,
all checked by content (``openness.video``). It can be added only while the policy is a
draft, so the confidentiality check (保密审查) sees it with the document; a link to a
video elsewhere (``video_url``) stays possible at any state but revoked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from sanyi.core.actors import Actor
from sanyi.core.links import link_problem
from sanyi.core.pagecache import public_content_changed
from sanyi.openness.choices import InterpretationKind, PublicationStatus
from sanyi.openness.files import PICTURE_TYPES, check_upload
from sanyi.openness.models import Interpretation, Publication
from sanyi.openness.services._common import html_to_text, note_editor
from sanyi.openness.services._richtext import sanitize_html
from sanyi.openness.services.drafting import _transition
from sanyi.openness.video import check_captions, check_video

TRANSCRIPT_MAX_CHARS = 50_000
T = TypeVar("T")


NO_POSTER = "上传视频须同时上传封面图片（JPG 或 PNG）"


@dataclass
class VideoUpload:
    """An uploaded interpretation video and what must come with it."""

    video: UploadedFile
    captions: UploadedFile | None = None
    poster: UploadedFile | None = None
    transcript: str = ""


def _basic_errors(
    pub: Publication,
    kind: str,
    title: str,
    text: str,
    picture: UploadedFile | None,
    video_url: str,
    upload: VideoUpload | None,
) -> dict[str, str]:
    errors = {}
    if not title or len(title) > 200:
        errors["title"] = "解读标题不能为空，且不超过200个字"
    if kind not in InterpretationKind.values:
        errors["kind"] = "请选择解读形式（文字、图片或视频）"
    if kind == InterpretationKind.TEXT and not html_to_text(text):
        errors["text"] = "文字解读须填写解读内容"
    if kind == InterpretationKind.PICTURE and picture is None:
        errors["picture"] = "图片解读须上传图片"
    if kind == InterpretationKind.VIDEO and upload is None and not video_url.startswith("https://"):
        errors["video_url"] = "视频解读须上传视频（MP4 或 WebM），或填写以 https:// 开头的视频地址"
    elif problem := link_problem(video_url, absolute=True):
        # Any kind may carry a video link, and the public page renders it as a link.
        errors["video_url"] = f"视频地址{problem}"
    if pub.status == PublicationStatus.REVOKED:
        errors["policy"] = "已撤销的文件不能添加解读"
    return errors


def _upload_errors(pub: Publication, upload: VideoUpload) -> dict[str, str]:
    errors = {}
    if pub.status != PublicationStatus.DRAFT:
        errors["video"] = "上传的视频须随文件一起保密审查：只能在草稿状态上传，请先撤回或新起草"
    if upload.captions is None:
        errors["captions"] = "上传视频须同时上传字幕文件（WebVTT，.vtt）"
    if upload.poster is None:
        errors["poster"] = NO_POSTER
    transcript = (upload.transcript or "").strip()
    if not transcript:
        errors["transcript"] = "上传视频须填写视频文字稿，供听障人士和不便播放视频的读者阅读"
    elif len(transcript) > TRANSCRIPT_MAX_CHARS:
        errors["transcript"] = f"视频文字稿不能超过{TRANSCRIPT_MAX_CHARS}个字"
    return errors


def _checked(check: Callable[[], T], errors: dict) -> T | None:
    """The result of ``check()``, or None with its field messages added to ``errors``."""
    try:
        return check()
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return None


def _attach_video(item: Interpretation, upload: VideoUpload) -> dict:
    """Check the three files by content (all problems at once) and store them."""
    errors: dict[str, list[str]] = {}
    poster_file = upload.poster
    if poster_file is None:  # refused before, with the other missing parts
        raise ValidationError({"poster": NO_POSTER})
    checked = _checked(lambda: check_video(upload.video), errors)
    _checked(lambda: check_captions(upload.captions), errors)
    poster = _checked(
        lambda: check_upload(poster_file, allowed=PICTURE_TYPES, field="poster"), errors
    )
    if errors or checked is None or poster is None:
        raise ValidationError(errors)
    stem = checked.sha256[:16]
    item.video.save(f"{stem}.{checked.extension}", upload.video, save=False)
    item.captions.save(f"{stem}.vtt", upload.captions, save=False)
    item.poster.save(f"{stem}-poster.{poster.extension}", upload.poster, save=False)
    item.video_type, item.video_size = checked.content_type, checked.size
    item.transcript = upload.transcript.strip()
    return {"video": [None, checked.sha256], "video_size": [None, checked.size]}


def interpretation_create(
    *,
    actor: Actor,
    policy: Publication,
    kind: str,
    title: str,
    text: str = "",
    picture: UploadedFile | None = None,
    video_url: str = "",
    video: VideoUpload | None = None,
) -> Interpretation:
    """A plain-language interpretation of a policy; it shows when the policy is public."""
    with _transition(policy, actor=actor) as step:
        pub = step.obj
        title = " ".join((title or "").split())
        text = sanitize_html(text)
        video_url = (video_url or "").strip()
        errors = _basic_errors(pub, kind, title, text, picture, video_url, video)
        if video is not None:
            errors.update(_upload_errors(pub, video))
        if errors:
            raise ValidationError(errors)
        item = Interpretation(
            policy=pub, kind=kind, title=title, text=text, video_url=video_url or "",
            sort_order=pub.interpretations.count(),
        )  # fmt: skip
        changes = {"policy": [None, pub.pk], "kind": [None, kind], "title": [None, title]}
        if picture is not None:
            checked = check_upload(picture, allowed=PICTURE_TYPES, field="picture")
            item.picture.save(f"{checked.sha256[:16]}.{checked.extension}", picture, save=False)
        if video is not None:
            changes |= _attach_video(item, video)
        item.save()
        if pub.status == PublicationStatus.DRAFT:
            note_editor(actor, pub)
        step.audit("interpretation.create", obj=item, changes=changes)
        public_content_changed()  # shown on the policy's public page
    return item
