"""Writing applicant profiles, agent authorisations and sign-in codes.

A profile is found by its ID number (一号申请) and reused by every application; a service
that meets an applicant calls ``applicant_find_or_create``, which creates the profile when
the number is new and otherwise returns it unchanged. Knowing someone's ID number and name
proves nothing, so no form, API or counter step changes a profile as a side effect: the
signed-in applicant edits their own contact details (``applicant_update``) and changes the
mobile with codes sent to the old and the new number (``phone_change_*``); a window clerk
who saw the document corrects it (``applicant_correct_at_window``). Contact details given
with one application or request are kept on that application or request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import re
import secrets
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
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
from sanyi.core.actors import Actor
from sanyi.core.ids import IdKind, mask_id, mask_phone, parse_applicant_id
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

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


def applicant_details_check(
    *,
    id_number: str,
    name: str,
    phone: str = "",
    email: str = "",
    address: str = "",
    postal_code: str = "",
    organisation_category: str = "",
    legal_representative: str = "",
) -> dict[str, str]:
    """The details as a new profile would hold them (mobile as 11 digits, spaces trimmed),
    or ValidationError keyed by field. Touches no database, so a form checks details the
    same way whether or not the number is on file."""
    try:
        parsed = parse_applicant_id(id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    kind = ApplicantKind.PERSON if parsed.kind == IdKind.RESIDENT else ApplicantKind.ORGANISATION
    given = {
        "name": name,
        "phone": phone,
        "email": email,
        "address": address,
        "postal_code": postal_code,
        "organisation_category": organisation_category,
        "legal_representative": legal_representative,
    }
    candidate = Applicant(
        kind=kind, id_number=parsed.number, **{k: (v or "").strip() for k, v in given.items()}
    )
    _clean_profile(candidate)
    return {"id_number": parsed.number, "kind": kind, **{k: getattr(candidate, k) for k in given}}


def applicant_find_or_create(
    *,
    id_number: str,
    name: str,
    phone: str = "",
    email: str = "",
    address: str = "",
    postal_code: str = "",
    organisation_category: str = "",
    legal_representative: str = "",
    actor: Actor,
) -> Applicant:
    """The applicant with this resident ID or USCC, created (audited) from the details
    given when the number is new. An existing profile is returned as it is: an ID number
    and a name are no proof of identity, so nothing typed into a form ever changes a
    profile on file. Changes go through ``applicant_update`` (the signed-in applicant's
    own contact details), ``phone_change_request``/``phone_change_verify`` (mobile, with
    codes to both numbers) or ``applicant_correct_at_window`` (staff who saw the document).
    """
    details = applicant_details_check(
        id_number=id_number,
        name=name,
        phone=phone,
        email=email,
        address=address,
        postal_code=postal_code,
        organisation_category=organisation_category,
        legal_representative=legal_representative,
    )
    with transaction.atomic():
        existing = Applicant.objects.filter(id_number=details["id_number"]).first()
        if existing is not None:
            return existing
        applicant = Applicant(**details)
        try:
            with transaction.atomic():
                applicant.save()
        except IntegrityError:
            # Created by a concurrent request between our read and write: use that one.
            return Applicant.objects.get(id_number=details["id_number"])
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


# The sign-in factor: changed only by the verified flows below, never by ``applicant_update``.
VERIFIED_FIELDS = {"phone"}


def applicant_update(*, applicant: Applicant, actor: Actor, **fields: Any) -> Applicant:
    """Change profile fields (not the ID number, the kind or the mobile). Audited with
    before and after. Callers are the signed-in applicant (own contact details) and
    trusted setup code; the mobile needs ``phone_change_verify`` or
    ``applicant_correct_at_window``."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    if set(fields) & VERIFIED_FIELDS:
        raise ValueError("the mobile changes only through a verified flow")
    return _profile_write(applicant=applicant, actor=actor, action="applicant.update", **fields)


def _profile_write(
    *, applicant: Applicant, actor: Actor, action: str, note: str = "", **fields: Any
) -> Applicant:
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
            action=action,
            obj=applicant,
            object_repr=applicant.audit_label,
            changes=changes,
            note=note,
        )
        return applicant


WINDOW_ROLES = (Role.WINDOW_CLERK,)


def applicant_correct_at_window(
    *, applicant: Applicant, actor: Actor, note: str = "", **fields: Any
) -> Applicant:
    """A window clerk, with the applicant and the original ID document in front of them,
    corrects the profile: name, mobile, contact details. The clerk is the actor; the audit
    row says it was done at the window. Pending codes for the old mobile are voided."""
    from django.core.exceptions import PermissionDenied

    if isinstance(actor, str) or not scope_paths(actor, WINDOW_ROLES):
        raise PermissionDenied("只有窗口工作人员可以在核验证件后更正申请人登记信息")
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        before_phone = Applicant.objects.select_for_update().get(pk=applicant.pk).phone
        applicant = _profile_write(
            applicant=applicant,
            actor=actor,
            action="applicant.correct_at_window",
            note=note.strip()[:200] or "窗口核验身份证件原件后更正",
            **fields,
        )
        if applicant.phone != before_phone:
            _void_pending_codes(applicant)
            _tell_old_phone(applicant, old_phone=before_phone, where="在政务服务窗口")
    return applicant


