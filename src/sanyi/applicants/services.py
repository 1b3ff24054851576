"""Writing applicant profiles, agent authorisations and sign-in codes.

A profile is found by its ID number (一号申请) and reused by every application; a service
that meets an applicant calls ``applicant_get_or_create``, which creates the profile or
brings the contact details on file up to date (through ``applicant_update``, audited).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from sanyi.applicants.files import check_authorisation_document
from sanyi.applicants.models import (
    AgentAuthorisation,
    Applicant,
    ApplicantKind,
    OrganisationCategory,
    SignInCode,
    SignInPurpose,
)
from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.ids import IdKind, mask_id, mask_phone, parse_applicant_id

log = logging.getLogger(__name__)

PROFILE_FIELDS = [
    "name",
    "phone",
    "email",
    "address",
    "postal_code",
    "organisation_category",
    "legal_representative",
    "grid",
]
MOBILE_RE = re.compile(r"^1\d{10}$")
PHONE_RE = re.compile(r"^[0-9+\-() ]{5,20}$")
POSTAL_RE = re.compile(r"^\d{6}$")


def normalise_mobile(value: str) -> str:
    """A mainland mobile number as 11 digits (spaces, dashes and a +86 prefix removed)."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def _clean_profile(applicant: Applicant) -> None:
    errors: dict[str, str] = {}
    applicant.name = (applicant.name or "").strip()
    if not applicant.name:
        errors["name"] = "请填写姓名或名称"
    if applicant.phone:
        applicant.phone = applicant.phone.strip()
        mobile = normalise_mobile(applicant.phone)
        if MOBILE_RE.match(mobile):
            applicant.phone = mobile
        elif not PHONE_RE.match(applicant.phone):
            errors["phone"] = "联系电话格式不对：请填11位手机号或带区号的固定电话"
    if applicant.postal_code and not POSTAL_RE.match(applicant.postal_code):
        errors["postal_code"] = "邮政编码应为6位数字"
    if applicant.kind == ApplicantKind.PERSON:
        if applicant.organisation_category:
            errors["organisation_category"] = "自然人不填组织类别"
        if applicant.legal_representative:
            errors["legal_representative"] = "自然人不填法定代表人"
    elif applicant.organisation_category and applicant.organisation_category not in set(
        OrganisationCategory.values
    ):
        errors["organisation_category"] = "组织类别不在可选范围内"
    if errors:
        raise ValidationError(errors)
    try:
        applicant.full_clean(exclude=["id_number", "grid"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def applicant_get_or_create(
    *,
    id_number: str,
    name: str,
    phone: str = "",
    email: str = "",
    address: str = "",
    organisation_category: str = "",
    legal_representative: str = "",
    actor,
) -> Applicant:
    """The applicant with this resident ID or USCC; created if new, otherwise the contact
    details given (non-empty values only) replace the ones on file, with an audit row."""
    try:
        parsed = parse_applicant_id(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    given = {
        "name": name,
        "phone": phone,
        "email": email,
        "address": address,
        "organisation_category": organisation_category,
        "legal_representative": legal_representative,
    }
    with transaction.atomic():
        existing = Applicant.objects.select_for_update().filter(id_number=parsed.number).first()
        if existing is not None:
            changes = {k: v.strip() for k, v in given.items() if v and v.strip()}
            return applicant_update(applicant=existing, actor=actor, **changes)
        kind = (
            ApplicantKind.PERSON if parsed.kind == IdKind.RESIDENT else ApplicantKind.ORGANISATION
        )
        applicant = Applicant(
            kind=kind, id_number=parsed.number, **{k: (v or "").strip() for k, v in given.items()}
        )
        _clean_profile(applicant)
        try:
            with transaction.atomic():
                applicant.save()
        except IntegrityError:
            # Created by a concurrent request between our read and write: use that one.
            existing = Applicant.objects.get(id_number=parsed.number)
            changes = {k: v.strip() for k, v in given.items() if v and v.strip()}
            return applicant_update(applicant=existing, actor=actor, **changes)
        audit_record(
            actor=actor,
            action="applicant.create",
            obj=applicant,
            object_repr=applicant.audit_label,
            changes={
                k: [None, v] for k, v in snapshot(applicant, ["kind", *PROFILE_FIELDS]).items()
            },
        )
        return applicant


def applicant_update(*, applicant: Applicant, actor, **fields) -> Applicant:
    """Change profile fields (not the ID number or kind). Audited with before and after."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
        before = snapshot(applicant, PROFILE_FIELDS)
        for key, value in fields.items():
            setattr(applicant, key, value.strip() if isinstance(value, str) else value)
        _clean_profile(applicant)
        changes = diff(before, snapshot(applicant, PROFILE_FIELDS))
        if not changes:
            return applicant
        applicant.save()
        audit_record(
            actor=actor,
            action="applicant.update",
            obj=applicant,
            object_repr=applicant.audit_label,
            changes=changes,
        )
        return applicant


@transaction.atomic
def applicant_set_wallet_consent(*, applicant: Applicant, consent: bool, actor) -> Applicant:
    """Record the applicant's consent (or its withdrawal) to reuse earlier materials and
    licences in new applications."""
    applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
    if applicant.wallet_consent == consent:
        return applicant
    applicant.wallet_consent = consent
    applicant.wallet_consent_at = timezone.now() if consent else None
    applicant.save(update_fields=["wallet_consent", "wallet_consent_at", "updated_at"])
    audit_record(
        actor=actor,
        action="applicant.wallet_consent",
        obj=applicant,
        object_repr=applicant.audit_label,
        changes={"wallet_consent": [not consent, consent]},
    )
    return applicant


# --- agents (代办人) -----------------------------------------------------------------------


def agent_authorisation_create(
    *,
    principal: Applicant,
    agent: Applicant,
    document,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    scope_note: str = "",
    actor,
) -> AgentAuthorisation:
    """Record a written authorisation for ``agent`` to apply on behalf of ``principal``.
    The document (PDF, JPG or PNG) is checked by its content and stored outside the web
    root under a random name."""
    errors = {}
    if principal.pk == agent.pk:
        errors["agent"] = "代办人不能是委托人本人"
    if not agent.is_person:
        errors["agent"] = "代办人须为自然人"
    if valid_until and valid_until < valid_from:
        errors["valid_until"] = "有效期止不能早于有效期起"
    if errors:
        raise ValidationError(errors)
    checked = check_authorisation_document(document, field="document")
    document.name = f"{uuid.uuid4().hex}.{checked.extension}"
    with transaction.atomic():
        auth = AgentAuthorisation(
            principal=principal,
            agent=agent,
            document=document,
            document_sha256=checked.sha256,
            scope_note=scope_note.strip()[:300],
            valid_from=valid_from,
            valid_until=valid_until,
        )
        auth.save()
        audit_record(
            actor=actor,
            action="applicant.agent_authorise",
            obj=auth,
            object_repr=f"{agent.audit_label} 代 {principal.audit_label}",
            changes={
                "principal": [None, principal.pk],
                "agent": [None, agent.pk],
                "valid_from": [None, valid_from.isoformat()],
                "valid_until": [None, valid_until.isoformat() if valid_until else None],
                "scope_note": [None, auth.scope_note],
                "document_sha256": [None, checked.sha256],
            },
        )
    return auth


@transaction.atomic
def agent_authorisation_revoke(
    *, authorisation: AgentAuthorisation, actor, reason: str = ""
) -> AgentAuthorisation:
    auth = AgentAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
    if auth.revoked_at is not None:
        raise ValidationError({"revoked_at": "该授权已经撤销"})
    auth.revoked_at = timezone.now()
    auth.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="applicant.agent_revoke",
        obj=auth,
        object_repr=f"{auth.agent.audit_label} 代 {auth.principal.audit_label}",
        changes={"revoked_at": [None, auth.revoked_at.isoformat()]},
        note=reason,
    )
    return auth


# --- sign-in codes --------------------------------------------------------------------------


def code_ttl() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "SANYI_APPLICANT_CODE_MINUTES", 5)))


def code_max_tries() -> int:
    return int(getattr(settings, "SANYI_APPLICANT_CODE_TRIES", 5))


def _hash_code(salt: str, code: str) -> str:
    return salted_hmac("sanyi.applicants.signin", f"{salt}:{code}", algorithm="sha256").hexdigest()


class RateLimited(Exception):
    """Too many codes asked for; the page says "try again later" and sends nothing."""


@dataclasses.dataclass(frozen=True)
class CodeRequest:
    challenge: SignInCode
    # The plain code, kept only so that a demo site with the console SMS provider can show
    # it on the page; never stored.
    code: str


def _check_rate(*, id_number: str, phone: str, ip: str | None, now: dt.datetime) -> None:
    hour_ago = now - dt.timedelta(hours=1)
    per_number = int(getattr(settings, "SANYI_APPLICANT_CODES_PER_NUMBER", 5))
    per_ip = int(getattr(settings, "SANYI_APPLICANT_CODES_PER_IP", 20))
    gap = dt.timedelta(seconds=int(getattr(settings, "SANYI_APPLICANT_CODE_INTERVAL_SECONDS", 60)))
    recent = SignInCode.objects.filter(created_at__gte=hour_ago)
    if (
        recent.filter(id_number=id_number).count() >= per_number
        or recent.filter(phone=phone).count() >= per_number
        or recent.filter(id_number=id_number, created_at__gte=now - gap).exists()
    ):
        raise RateLimited
    if ip and recent.filter(ip=ip).count() >= per_ip:
        raise RateLimited


def _code_text(code: str, purpose: str) -> str:
    site = getattr(settings, "SANYI_SMS_SIGNATURE", "") or getattr(settings, "SANYI_SITE_NAME", "")
    minutes = int(code_ttl().total_seconds() // 60)
    what = SignInPurpose(purpose).label
    return f"【{site}】验证码{code}，用于{what}，{minutes}分钟内有效。如非本人操作，请忽略本短信。"


def signin_code_request(
    *,
    purpose: str,
    id_number: str,
    phone: str,
    name: str = "",
    applicant: Applicant | None = None,
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> CodeRequest:
    """Ask for a code. Sends it by SMS only when the request may proceed:

    * login: an applicant with this number has this mobile on file;
    * register: nobody has this number yet (or the same person with the same mobile, who
      is then simply signed in);
    * change_phone: ``applicant`` is signed in; the code goes to the new number.

    Either way a row is written and the caller shows the same words. Raises
    ``RateLimited`` (before anything is written) when too many codes were asked for.
    """
    from sanyi.notify.channels import sms_provider

    now = now or timezone.now()
    errors = {}
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
    if purpose == SignInPurpose.CHANGE_PHONE and applicant is None:
        raise ValueError("change_phone needs the signed-in applicant")
    if errors:
        raise ValidationError(errors)
    _check_rate(id_number=number, phone=mobile, ip=ip, now=now)

    on_file = Applicant.objects.filter(id_number=number).first()
    if purpose == SignInPurpose.LOGIN:
        send = on_file is not None and normalise_mobile(on_file.phone) == mobile
    elif purpose == SignInPurpose.REGISTER:
        send = on_file is None or normalise_mobile(on_file.phone) == mobile
    else:
        send = on_file is not None and on_file.pk == applicant.pk
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(16)
    with transaction.atomic():
        challenge = SignInCode.objects.create(
            purpose=purpose,
            id_number=number,
            phone=mobile,
            name=name.strip()[:100],
            applicant=on_file if send else None,
            sent=send,
            salt=salt,
            code_hash=_hash_code(salt, code),
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
        try:
            sms_provider().send(phone=mobile, text=_code_text(code, purpose))
        except Exception:
            # The page still says the same thing (it must not tell a matching pair from a
            # wrong one); the applicant asks again after the interval.
            log.exception("sign-in code SMS to %s failed", mask_phone(mobile))
    return CodeRequest(challenge=challenge, code=code if send else "")


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
        challenge = SignInCode.objects.select_for_update().filter(pk=challenge_id).first()
        if challenge is None or challenge.used_at is not None:
            raise ValidationError({"code": WRONG_CODE})
        if challenge.attempts >= code_max_tries():
            reason = message = TOO_MANY_TRIES
        elif challenge.expires_at <= now:
            reason = message = "验证码已过期，请重新获取"
        else:
            challenge.attempts += 1
            good = challenge.sent and constant_time_compare(
                challenge.code_hash, _hash_code(challenge.salt, code)
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
            applicant = applicant_get_or_create(
                id_number=challenge.id_number,
                name=challenge.name,
                phone=challenge.phone,
                actor=label,
            )
    elif challenge.purpose == SignInPurpose.CHANGE_PHONE:
        applicant = applicant_update(
            applicant=challenge.applicant, actor=label, phone=challenge.phone
        )
    else:
        applicant = challenge.applicant
    audit_record(
        actor=label,
        action="applicant.sign_in" if challenge.purpose != "change_phone" else "applicant.phone",
        obj=applicant,
        object_repr=applicant.audit_label,
        note=challenge.get_purpose_display(),
    )
    return applicant


def signin_codes_purge(*, older_than: dt.timedelta = dt.timedelta(days=7), now=None) -> int:
    """Delete old code rows (they hold ID numbers and are only needed for rate limits)."""
    now = now or timezone.now()
    deleted, _ = SignInCode.objects.filter(created_at__lt=now - older_than).delete()
    return deleted
