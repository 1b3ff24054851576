"""One-time SMS codes (sign-in, phone bookings, confirming a doorstep visit): six digits,
kept only as a salted hash, compared in constant time.

Each use names its own ``purpose``, so a code made for one thing never matches another.
Rows, expiry, tries and rate limits stay with the app that sends the code.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac


def new_code() -> str:
    """Six random digits, as sent to the phone."""
    return f"{secrets.randbelow(10**6):06d}"


def new_salt() -> str:
    return secrets.token_hex(16)


def code_hash(purpose: str, salt: str, code: str) -> str:
    """What is stored instead of the code."""
    return salted_hmac(purpose, f"{salt}:{code}", algorithm="sha256").hexdigest()


def code_matches(purpose: str, salt: str, stored_hash: str, code: str | None) -> bool:
    """Whether ``code`` as typed (spaces around it ignored) is the one behind the hash."""
    return constant_time_compare(stored_hash, code_hash(purpose, salt, (code or "").strip()))


def sms_signature() -> str:
    """The 【…】 name an SMS starts with: the SMS signature, else the site's name."""
    return getattr(settings, "SANYI_SMS_SIGNATURE", "") or getattr(settings, "SANYI_SITE_NAME", "")
