"""Webhook delivery against a real local HTTP server."""

import hashlib
import hmac
import http.server
import json
import threading
import time

import pytest

from sanyi.applicants.tests import factories as af
from sanyi.notify.channels import SIGNATURE_HEADER, TIMESTAMP_HEADER, webhook_signature
from sanyi.notify.models import DeliveryStatus
from sanyi.notify.services import notify_applicant, outbox_deliver, webhook_subscription_create

pytestmark = pytest.mark.django_db
SECRET = "a-long-shared-secret-0001"


class Receiver:
    def __init__(self, status=200, delay=0.0):
        self.status, self.delay, self.requests = status, delay, []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                time.sleep(receiver.delay)
                try:
                    self.send_response(receiver.status)
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def webhook_row(url):
    webhook_subscription_create(actor="系统：测试", name="接收方", url=url, secret=SECRET)
    person = af.person(phone="", email="")
    [m] = notify_applicant(
        applicant=person, event="case.accepted", subject="已受理", body="正文", link="/my/"
    )
    return person, m.deliveries.get()


def test_webhook_posts_signed_json_the_receiver_can_verify(receiver):
    person, row = webhook_row(receiver.url)
    assert outbox_deliver(outbox_id=row.pk) == DeliveryStatus.SENT
    [(headers, body)] = receiver.requests
    expected = hmac.new(
        SECRET.encode(), headers[TIMESTAMP_HEADER].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers[SIGNATURE_HEADER] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["event"] == "case.accepted"
    assert payload["subject"] == "已受理"
    assert payload["link"] == "https://zwfw.example.gov.cn/my/"
    assert payload["recipient"] == {
        "type": "applicant",
        "id": person.pk,
        "masked_id_number": person.masked_id,
    }
    assert person.id_number not in body.decode()  # only the masked number leaves


def test_a_wrong_secret_gives_a_different_signature():
    body = b'{"a": 1}'
    assert webhook_signature(SECRET, "1", body) != webhook_signature(SECRET + "x", "1", body)
    assert webhook_signature(SECRET, "1", body) != webhook_signature(SECRET, "2", body)


def test_non_2xx_is_a_failure_that_is_retried(receiver):
    receiver.status = 503
    _, row = webhook_row(receiver.url)
    assert outbox_deliver(outbox_id=row.pk) == DeliveryStatus.FAILED
    row.refresh_from_db()
    assert "503" in row.last_error and row.attempts == 1


def test_a_slow_receiver_times_out(receiver, settings):
    settings.SANYI_WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1.5
    _, row = webhook_row(receiver.url)
    assert outbox_deliver(outbox_id=row.pk) == DeliveryStatus.FAILED
    row.refresh_from_db()
    assert row.last_error


def test_an_unreachable_receiver_is_a_failure():
    _, row = webhook_row("http://127.0.0.1:9/hook")
    assert outbox_deliver(outbox_id=row.pk) == DeliveryStatus.FAILED
