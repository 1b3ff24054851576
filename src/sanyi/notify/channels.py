"""External delivery channels behind one interface.

A channel has ``send(row: OutboxMessage) -> str`` that returns the provider's message id
(or "") and raises on failure (``DeliveryError(permanent=True)`` when retrying cannot help).

SMS goes through a provider chosen by ``SANYI_SMS_PROVIDER``:

* ``"console"`` writes the text to the log (development and the demo);
* ``"memory"`` keeps every text in ``MemorySmsProvider.sent`` (tests);
* ``"file"`` appends every text as one JSON line to ``SANYI_SMS_FILE`` (development and
  tests that run several processes, e.g. the fault test);
* a dotted path to a class for a real gateway. The class is built without arguments and
  must have ``send(*, phone: str, text: str) -> str`` returning the gateway's message id and
  raising any exception on failure (``SmsRejected`` for a refusal that retrying cannot fix,
  e.g. a number the gateway does not serve).

A provider whose ``send`` also takes a ``reference`` keyword gets the delivery's stable
reference (``sanyi-outbox-<id>``, the same on every attempt). A worker killed after the
gateway took a text but before the platform recorded it leaves the row "sending"; the
sweeper sends it again with the same reference, and a gateway that drops repeated
references (as ``file`` and ``memory`` do) delivers the text once.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import inspect
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from sanyi.core.codes import sms_signature
from sanyi.notify.models import Channel, OutboxMessage

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Sanyi-Signature"
TIMESTAMP_HEADER = "X-Sanyi-Timestamp"
EVENT_HEADER = "X-Sanyi-Event"
DELIVERY_HEADER = "X-Sanyi-Delivery"


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class SmsRejected(DeliveryError):
    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


def absolute_link(link: str) -> str:
    base = getattr(settings, "SANYI_PUBLIC_URL", "").rstrip("/")
    if not link:
        return ""
    return f"{base}{link}" if base else link


SMS_BODY_MAX = 70  # one SMS segment of Chinese text; longer bodies stay in the inbox


def message_text(row: OutboxMessage, *, short: bool = False) -> str:
    """The plain text of a message: subject, body and link. ``short`` (SMS) leaves out a
    body longer than one text segment; the full message is in the inbox and the link."""
    msg = row.message
    parts = [msg.subject]
    if msg.body and not (short and len(msg.body) > SMS_BODY_MAX):
        parts.append(msg.body)
    link = absolute_link(msg.link)
    if link.startswith("http"):
        parts.append(f"详情：{link}")
    elif msg.link:
        parts.append("详情请登录平台查看。")
    return "\n".join(parts)


# --- SMS providers ------------------------------------------------------------------------


@dataclass(frozen=True)
class SentSms:
    phone: str
    text: str
    message_id: str
    reference: str = ""


class ConsoleSmsProvider:
    """Writes texts to the log instead of sending them (development, the demo)."""

    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        message_id = f"console-{time.time_ns()}"
        log.info("SMS to %s: %s", phone, text)
        return message_id


class MemorySmsProvider:
    """A test double: every text lands in ``MemorySmsProvider.sent`` (shared by all
    instances, guarded by a lock so parallel deliverers can use it)."""

    sent: list[SentSms] = []
    fail_with: Exception | None = None  # set in a test to make every send fail
    _lock = threading.Lock()
    _counter = 0

    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        if MemorySmsProvider.fail_with is not None:
            raise MemorySmsProvider.fail_with
        with MemorySmsProvider._lock:
            if reference:
                for earlier in MemorySmsProvider.sent:
                    if earlier.reference == reference:
                        return earlier.message_id  # a resend: the gateway drops it
            MemorySmsProvider._counter += 1
            sms = SentSms(
                phone=phone,
                text=text,
                message_id=f"mem-{MemorySmsProvider._counter}",
                reference=reference,
            )
            MemorySmsProvider.sent.append(sms)
        return sms.message_id

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.sent = []
            cls.fail_with = None


class FileSmsProvider:
    """Appends every text as one JSON line to ``SANYI_SMS_FILE``, so several processes
    (web server, workers, a test driver) share one record of what was sent.

    Like a gateway that takes a client reference, a send repeating a reference already in
    the file is not delivered again: it returns the first message id and only appends a
    ``{"resend": true}`` line, so a reader can count both. The file is locked for the
    read-and-append, so parallel senders in any process see each other's lines.
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = str(path or getattr(settings, "SANYI_SMS_FILE", "") or "sms.jsonl")

    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        with open(self.path, "a+", encoding="utf-8") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)  # released when the file is closed
            fh.seek(0)
            earlier = None
            if reference:
                for line in fh:
                    entry = json.loads(line)
                    if entry.get("reference") == reference and not entry.get("resend"):
                        earlier = entry
                        break
            entry = {
                "phone": phone,
                "text": text,
                "reference": reference,
                "message_id": earlier["message_id"] if earlier else f"file-{time.time_ns()}",
                "pid": os.getpid(),
            }
            if earlier:
                entry["resend"] = True
            fh.seek(0, os.SEEK_END)
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return entry["message_id"]

    @staticmethod
    def read(path: str | os.PathLike) -> list[dict]:
        """Every line of the file (deliveries and ``resend`` lines), oldest first."""
        try:
            with open(path, encoding="utf-8") as fh:
                return [json.loads(line) for line in fh if line.strip()]
        except FileNotFoundError:
            return []


