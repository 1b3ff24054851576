"""Changing the sign-in mobile online: one code to the old number and one to the new."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.applicants.models import (
    Applicant,
    SignInCode,
    SignInPurpose,
)
from sanyi.applicants.services.profiles import (
    MOBILE_RE,
    _profile_write,
    _tell_old_phone,
    _void_pending_codes,
    normalise_mobile,
)
from sanyi.applicants.services.signin import (
    CODE_PURPOSE,
    WRONG_CODE,
    CodeRequest,
    _check_rate,
    _code_text,
    _sms_send,
    code_max_tries,
    code_ttl,
)
from sanyi.core.codes import code_hash, code_matches, new_code, new_salt

NOT_A_MOBILE_ON_FILE = (
    "您登记的联系电话不是手机号，无法向原号码发送验证码。请带身份证件原件到办事窗口更换手机号。"
)


def phone_change_request(
    *,
    applicant: Applicant,
    phone: str,
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> CodeRequest:
    """The signed-in ``applicant`` asks to change their mobile to ``phone``. One code goes
    to the mobile on file and another to the new one; ``phone_change_verify`` needs both,
    so neither a stolen session nor a lost old phone alone moves the sign-in. Raises
    ``RateLimited`` (nothing written or sent) when too many codes were asked for."""
    now = now or timezone.now()
    applicant = Applicant.objects.get(pk=applicant.pk)
    new = normalise_mobile(phone)
    old = normalise_mobile(applicant.phone)
    if not MOBILE_RE.match(new):
        raise ValidationError({"phone": "请填写11位手机号"})
    if not MOBILE_RE.match(old):
        raise ValidationError({"phone": NOT_A_MOBILE_ON_FILE})
    if new == old:
        raise ValidationError({"phone": "新手机号与登记的手机号相同"})
    _check_rate(id_number=applicant.id_number, phone=new, old_phone=old, ip=ip, now=now)
    code, old_code, salt = new_code(), new_code(), new_salt()
    challenge = SignInCode.objects.create(
        purpose=SignInPurpose.CHANGE_PHONE,
        id_number=applicant.id_number,
        phone=new,
        old_phone=old,
        applicant=applicant,
        sent=True,
        salt=salt,
        code_hash=code_hash(CODE_PURPOSE, salt, code),
        old_code_hash=code_hash(CODE_PURPOSE, salt, f"old:{old_code}"),
        expires_at=now + code_ttl(),
        ip=ip,
    )
    for number, text in (
        (new, _code_text(code, SignInPurpose.CHANGE_PHONE, "把本号码设为登录手机号")),
        (old, _code_text(old_code, SignInPurpose.CHANGE_PHONE, "把登录手机号从本号码换成新号码")),
    ):
        _sms_send(number, text, what="phone change")
    return CodeRequest(challenge=challenge, code=code, old_code=old_code)


def phone_change_verify(
    *,
    applicant: Applicant,
    challenge_id: int,
    old_code: str,
    new_code: str,
    now: dt.datetime | None = None,
) -> Applicant:
    """Change the mobile when both codes are right. Every try counts against the
    challenge (one wrong code of the two is a wrong try); the change is audited with the
    applicant as the actor and voids other pending codes for the number."""
    now = now or timezone.now()
    with transaction.atomic():
        challenge = (
            SignInCode.objects.select_for_update()
            .filter(pk=challenge_id, purpose=SignInPurpose.CHANGE_PHONE, applicant=applicant)
            .first()
        )
        if challenge is None or challenge.used_at is not None:
            raise ValidationError({"new_code": WRONG_CODE})
        if challenge.attempts >= code_max_tries():
            raise ValidationError({"new_code": "输错次数过多，验证码已失效，请重新获取"})
        if challenge.expires_at <= now:
            raise ValidationError({"new_code": "验证码已过期，请重新获取"})
        challenge.attempts += 1
        on_file = Applicant.objects.select_for_update().get(pk=applicant.pk)
        new_ok = code_matches(CODE_PURPOSE, challenge.salt, challenge.code_hash, new_code)
        old_ok = code_matches(
            CODE_PURPOSE, challenge.salt, challenge.old_code_hash, f"old:{(old_code or '').strip()}"
        )
        # The mobile on file changed since the codes were sent (at a window): start again.
        still = normalise_mobile(on_file.phone) == challenge.old_phone
        failed = not (new_ok and old_ok and still)
        if failed:
            challenge.save(update_fields=["attempts"])
        else:
            challenge.used_at = now
            challenge.save(update_fields=["attempts", "used_at"])
            applicant = _profile_write(
                applicant=on_file,
                actor=on_file.audit_label,
                action="applicant.phone_change",
                note="原手机号和新手机号的短信验证码均已核对",
                phone=challenge.phone,
            )
            _void_pending_codes(applicant, now=now)
            _tell_old_phone(applicant, old_phone=challenge.old_phone, where="在网上")
    if failed:
        left = code_max_tries() - challenge.attempts
        if left <= 0:
            raise ValidationError({"new_code": "输错次数过多，验证码已失效，请重新获取"})
        raise ValidationError(
            {"new_code": f"两个验证码中有不正确或已失效的，请检查后重新输入（还可以再试{left}次）"}
        )
    return applicant