def _tell_old_phone(applicant: Applicant, *, old_phone: str, where: str) -> None:
    """Tell the old mobile (and the e-mail on file) that the sign-in mobile changed, so a
    change the holder did not make is noticed at once. Runs in the caller's transaction:
    the notice goes out only if the change commits."""
    from sanyi.notify.services import notify_applicant

    notify_applicant(
        applicant=applicant,
        event="applicant.phone_changed",
        subject="您的登录手机号已更改",
        body=(
            f"您在本平台登记的手机号已{where}更改为{mask_phone(applicant.phone)}，"
            "今后请用新手机号登录。如果不是您本人办理，请立即携带身份证件到任一政务服务窗口处理。"
        ),
        link="/my/",
        obj=applicant,
        phone=old_phone,
    )


@transaction.atomic
def applicant_set_wallet_consent(*, applicant: Applicant, consent: bool, actor: Actor) -> Applicant:
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
    document: UploadedFile,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    scope_note: str = "",
    actor: Actor,
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
    *, authorisation: AgentAuthorisation, actor: Actor, reason: str = ""
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


def _limit_wait(
    rows: QuerySet[SignInCode], limit: int, window: dt.timedelta, now: dt.datetime
) -> dt.timedelta | None:
    """When ``rows`` (codes of the last ``window``) reach ``limit``: the time until the
    oldest of the newest ``limit`` of them leaves the window; else None."""
    times = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
    if limit <= 0 or len(times) < limit:
        return None if limit > 0 else window
    return times[limit - 1] + window - now


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
        _limit_wait(recent.filter(id_number=id_number), per_number, hour, now),
        _limit_wait(recent.filter(phones), per_number, hour, now),
        _limit_wait(recent.filter(id_number=id_number, created_at__gte=now - gap), 1, gap, now),
        _limit_wait(recent.filter(ip=ip), per_ip, hour, now) if ip else None,
    ]
    reached = [w for w in waits if w is not None]
    if reached:
        raise RateLimited(max(reached))


def _code_text(code: str, purpose: str, what: str = "") -> str:
    site = getattr(settings, "SANYI_SMS_SIGNATURE", "") or getattr(settings, "SANYI_SITE_NAME", "")
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
    if purpose not in (SignInPurpose.LOGIN, SignInPurpose.REGISTER):
        raise ValueError("a phone change needs phone_change_request (codes to both numbers)")
    if errors:
        raise ValidationError(errors)
    _check_rate(id_number=number, phone=mobile, ip=ip, now=now)

    on_file = Applicant.objects.filter(id_number=number).first()
    if purpose == SignInPurpose.LOGIN:
        send = on_file is not None and normalise_mobile(on_file.phone) == mobile
    else:
        send = on_file is None or normalise_mobile(on_file.phone) == mobile
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
            applicant = applicant_find_or_create(
                id_number=challenge.id_number,
                name=challenge.name,
                phone=challenge.phone,
                actor=label,
            )
            if normalise_mobile(applicant.phone) != challenge.phone:
                # Created concurrently by someone else: never hand over that profile.
                raise ValidationError({"code": "这个证件号码已经注册，请用登记的手机号登录"})
    else:
        applicant = challenge.applicant
    audit_record(
        actor=label,
        action="applicant.sign_in",
        obj=applicant,
        object_repr=applicant.audit_label,
        note=challenge.get_purpose_display(),
    )
    return applicant


# --- changing the mobile ---------------------------------------------------------------------

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
    from sanyi.notify.channels import sms_provider

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
    code, old_code = (f"{secrets.randbelow(10**6):06d}" for _ in range(2))
    salt = secrets.token_hex(16)
    challenge = SignInCode.objects.create(
        purpose=SignInPurpose.CHANGE_PHONE,
        id_number=applicant.id_number,
        phone=new,
        old_phone=old,
        applicant=applicant,
        sent=True,
        salt=salt,
        code_hash=_hash_code(salt, code),
        old_code_hash=_hash_code(salt, f"old:{old_code}"),
        expires_at=now + code_ttl(),
        ip=ip,
    )
    for number, text in (
        (new, _code_text(code, SignInPurpose.CHANGE_PHONE, "把本号码设为登录手机号")),
        (old, _code_text(old_code, SignInPurpose.CHANGE_PHONE, "把登录手机号从本号码换成新号码")),
    ):
        try:
            sms_provider().send(phone=number, text=text)
        except Exception:
            log.exception("phone change SMS to %s failed", mask_phone(number))
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
        new_ok = constant_time_compare(
            challenge.code_hash, _hash_code(challenge.salt, (new_code or "").strip())
        )
        old_ok = constant_time_compare(
            challenge.old_code_hash,
            _hash_code(challenge.salt, f"old:{(old_code or '').strip()}"),
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


def _void_pending_codes(applicant: Applicant, now: dt.datetime | None = None) -> None:
    """After the mobile changed, no code sent before the change may still be used."""
    SignInCode.objects.filter(id_number=applicant.id_number, used_at__isnull=True).update(
        used_at=now or timezone.now()
    )


def signin_codes_purge(
    *, older_than: dt.timedelta = dt.timedelta(days=7), now: datetime | None = None
) -> int:
    """Delete old code rows (they hold ID numbers and are only needed for rate limits)."""
    now = now or timezone.now()
    deleted, _ = SignInCode.objects.filter(created_at__lt=now - older_than).delete()
    return deleted
