"""Staff inbox, delivery status and webhook pages, and the /api/v1/notifications/ API."""

import pytest
from rest_framework.authtoken.models import Token

from sanyi.applicants.tests import factories as af
from sanyi.core.tests.error_summary import assert_error_summary
from sanyi.notify.models import DeliveryStatus, OutboxMessage, WebhookSubscription
from sanyi.notify.services import notify_applicant, notify_staff, outbox_deliver
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False
    tree = of.tree()
    return {
        "tree": tree,
        "clerk": of.staff(tree["sub1"], Role.WINDOW_CLERK),
        "other": of.staff(tree["sub2"], Role.WINDOW_CLERK),
        "admin": of.staff(tree["district"], Role.SYSTEM_ADMIN),
        "supervisor": of.staff(tree["district"], Role.SUPERVISOR),
    }


def tell(user, subject, **kw):
    [m] = notify_staff(event="case.submitted", subject=subject, body="请受理", users=[user], **kw)
    return m


def dead_row(memory_sms, settings):
    settings.SANYI_NOTIFY_MAX_ATTEMPTS = 1
    person = af.person(email="")
    [m] = notify_applicant(applicant=person, event="case.accepted", subject="已受理", body="")
    row = m.deliveries.get()
    memory_sms.fail_with = ConnectionError("网关无响应")
    outbox_deliver(outbox_id=row.pk)
    memory_sms.fail_with = None
    row.refresh_from_db()
    assert row.status == DeliveryStatus.DEAD
    return row, person


def test_staff_inbox_shows_only_my_messages_and_marks_read(client, world):
    mine = tell(world["clerk"], "新的网上申请", link="/workbench/")
    theirs = tell(world["other"], "别人的待办")
    client.force_login(world["clerk"])
    page = client.get("/workbench/notifications/").content.decode()
    assert "新的网上申请" in page and "别人的待办" not in page
    assert client.get(f"/workbench/notifications/messages/{theirs.pk}/").status_code == 404
    client.get(f"/workbench/notifications/messages/{mine.pk}/")
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_home_tile_links_the_inbox(client, world):
    client.force_login(world["clerk"])
    assert "/workbench/notifications/" in client.get("/workbench/").content.decode()


def test_delivery_list_for_admins_and_supervisors_only(
    client, world, memory_sms, settings, django_assert_max_num_queries
):
    row, person = dead_row(memory_sms, settings)
    client.force_login(world["clerk"])
    assert client.get("/workbench/notifications/deliveries/").status_code == 403
    client.force_login(world["supervisor"])
    with django_assert_max_num_queries(12):
        page = client.get("/workbench/notifications/deliveries/?status=dead").content.decode()
    assert "网关无响应" in page and person.masked_phone in page and person.phone not in page
    assert '<button type="submit" class="btn">重新发送' not in page  # supervisors read only
    assert client.post(f"/workbench/notifications/deliveries/{row.pk}/requeue/").status_code == 403


def test_admin_requeues_a_dead_delivery(client, world, memory_sms, settings):
    row, _ = dead_row(memory_sms, settings)
    client.force_login(world["admin"])
    page = client.get("/workbench/notifications/deliveries/?channel=sms").content.decode()
    assert '<button type="submit" class="btn">重新发送' in page
    client.post(f"/workbench/notifications/deliveries/{row.pk}/requeue/")
    row.refresh_from_db()
    assert row.status == DeliveryStatus.PENDING and row.attempts == 0


def test_admin_manages_webhook_subscriptions(client, world):
    client.force_login(world["clerk"])
    assert client.get("/workbench/notifications/webhooks/").status_code == 403
    client.force_login(world["admin"])
    response = client.post(
        "/workbench/notifications/webhooks/new/",
        {
            "name": "统一消息平台",
            "url": "https://msg.example/hook",
            "secret": "short",
            "events": "case.*",
            "audience": "all",
            "is_active": "on",
        },
    )
    assert "签名密钥至少16个字符" in response.content.decode()
    assert_error_summary(response, {"id_secret": "签名密钥至少16个字符"})
    client.post(
        "/workbench/notifications/webhooks/new/",
        {
            "name": "统一消息平台",
            "url": "https://msg.example/hook",
            "secret": "0123456789abcdef0123",
            "events": "case.*",
            "audience": "all",
            "is_active": "on",
        },
    )
    sub = WebhookSubscription.objects.get()
    assert sub.secret == "0123456789abcdef0123"
    client.post(
        f"/workbench/notifications/webhooks/{sub.pk}/",
        {
            "name": "统一消息平台",
            "url": "https://msg.example/hook2",
            "secret": "",
            "events": "case.*, request.*",
            "audience": "staff",
        },
    )
    sub.refresh_from_db()
    assert sub.url.endswith("hook2") and sub.secret == "0123456789abcdef0123" and not sub.is_active
    client.post(f"/workbench/notifications/webhooks/{sub.pk}/delete/")
    assert not WebhookSubscription.objects.exists()


# --- API --------------------------------------------------------------------------------


def api(client, user):
    token = Token.objects.create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


def test_api_inbox_is_the_token_users_own(client, world, django_assert_max_num_queries):
    for i in range(3):
        tell(world["clerk"], f"消息{i}")
    theirs = tell(world["other"], "别人的")
    c = api(client, world["clerk"])
    with django_assert_max_num_queries(6):
        body = c.get("/api/v1/notifications/").json()
    assert body["count"] == 3
    assert {r["subject"] for r in body["results"]} == {"消息0", "消息1", "消息2"}
    assert c.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert c.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404


def test_api_marks_read(client, world):
    m = tell(world["clerk"], "一")
    tell(world["clerk"], "二")
    c = api(client, world["clerk"])
    assert c.post(f"/api/v1/notifications/{m.pk}/read/").json()["is_read"] is True
    assert c.get("/api/v1/notifications/?unread=true").json()["count"] == 1
    assert c.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert c.get("/api/v1/notifications/?unread=true").json()["count"] == 0


def test_api_needs_a_login(client):
    assert client.get("/api/v1/notifications/").status_code == 401


def test_api_delivery_status_for_admins(client, world, memory_sms, settings):
    row, person = dead_row(memory_sms, settings)
    assert api(client, world["clerk"]).get("/api/v1/notifications/deliveries/").status_code == 403
    client.defaults.pop("HTTP_AUTHORIZATION")
    c = api(client, world["admin"])
    body = c.get("/api/v1/notifications/deliveries/?status=dead").json()
    assert body["count"] == 1
    assert body["results"][0]["address"] == person.masked_phone
    bad = c.get("/api/v1/notifications/deliveries/?status=nope")
    assert bad.status_code == 400
    assert c.post(f"/api/v1/notifications/deliveries/{row.pk}/requeue/").json()["status"] in {
        "pending",
        "sent",
    }
    assert OutboxMessage.objects.get(pk=row.pk).attempts in {0, 1}