PROVIDERS = {"console": ConsoleSmsProvider, "memory": MemorySmsProvider, "file": FileSmsProvider}


def sms_provider() -> Any:
    name = getattr(settings, "SANYI_SMS_PROVIDER", "console") or "console"
    cls = PROVIDERS.get(name) or import_string(name)
    return cls()


def sms_provider_is_console() -> bool:
    return (getattr(settings, "SANYI_SMS_PROVIDER", "console") or "console") == "console"


# --- channels -----------------------------------------------------------------------------


class EmailChannel:
    def send(self, row: OutboxMessage) -> str:
        site = getattr(settings, "SANYI_SITE_NAME", "")
        email = EmailMessage(
            subject=f"【{site}】{row.message.subject}" if site else row.message.subject,
            body=message_text(row),
            to=[row.address],
        )
        sent = email.send(fail_silently=False)
        if sent != 1:
            raise DeliveryError("邮件服务未接收该邮件")
        return email.extra_headers.get("Message-ID", "")


class SmsChannel:
    def send(self, row: OutboxMessage) -> str:
        site = sms_signature()
        text = message_text(row, short=True)
        if site:
            text = f"【{site}】{text}"
        provider = sms_provider()
        if _takes_reference(provider):
            return provider.send(phone=row.address, text=text, reference=sms_reference(row)) or ""
        return provider.send(phone=row.address, text=text) or ""


def sms_reference(row: OutboxMessage) -> str:
    """The delivery's reference for the gateway: the same on every attempt of the row."""
    return f"sanyi-outbox-{row.pk}"


def _takes_reference(provider: Any) -> bool:
    """Gateways written for the two-argument interface keep working unchanged."""
    try:
        params = inspect.signature(provider.send).parameters
    except (TypeError, ValueError):
        return False
    return "reference" in params or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
    )


def webhook_payload(row: OutboxMessage) -> dict:
    """What a subscriber receives. Personal data is limited to what routing the message
    needs: the masked number of an applicant, the user name of a staff member."""
    msg = row.message
    if msg.applicant is not None:
        recipient = {
            "type": "applicant",
            "id": msg.applicant_id,
            "masked_id_number": msg.applicant.masked_id,
        }
    elif msg.user is not None:
        recipient = {"type": "staff", "id": msg.user_id, "username": msg.user.get_username()}
    else:  # ruled out by the notify_message_one_recipient constraint
        raise ValueError(f"message {msg.pk} names no recipient")
    return {
        "delivery_id": row.pk,
        "message_id": msg.pk,
        "event": msg.event,
        "subject": msg.subject,
        "body": msg.body,
        "link": absolute_link(msg.link),
        "object": {"type": msg.object_type, "id": msg.object_id} if msg.object_type else None,
        "recipient": recipient,
        "created_at": msg.created_at.isoformat(),
    }


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256 over ``"<timestamp>." + body`` with the secret.
    Signing the timestamp lets the receiver refuse replays of old deliveries."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class WebhookChannel:
    def send(self, row: OutboxMessage) -> str:
        sub = row.subscription
        if sub is None:
            raise DeliveryError("Webhook 订阅已删除", permanent=True)
        if not row.address.startswith(("https://", "http://")):
            raise DeliveryError("Webhook 地址须以 http:// 或 https:// 开头", permanent=True)
        body = json.dumps(webhook_payload(row), ensure_ascii=False, sort_keys=True).encode()
        timestamp = str(int(time.time()))
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            row.address,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Sanyi-Webhook/1",
                EVENT_HEADER: row.event,
                DELIVERY_HEADER: str(row.pk),
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: webhook_signature(sub.secret, timestamp, body),
            },
        )
        timeout = float(getattr(settings, "SANYI_WEBHOOK_TIMEOUT_SECONDS", 10))
        try:
            with _NO_REDIRECTS.open(request, timeout=timeout) as response:
                status = response.status
                response.read(1024)
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"接收方返回 HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"无法连接接收方：{getattr(exc, 'reason', exc)}") from exc
        if not 200 <= status < 300:
            raise DeliveryError(f"接收方返回 HTTP {status}")
        return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: the signed body must reach the address on file only."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> None:
        return None


_NO_REDIRECTS = urllib.request.build_opener(_NoRedirect)

CHANNELS: dict[str, type[EmailChannel | SmsChannel | WebhookChannel]] = {
    Channel.EMAIL: EmailChannel,
    Channel.SMS: SmsChannel,
    Channel.WEBHOOK: WebhookChannel,
}


def channel_for(channel: str) -> Any:
    return CHANNELS[channel]()
