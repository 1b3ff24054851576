"""A worker killed after the SMS gateway took a text, before the platform recorded it.

The row is left "sending"; once the sending timeout has passed the sweeper sends it again.
The resend carries the same gateway reference, so a gateway that drops repeated references
delivers the text once, and the row ends "sent" with the first message id.
"""

import datetime as dt
import os
import subprocess
import sys
import textwrap

import pytest
from django.utils import timezone

from sanyi.applicants.tests import factories as af
from sanyi.notify import services
from sanyi.notify.channels import FileSmsProvider, SmsChannel, sms_reference
from sanyi.notify.models import Channel, DeliveryStatus
from sanyi.notify.services import notify_applicant, outbox_deliver_due

pytestmark = pytest.mark.django_db


def sms_row():
    person = af.person(email="")
    [message] = notify_applicant(applicant=person, event="case.accepted", subject="已受理", body="")
    return message.deliveries.get(channel=Channel.SMS)


def die_after_the_gateway_took_it(row):
    """What a SIGKILL between the gateway's answer and ``_finish`` leaves behind."""
    claimed, _token = services.outbox_claim(outbox_id=row.pk)
    return SmsChannel().send(claimed)


def sweep_after_the_timeout(settings):
    later = timezone.now() + dt.timedelta(minutes=settings.SANYI_NOTIFY_SENDING_TIMEOUT_MINUTES + 1)
    return outbox_deliver_due(now=later)


def test_memory_gateway_gets_the_text_once_after_a_worker_death(memory_sms, settings):
    row = sms_row()
    first_id = die_after_the_gateway_took_it(row)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENDING

    counts = sweep_after_the_timeout(settings)

    assert counts["released"] == 1 and counts["sent"] == 1
    assert [s.reference for s in memory_sms.sent] == [sms_reference(row)]
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT
    assert row.provider_message_id == first_id
    assert row.attempts == 2  # the interrupted attempt counts


def test_file_gateway_records_the_resend_but_delivers_once(settings, tmp_path):
    settings.SANYI_SMS_PROVIDER = "file"
    settings.SANYI_SMS_FILE = str(tmp_path / "sms.jsonl")
    row = sms_row()
    first_id = die_after_the_gateway_took_it(row)

    sweep_after_the_timeout(settings)

    lines = FileSmsProvider.read(settings.SANYI_SMS_FILE)
    delivered = [e for e in lines if not e.get("resend")]
    assert [e["reference"] for e in delivered] == [f"sanyi-outbox-{row.pk}"]
    assert [e.get("resend", False) for e in lines] == [False, True]
    row.refresh_from_db()
    assert (row.status, row.provider_message_id) == (DeliveryStatus.SENT, first_id)


def test_file_gateway_is_shared_by_processes(tmp_path):
    """Parallel processes sending the same references deliver each one once."""
    path = tmp_path / "sms.jsonl"
    code = textwrap.dedent(
        f"""
        import django
        django.setup()
        from sanyi.notify.channels import FileSmsProvider
        p = FileSmsProvider({str(path)!r})
        for i in range(40):
            p.send(phone="13800000000", text=str(i), reference=f"r{{i}}")
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sanyi.settings_test"}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env) for _ in range(4)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0, 0, 0]
    lines = FileSmsProvider.read(path)
    delivered = sorted(e["reference"] for e in lines if not e.get("resend"))
    assert delivered == sorted(f"r{i}" for i in range(40))
    assert len(lines) == 160


def test_a_gateway_without_reference_keeps_working(settings):
    sent = []

    class OldGateway:
        def send(self, *, phone, text):
            sent.append(phone)
            return "old-1"

    settings.SANYI_SMS_PROVIDER = "x"
    from sanyi.notify import channels

    channels.PROVIDERS["x"] = OldGateway
    try:
        row = sms_row()
        assert services.outbox_deliver(outbox_id=row.pk) == DeliveryStatus.SENT
    finally:
        del channels.PROVIDERS["x"]
    assert len(sent) == 1
