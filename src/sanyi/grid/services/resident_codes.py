"""One-time SMS codes a grid officer asks the resident for at the door: to confirm a
visit, or to consent to help with an application. Both keep only a salted hash
(``core.codes``), allow one code a minute and five an hour per visit or application, expire
with the sign-in codes' lifetime and count every wrong try; only the wording of the SMS and
what the code is kept on differ."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from sanyi.applicants.services import code_max_tries, code_ttl
from sanyi.core.codes import code_hash, code_matches, new_code, new_salt, sms_signature
from sanyi.core.ids import mask_phone
from sanyi.core.ratelimit import limit_wait
from sanyi.grid.models import ResidentCode

log = logging.getLogger(__name__)
WRONG_CODE = "验证码不正确或已失效，请居民核对短信后重新输入，或重新获取验证码"
TOO_OFTEN = "获取验证码过于频繁，请稍后再试"


def code_throttle(recent: QuerySet, now: dt.datetime) -> None:
    """Refuse a new code when one was sent in the last minute or five in the last hour
    (``recent``: the codes of the same visit or application)."""
    minute, hour = dt.timedelta(minutes=1), dt.timedelta(hours=1)
    waits = [
        limit_wait(recent.filter(created_at__gte=now - minute), 1, minute, now),
        limit_wait(recent.filter(created_at__gte=now - hour), 5, hour, now),
    ]
    if any(w is not None for w in waits):
        raise ValidationError({"code": TOO_OFTEN})


def code_create(
    model: type[ResidentCode], *, purpose: str, now: dt.datetime, **fields: Any
) -> tuple[Any, str]:
    """A new code row of ``model`` (salted hash and expiry filled in) and the plain code,
    which is only ever sent, never stored."""
    code, salt = new_code(), new_salt()
    row = model._default_manager.create(
        salt=salt,
        code_hash=code_hash(purpose, salt, code),
        expires_at=now + code_ttl(),
        **fields,
    )
    return row, code


def code_sms(*, phone: str, code: str, use: str) -> None:
    """Text the code to the resident; ``use`` says what it is for and what to do if it was
    not asked for. A gateway failure is logged: the officer can ask for another code."""
    from sanyi.notify.channels import sms_provider

    text = f"【{sms_signature()}】验证码{code}，{use}"
    try:
        sms_provider().send(phone=phone, text=text)
    except Exception:
        log.exception("grid code SMS to %s failed", mask_phone(phone))


def code_check(live: QuerySet, *, purpose: str, code: str, now: dt.datetime) -> Any:
    """The newest unused, unexpired code in ``live`` if ``code`` matches it. A wrong try
    counts, written at once so it is kept even when the caller's transaction rolls back."""
    row = live.filter(used_at__isnull=True, expires_at__gt=now).order_by("-created_at").first()
    if row is None or row.attempts >= code_max_tries():
        raise ValidationError({"code": WRONG_CODE})
    if not code_matches(purpose, row.salt, row.code_hash, code):
        live.filter(pk=row.pk).update(attempts=row.attempts + 1)
        raise ValidationError({"code": WRONG_CODE})
    return row
