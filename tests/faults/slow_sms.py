"""The fault test's SMS gateway: the ``file`` provider with a slow answer.

The text is written first and the answer comes ``FAULT_SMS_DELAY_MS`` later, like a
gateway that has taken the text but is slow to say so. A worker killed in that gap leaves
a row "sending" whose text did go out: the case the platform must not send twice.
"""

from __future__ import annotations

import os
import time

from sanyi.notify.channels import FileSmsProvider


class SlowFileSmsProvider(FileSmsProvider):
    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        if os.environ.get("FAULT_SMS_IGNORE_REFERENCE") == "1":
            # A gateway without client references (--gateway-without-reference): a resend
            # after a worker death reaches the phone twice, and the check must say so.
            reference = f"{reference}/{time.time_ns()}" if reference else ""
        message_id = super().send(phone=phone, text=text, reference=reference)
        time.sleep(int(os.environ.get("FAULT_SMS_DELAY_MS", "0")) / 1000)
        return message_id
