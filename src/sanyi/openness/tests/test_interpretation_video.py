"""Video interpretations: checked by content (video, captions, poster), reviewed with the
draft, served with range requests, shown with captions and a transcript."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sanyi.audit.models import AuditEvent
from sanyi.openness import services
from sanyi.openness.tests import factories as f
from sanyi.openness.video import video_kind

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[1] / "demo"
WEBM = (DEMO / "interpretation.webm").read_bytes()
VTT = (DEMO / "interpretation.vtt").read_bytes()
PNG = (DEMO / "interpretation-poster.png").read_bytes()
MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64


def _upload(video=WEBM, captions=VTT, poster=PNG, transcript="视频里说的话。", name="a.webm"):
    return services.VideoUpload(
        video=SimpleUploadedFile(name, video, content_type="video/webm"),
        captions=SimpleUploadedFile("a.vtt", captions, content_type="text/vtt")
        if captions is not None
        else None,
        poster=SimpleUploadedFile("a.png", poster, content_type="image/png")
        if poster is not None
        else None,
        transcript=transcript,
    )


def _add(pub, actor, upload):
    return services.interpretation_create(
        actor=actor, policy=pub, kind="video", title="三分钟看懂新政", video=upload
    )


@pytest.fixture
def tree():
    return f.setting()


def _published_with_video(tree):
    pub = f.draft(tree["district"], actor=tree["writer"])
    item = _add(pub, tree["writer"], _upload())
    services.publication_submit(actor=tree["writer"], publication=pub)
    services.publication_review(actor=tree["reviewer"], publication=pub, approve=True)
    services.publication_publish(actor=tree["writer"], publication=pub)
    return pub, item


def test_content_not_the_name_decides():
    assert video_kind(WEBM[:64]) == "webm"
    assert video_kind(MP4_HEAD[:64]) == "mp4"
    assert video_kind(PNG[:64]) is None
    assert video_kind(b"<html><script>alert(1)</script>") is None


@pytest.mark.parametrize(
    ("upload", "field", "words"),
    [
        ({"video": b"<html>not a video</html>" * 10}, "video", "不是 MP4 或 WebM 视频"),
        ({"video": PNG, "name": "renamed.mp4"}, "video", "不是 MP4 或 WebM 视频"),
        ({"captions": b"00:00.000 --> 00:01.000\nhi"}, "captions", "须以“WEBVTT”开头"),
        ({"captions": b"WEBVTT\n\n00:02.000 --> 00:01.000\nhi"}, "captions", "第3行的时间不正确"),
        ({"captions": b"WEBVTT\n\njust text"}, "captions", "没有任何字幕"),
        ({"captions": "WEBVTT\n".encode("utf-16")}, "captions", "UTF-8"),
        ({"poster": WEBM}, "poster", "不是允许的类型"),
        ({"captions": None}, "captions", "须同时上传字幕"),
        ({"poster": None}, "poster", "须同时上传封面"),
        ({"transcript": "  "}, "transcript", "须填写视频文字稿"),
    ],
)
def test_wrong_content_is_refused_in_chinese(tree, upload, field, words):
    pub = f.draft(tree["district"], actor=tree["writer"])
    with pytest.raises(ValidationError) as exc:
        _add(pub, tree["writer"], _upload(**upload))
    assert words in " ".join(exc.value.message_dict[field])
    assert not pub.interpretations.exists()


def test_size_limit_is_a_setting(tree, settings):
    settings.SANYI_VIDEO_MAX_BYTES = 2 * 1024 * 1024
    pub = f.draft(tree["district"], actor=tree["writer"])
    with pytest.raises(ValidationError) as exc:
        _add(pub, tree["writer"], _upload(video=WEBM + b"\0" * 2 * 1024 * 1024))
    assert exc.value.message_dict["video"] == ["视频“a.webm”超过2MB，请压缩后再上传"]
    assert _add(pub, tree["writer"], _upload()).video_size == len(WEBM)


def test_video_only_on_a_draft_so_it_is_reviewed(tree):
    pub = f.published(tree["district"], writer=tree["writer"], reviewer=tree["reviewer"])
    with pytest.raises(ValidationError) as exc:
        _add(pub, tree["writer"], _upload())
    assert "只能在草稿状态上传" in exc.value.message_dict["video"][0]


def test_stored_with_actor_and_audit(tree):
    pub = f.draft(tree["district"], actor=tree["writer"])
    item = _add(pub, tree["writer"], _upload())
    assert item.video_type == "video/webm" and item.video_size == len(WEBM)
    assert item.transcript == "视频里说的话。"
    audit = AuditEvent.objects.get(action="interpretation.create", object_id=str(item.pk))
    assert audit.changes["video_size"] == [None, len(WEBM)]


def test_range_requests_return_the_right_bytes(tree, client):
    pub, item = _published_with_video(tree)
    url = f"/open/p/{pub.pk}/interpretations/{item.pk}/video"

    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == WEBM

    part = client.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(WEBM)}"
    assert part["Content-Length"] == "100" and part["Content-Type"] == "video/webm"
    assert b"".join(part.streaming_content) == WEBM[100:200]

    open_end = client.get(url, headers={"Range": "bytes=3000-"})
    assert b"".join(open_end.streaming_content) == WEBM[3000:]
    suffix = client.get(url, headers={"Range": "bytes=-10"})
    assert b"".join(suffix.streaming_content) == WEBM[-10:]
    past = client.get(url, headers={"Range": f"bytes={len(WEBM)}-"})
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(WEBM)}"

    captions = client.get(f"/open/p/{pub.pk}/interpretations/{item.pk}/captions")
    assert captions["Content-Type"].startswith("text/vtt")
    poster = client.get(f"/open/p/{pub.pk}/interpretations/{item.pk}/poster")
    assert poster["Content-Type"] == "image/png"


def test_not_public_before_the_record_is_published(tree, client):
    pub = f.draft(tree["district"], actor=tree["writer"])
    item = _add(pub, tree["writer"], _upload())
    assert client.get(f"/open/p/{pub.pk}/interpretations/{item.pk}/video").status_code == 404
    client.force_login(tree["reviewer"])
    staff = client.get(
        f"/workbench/open/publications/{pub.pk}/interpretations/{item.pk}/video",
        headers={"Range": "bytes=0-9"},
    )
    assert staff.status_code == 206 and b"".join(staff.streaming_content) == WEBM[:10]


def test_page_has_video_track_and_transcript(tree, client):
    pub, item = _published_with_video(tree)
    page = client.get(f"/open/p/{pub.pk}/").content.decode()
    assert '<video controls preload="metadata" poster="' in page
    source = f"/open/p/{pub.pk}/interpretations/{item.pk}/video"
    assert f'<source src="{source}" type="video/webm">' in page
    assert '<track kind="captions" srclang="zh" label="中文字幕"' in page
    assert "<summary>视频文字稿</summary>" in page and "视频里说的话。" in page
    data = client.get(f"/api/v1/openness/publications/{pub.pk}/").json()
    video = data["interpretations"][0]
    assert video["video"].endswith(f"/interpretations/{item.pk}/video")
    assert video["transcript"] == "视频里说的话。"
