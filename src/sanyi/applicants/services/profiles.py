"""Applicant profiles: found or created by ID number, and changed only by their holder or at a
window (docs/adr/0008-applicant-profile-changes.md).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanyi.applicants.models import (
    Applicant,
    ApplicantKind,
    OrganisationCategory,
    SignInCode,
)
from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor, is_user
from sanyi.core.ids import IdKind, mask_phone, parse_applicant_id
from sanyi.core.registry import applicant_grid
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import scope_paths

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
        # The one check constraint (an organisation category only for organisations) is
        # checked above in words people read; left to full_clean it costs a query.
        applicant.full_clean(
            exclude=["id_number", "grid"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _place_in_grid(applicant: Applicant) -> None:
    """Put the applicant in the grid whose boundary covers their address (the grid app's
    address mapping), so grid officers find the household without anything more being
    collected. No mapping, or an address outside every grid: no grid."""
    found = applicant_grid(applicant)
    applicant.grid = found if isinstance(found, OrgUnit) else None


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
        _place_in_grid(applicant)
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
        if "address" in fields and "grid" not in fields and applicant.address != before["address"]:
            applicant.grid = None
            _place_in_grid(applicant)
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

    if not is_user(actor) or not scope_paths(actor, WINDOW_ROLES):
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


def _void_pending_codes(applicant: Applicant, now: dt.datetime | None = None) -> None:
    """After the mobile changed, no code sent before the change may still be used."""
    SignInCode.objects.filter(id_number=applicant.id_number, used_at__isnull=True).update(
        used_at=now or timezone.now()
    )
