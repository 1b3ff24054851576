"""The community notice board: posting from the phone, the same four-eyes review, the
public board with its 往期 section, subscriptions and the one notification per subscriber."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.tests import factories as af
from sanyi.audit.models import AuditEvent
from sanyi.notify.models import Message, OutboxMessage
from sanyi.openness import selectors, services
from sanyi.openness.choices import FiveKind, PublicationStatus
from sanyi.openness.models import BoardSubscription
from sanyi.openness.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def photo(name="photo.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (2400, 1200), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def world(org_tree):
    t = org_tree
    t["comm_officer"] = org_f.staff(t["comm1"], Role.DISCLOSURE_OFFICER)
    t["comm_officer2"] = org_f.staff(t["comm1"], Role.DISCLOSURE_OFFICER)
    t["grid_officer"] = org_f.staff(t["grid1"], Role.GRID_OFFICER)
    t["other_grid_officer"] = org_f.staff(t["grid2"], Role.GRID_OFFICER)
    return t


def post(world, *, actor=None, unit=None, **kw):
    kw.setdefault("title", "本周六社区义诊")
    kw.setdefault("text", "周六上午9点在社区广场义诊，请带医保卡。")
    kw.setdefault("expires_on", timezone.localdate() + dt.timedelta(days=7))
    return services.board_notice_post(
        actor=actor or world["grid_officer"], unit=unit or world["grid1"], **kw
    )


def publish(world, pub):
    services.publication_review(actor=world["comm_officer2"], publication=pub, approve=True)
    return services.publication_publish(actor=world["comm_officer2"], publication=pub)


def test_grid_officer_posts_with_picture_stripped_and_sent_for_review(world):
    notice = post(world, picture=photo())
    pub = notice.publication
    assert pub.status == PublicationStatus.IN_REVIEW
    assert pub.publisher == world["grid1"] and pub.submitted_by == world["grid_officer"]
    with Image.open(notice.picture.open("rb")) as full:
        assert max(full.size) == 1600
        assert not full.getexif()
    with Image.open(notice.thumbnail.open("rb")) as thumb:
        assert max(thumb.size) == 480
    actions = list(
        AuditEvent.objects.filter(object_id=str(pub.pk)).values_list("action", flat=True)
    )
    assert {"publication.create", "board.post", "publication.submit"} <= set(actions)


def test_who_may_post(world):
    with pytest.raises(PermissionDenied):
        post(world, actor=world["other_grid_officer"])  # not their grid
    with pytest.raises(PermissionDenied):
        post(world, unit=world["comm1"])  # a grid officer posts to their own grid only
    with pytest.raises(PermissionDenied):
        post(world, actor=world["comm_officer"], unit=world["comm2"])
    assert post(world, actor=world["comm_officer"], unit=world["comm1"]).pk
    assert post(world, actor=world["comm_officer"], unit=world["grid1"]).pk


def test_required_expiry_kind_and_picture_content(world):
    with pytest.raises(ValidationError) as exc:
        post(world, expires_on=None)
    assert "expires_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        post(world, five_kind=FiveKind.DECISION)
    assert "five_kind" in exc.value.message_dict
    fake = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        post(world, picture=fake)
    assert "picture" in exc.value.message_dict
    assert not selectors.board_pending_for([world["grid1"].pk]).exists()  # all or nothing


def test_poster_cannot_review_and_grid_officer_cannot_review(world):
    pub = post(world, actor=world["comm_officer"], unit=world["comm1"]).publication
    with pytest.raises(PermissionDenied):
        services.publication_review(actor=world["comm_officer"], publication=pub, approve=True)
    pub2 = post(world, actor=world["comm_officer"], unit=world["grid1"]).publication
    with pytest.raises(PermissionDenied):
        services.publication_review(actor=world["grid_officer"], publication=pub2, approve=True)


def test_publish_notifies_each_subscriber_once(world):
    grid_sub, comm_sub, both = af.person(), af.person(phone="13800001111"), af.person()
    services.board_subscribe(actor="居民", applicant=grid_sub, unit=world["grid1"])
    services.board_subscribe(actor="居民", applicant=comm_sub, unit=world["comm1"], sms=True)
    services.board_subscribe(actor="居民", applicant=both, unit=world["comm1"])
    services.board_subscribe(actor="居民", applicant=both, unit=world["grid1"])
    outsider = af.person()
    services.board_subscribe(actor="居民", applicant=outsider, unit=world["comm2"])
    pub = publish(world, post(world).publication)
    assert Message.objects.filter(object_id=str(pub.pk)).count() == 3
    assert Message.objects.filter(applicant=both).count() == 1
    assert not Message.objects.filter(applicant=outsider).exists()
    sms = OutboxMessage.objects.filter(message__object_id=str(pub.pk), channel="sms")
    assert list(sms.values_list("address", flat=True)) == ["13800001111"]
    assert services.board_notify_published(pub) == 0  # a repeat sends nothing


def test_board_lists_current_then_past_and_unsubscribe(
    world, client, django_assert_max_num_queries
):
    current = publish(world, post(world, title="当前通知", picture=photo()).publication)
    old = post(world, title="往期通知").publication
    publish(world, old)
    old.board_notice.expires_on = timezone.localdate() - dt.timedelta(days=1)
    old.board_notice.save()
    post(world, title="待审通知")  # in review: never on the board
    for i in range(5):
        publish(world, post(world, title=f"通知{i}").publication)
    url = reverse("openness:board", args=[world["comm1"].pk])
    with django_assert_max_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("当前通知") < html.index("往期通知")
    assert "待审通知" not in html and "已于" in html
    thumb = reverse("openness:board_picture", args=[current.pk, "thumb"])
    assert thumb in html and client.get(thumb).status_code == 200
    other = reverse("openness:board_picture", args=[current.pk, "other"])
    assert client.get(other).status_code == 404
    assert client.get(reverse("openness:board", args=[world["grid2"].pk])).status_code == 200
    assert client.get(reverse("openness:board", args=[world["dept"].pk])).status_code == 404

    me = af.person()
    session = client.session
    session[SESSION_KEY] = me.pk
    session.save()
    sub_url = reverse("openness:board_subscribe", args=[world["comm1"].pk])
    client.post(sub_url, {"action": "subscribe"})
    assert BoardSubscription.objects.filter(applicant=me, unit=world["comm1"]).exists()
    assert "取消订阅" in client.get(url).content.decode()
    client.post(sub_url, {"action": "unsubscribe"})
    assert not BoardSubscription.objects.filter(applicant=me).exists()


def test_officer_post_page(world, client):
    client.force_login(world["grid_officer"])
    url = reverse("workbench:openness:board_post")
    page = client.get(url).content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    response = client.post(
        url,
        {
            "unit": world["grid1"].pk,
            "five_kind": "service",
            "title": "停水通知",
            "text": "明天停水。",
            "expires_on": "",
            "picture": photo(),
        },
    )
    assert response.status_code == 400 and "有效期至" in response.content.decode()
    client.force_login(world["other_grid_officer"])
    assert client.get(url).status_code == 200
    client.force_login(org_f.staff(world["dept"], Role.WINDOW_CLERK))
    assert client.get(url).status_code == 403


def test_api_board_and_subscription(world, django_assert_max_num_queries):
    from rest_framework.test import APIClient

    publish(world, post(world, title="接口通知", picture=photo()).publication)
    api = APIClient()
    url = reverse("api:openness-board", args=[world["comm1"].code or world["comm1"].pk])
    with django_assert_max_num_queries(6):
        data = api.get(url).json()
    assert [i["title"] for i in data["current"]] == ["接口通知"]
    assert data["current"][0]["thumbnail"].endswith("thumb.jpg")
    sub_url = reverse("api:openness-board-subscription", args=[world["grid1"].pk])
    assert api.post(sub_url, {"sms": True}, format="json").status_code == 403
    me = af.person()
    session = api.session
    session[SESSION_KEY] = me.pk
    session.save()
    api.cookies["sessionid"] = session.session_key
    assert api.post(sub_url, {"sms": True}, format="json").json()["sms"] is True
    assert api.get(sub_url).json()["subscribed"] is True
    assert api.delete(sub_url).json()["subscribed"] is False


def test_front_door_links_the_chosen_community_board(world, client):
    from sanyi.orgs.areas import AREA_COOKIE

    client.cookies[AREA_COOKIE] = world["comm1"].code
    html = client.get("/").content.decode()
    assert reverse("openness:board", args=[world["comm1"].pk]) in html
    assert f"{world['comm1'].name}公开栏" in html


def test_directory_entry_of_the_community_sets_the_time_limit(world):
    from sanyi.openness.selectors.timeliness import publish_by

    own = f.entry(world["comm1"], five_kind=FiveKind.SERVICE)
    pub = post(world, directory_entry=own).publication
    assert pub.directory_entry == own and pub.formed_on == timezone.localdate()
    assert publish_by(own, pub.formed_on) is not None
    for wrong in (f.entry(world["comm2"]), f.entry(world["comm1"], five_kind=FiveKind.DECISION)):
        with pytest.raises(ValidationError) as exc:
            post(world, directory_entry=wrong)
        assert "directory_entry" in exc.value.message_dict
