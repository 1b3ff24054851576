"""Sign-in codes sent by SMS: asking for one (rate-limited), checking it, and purging old rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sanyi.applicants.models import (
    Applicant,
    SignInCode,
    SignInPurpose,
)
from sanyi.applicants.services.profiles import MOBILE_RE, applicant_find_or_create, normalise_mobile
from sanyi.audit.services import audit_record
from sanyi.core.codes import code_hash, code_matches, new_code, new_salt, sms_signature
from sanyi.core.ids import mask_id, mask_phone, parse_applicant_id
from sanyi.core.ratelimit import limit_wait

log = logging.getLogger(__name__)


def code_ttl() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "SANYI_APPLICANT_CODE_MINUTES", 5)))


def code_max_tries() -> int:
    return int(getattr(settings, "SANYI_APPLICANT_CODE_TRIES", 5))


CODE_PURPOSE = "sanyi.applicants.signin"


class RateLimited(Exception):
    """Too many codes asked for; nothing is sent. ``wait`` is how long until the limit in
    effect lets a new code go out, which the page states (``wait_text``)."""

    def __init__(self, wait: dt.timedelta = dt.timedelta(hours=1)) -> None:
        self.wait = max(wait, dt.timedelta(seconds=1))
        super().__init__(self.message)

    @property
    def wait_text(self) -> str:
        """ "45秒" or "38分钟" (rounded up: asking again then works)."""
        seconds = math.ceil(self.wait.total_seconds())
        if seconds < 60:
            return f"{seconds}秒"
        return f"{math.ceil(seconds / 60)}分钟"

    @property
    def message(self) -> str:
        return f"获取验证码过于频繁，请{self.wait_text}后再试。"


@dataclasses.dataclass(frozen=True)
class CodeRequest:
    challenge: SignInCode
    # The plain code, kept only so that a demo site with the console SMS provider can show
    # it on the page; never stored.
    code: str
    # A phone change: the code sent to the mobile on file.
    old_code: str = ""


def _check_rate(
    *, id_number: str, phone: str, ip: str | None, now: dt.datetime, old_phone: str = ""
) -> None:
    """Raise ``RateLimited`` with the real wait when a limit in effect is reached: codes
    per ID number and per mobile per hour, per address per hour, and the shortest gap
    between two codes for one ID number."""
    hour = dt.timedelta(hours=1)
    per_number = int(getattr(settings, "SANYI_APPLICANT_CODES_PER_NUMBER", 5))
    per_ip = int(getattr(settings, "SANYI_APPLICANT_CODES_PER_IP", 20))
    gap = dt.timedelta(seconds=int(getattr(settings, "SANYI_APPLICANT_CODE_INTERVAL_SECONDS", 60)))
    recent = SignInCode.objects.filter(created_at__gte=now - hour)
    # Every mobile a code goes to counts, whether as the new or as the old number.
    phones = Q(phone=phone) | Q(old_phone=phone)
    if old_phone:
        phones |= Q(phone=old_phone) | Q(old_phone=old_phone)
    waits = [
        limit_wait(recent.filter(id_number=id_number), per_number, hour, now),
        limit_wait(recent.filter(phones), per_number, hour, now),
        limit_wait(recent.filter(id_number=id_number, created_at__gte=now - gap), 1, gap, now),
        limit_wait(recent.filter(ip=ip), per_ip, hour, now) if ip else None,
    ]
    reached = [w for w in waits if w is not None]
    if reached:
        raise RateLimited(max(reached))


def _code_text(code: str, purpose: str, what: str = "") -> str:
    site = sms_signature()
    minutes = int(code_ttl().total_seconds() // 60)
    what = what or SignInPurpose(purpose).label
    return f"【{site}】验证码{code}，用于{what}，{minutes}分钟内有效。如非本人操作，请忽略本短信。"


def signin_code_request(
    *,
    purpose: str,
    id_number: str,
    phone: str,
    name: str = "",
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> CodeRequest:
    """Ask for a code. Sends it by SMS only when the request may proceed:

    * login: an applicant with this number has this mobile on file;
    * register: nobody has this number yet (or the same person with the same mobile, who
      is then simply signed in).

    A phone change has its own pair of codes (``phone_change_request``).

    Either way a row is written and the caller shows the same words. Raises
    ``RateLimited`` (before anything is written) when too many codes were asked for.
    """
    now = now or timezone.now()
    number, mobile = _signin_request_check(
        purpose=purpose, id_number=id_number, phone=phone, name=name
    )
    _check_rate(id_number=number, phone=mobile, ip=ip, now=now)

    on_file = Applicant.objects.filter(id_number=number).first()
    if purpose == SignInPurpose.LOGIN:
        send = on_file is not None and normalise_mobile(on_file.phone) == mobile
    else:
        send = on_file is None or normalise_mobile(on_file.phone) == mobile
    code, salt = new_code(), new_salt()
    with transaction.atomic():
        challenge = SignInCode.objects.create(
            purpose=purpose,
            id_number=number,
            phone=mobile,
            name=name.strip()[:100],
            applicant=on_file if send else None,
            sent=send,
            salt=salt,
            code_hash=code_hash(CODE_PURPOSE, salt, code),
            expires_at=now + code_ttl(),
            ip=ip,
        )
        if purpose == SignInPurpose.LOGIN and not send:
            # The page answers alike either way; the audit trail says what happened, so
            # someone trying ID numbers against one mobile shows up.
            _signin_failure_record(
                challenge=challenge, reason="证件号码与手机号不匹配或尚未注册", ip=ip
            )
    if send:
        # A failed send still gets the same page (it must not tell a matching pair from a
        # wrong one); the applicant asks again after the interval.
        _sms_send(mobile, _code_text(code, purpose), what="sign-in code")
    return CodeRequest(challenge=challenge, code=code if send else "")


def _signin_request_check(
    *, purpose: str, id_number: str, phone: str, name: str
) -> tuple[str, str]:
    """The ID number and the mobile as stored, or ValidationError keyed by field."""
    errors: dict[str, str | list[str]] = {}
    try:
        number = parse_applicant_id(id_number).number
    except ValidationError as exc:
        errors["id_number"] = exc.messages
        number = ""
    mobile = normalise_mobile(phone)
    if not MOBILE_RE.match(mobile):
        errors["phone"] = "请填写11位手机号"
    if purpose == SignInPurpose.REGISTER and not name.strip():
        errors["name"] = "请填写姓名或名称"
    if purpose not in (SignInPurpose.LOGIN, SignInPurpose.REGISTER):
        raise ValueError("a phone change needs phone_change_request (codes to both numbers)")
    if errors:
        raise ValidationError(errors)
    return number, mobile


def _sms_send(phone: str, text: str, *, what: str) -> None:
    """Send one code by SMS; a failure is logged (number masked), never raised."""
    from sanyi.notify.channels import sms_provider

    try:
        sms_provider().send(phone=phone, text=text)
    except Exception:
        log.exception("%s SMS to %s failed", what, mask_phone(phone))


WRONG_CODE = "验证码不正确或已失效，请检查后重新输入，或重新获取验证码"
TOO_MANY_TRIES = "输错次数过多，这个验证码已失效，请重新获取"


def signin_code_verify(
    *, challenge_id: int, code: str, now: dt.datetime | None = None
) -> Applicant:
    """Check a code and return the applicant it signs in (creating the profile on
    registration, changing the mobile on a phone change). Raises ValidationError({"code"})
    when the code is wrong, expired, used or tried too often; every wrong try counts."""
    now = now or timezone.now()
    code = (code or "").strip()
    with transaction.atomic():
        challenge = (
            SignInCode.objects.select_for_update()
            .filter(pk=challenge_id)
            .exclude(purpose=SignInPurpose.CHANGE_PHONE)  # needs both codes: phone_change_verify
            .first()
        )
        if challenge is None or challenge.used_at is not None:
            raise ValidationError({"code": WRONG_CODE})
        if challenge.attempts >= code_max_tries():
            reason = message = TOO_MANY_TRIES
        elif challenge.expires_at <= now:
            reason = message = "验证码已过期，请重新获取"
        else:
            challenge.attempts += 1
            good = challenge.sent and code_matches(
                CODE_PURPOSE, challenge.salt, challenge.code_hash, code
            )
            if good:
                challenge.used_at = now
                challenge.save(update_fields=["attempts", "used_at"])
                return _complete(challenge)
            challenge.save(update_fields=["attempts"])
            left = code_max_tries() - challenge.attempts
            reason = "验证码不正确"
            message = TOO_MANY_TRIES if left <= 0 else f"{WRONG_CODE}（还可以再试{left}次）"
        _signin_failure_record(challenge=challenge, reason=reason)
    # Raised after the commit so the counted try and its audit row stay.
    raise ValidationError({"code": message})


def _signin_failure_record(*, challenge: SignInCode, reason: str, ip: str | None = None) -> None:
    """An audit row for a failed applicant sign-in, with the ID and mobile masked."""
    audit_record(
        actor=f"申请人：{mask_id(challenge.id_number)}",
        action="applicant.sign_in_failed",
        obj=challenge,
        object_repr=str(challenge),
        changes={
            "phone": mask_phone(challenge.phone),
            "attempts": challenge.attempts,
            "reason": reason,
        },
        note=f"{challenge.get_purpose_display()}：{reason}",
        ip=ip,
    )


def _complete(challenge: SignInCode) -> Applicant:
    label = f"申请人：{mask_id(challenge.id_number)}"
    if challenge.purpose == SignInPurpose.REGISTER:
        existing = Applicant.objects.filter(id_number=challenge.id_number).first()
        if existing is not None and normalise_mobile(existing.phone) != challenge.phone:
            # Registered by someone else since the code was sent: never hand over a profile.
            raise ValidationError({"code": "这个证件号码已经注册，请用登记的手机号登录"})
        if existing is not None:
            applicant = existing  # the same person with the same mobile: just sign in
        else:
            applicant = applicant_find_or_create(
                id_number=challenge.id_number,
                name=challenge.name,
                phone=challenge.phone,
                actor=label,
            )
            if normalise_mobile(applicant.phone) != challenge.phone:
                # Created concurrently by someone else: never hand over that profile.
                raise ValidationError({"code": "这个证件号码已经注册，请用登记的手机号登录"})
    elif challenge.applicant is not None:
        applicant = challenge.applicant
    else:  # a login code is sent only when the number and mobile match an applicant
        raise ValidationError({"code": WRONG_CODE})
    audit_record(
        actor=label,
        action="applicant.sign_in",
        obj=applicant,
        object_repr=applicant.audit_label,
        note=challenge.get_purpose_display(),
    )
    return applicant


def signin_codes_purge(
    *, older_than: dt.timedelta = dt.timedelta(days=7), now: datetime | None = None
) -> int:
    """Delete old code rows (they hold ID numbers and are only needed for rate limits)."""
    now = now or timezone.now()
    deleted, _ = SignInCode.objects.filter(created_at__lt=now - older_than).delete()
    return deleted
