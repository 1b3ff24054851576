"""Registering a request: numbers and query codes, applicants, online and counter intake,
confirmation of receipt (Art. 31) and assignment."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.applicants.services import applicant_details_check, applicant_find_or_create
from sanyi.core.actors import Actor, actor_user
from sanyi.core.ids import IdKind, parse_applicant_id
from sanyi.disclosure_requests.choices import (
    ApplicantColumn,
    DeliveryForm,
    EventKind,
    IntakeChannel,
    RequestStatus,
)
from sanyi.disclosure_requests.models import (
    InfoRequest,
    RequestCounter,
)
from sanyi.disclosure_requests.services._common import (
    AGENCY_KINDS,
    QUERY_CODE_ALPHABET,
    QUERY_CODE_LENGTH,
    _audit,
    _audit_step,
    _event,
    _in_order,
    _known,
    _not_before,
    _on,
    _refresh_due,
    _require_officer,
    _staff_link,
    _tell_applicant,
    _today,
    _transition,
    request_title,
)
from sanyi.notify.services import notify_staff
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role

if TYPE_CHECKING:
    from sanyi.orgs.models import User


# Numbers and query codes -----------------------------------------------------------------


def allocate_number(agency: OrgUnit, year: int) -> str:
    """``GK<year>-<agency id, 4 digits>-<sequence per agency and year, 5 digits>``."""
    counter, _ = RequestCounter.objects.select_for_update().get_or_create(agency=agency, year=year)
    counter.last += 1
    if counter.last > 99999:
        raise ValidationError({"number": f"{agency.name}{year}年的申请编号已用完"})
    counter.save(update_fields=["last"])
    return f"GK{year}-{agency.pk:04d}-{counter.last:05d}"


def _code_hash(number: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{number}:{code.upper()}".encode(), hashlib.sha256).hexdigest()


def _new_code(idempotency_key: str = "") -> str:
    if idempotency_key:
        # A retry of the same submission shows the same code again, without storing it.
        raw = hmac.new(
            settings.SECRET_KEY.encode(), f"query-code:{idempotency_key}".encode(), hashlib.sha256
        ).digest()
        return "".join(QUERY_CODE_ALPHABET[b % len(QUERY_CODE_ALPHABET)] for b in raw[:8])
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def query_code_matches(request: InfoRequest, code: str) -> bool:
    code = "".join(str(code or "").split()).upper()
    if not code:
        return False
    return hmac.compare_digest(request.query_code_hash, _code_hash(request.number, code))


# Applicants -------------------------------------------------------------------------------


def _check_applicant(
    *, id_number: str, name: str, organisation_category: str, phone: str, email: str, address: str
) -> tuple[Any, Any, str, dict[str, str]]:
    """(parsed ID, kind, category, errors) without touching the database."""
    errors: dict[str, str] = {}
    parsed = kind = None
    try:
        parsed = parse_applicant_id(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages[0]
    if not (name or "").strip():
        errors["name"] = "请填写申请人姓名或名称"
    if parsed is not None:
        is_person = parsed.kind == IdKind.RESIDENT
        kind = ApplicantKind.PERSON if is_person else ApplicantKind.ORGANISATION
        if is_person:
            organisation_category = ""
        elif organisation_category not in ApplicantColumn.values or organisation_category in (
            "",
            ApplicantColumn.NATURAL_PERSON,
        ):
            errors["organisation_category"] = "法人或其他组织请选择组织类别"
    if not (phone or email or address):
        errors["phone"] = "请至少留下一种联系方式（电话、电子邮箱或地址）"
    return parsed, kind, organisation_category, errors


def applicant_for_request(
    *,
    id_number: str,
    name: str,
    organisation_category: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    postal_code: str = "",
    actor: Actor | None = None,
) -> Applicant:
    """The applicant with this ID number; created from the details given when the number
    is new (audited; actor: the staff member, else the applicant). An existing profile is
    never changed and its name is never compared with the one given: the request keeps
    what was written on it (``request_contact``), and the answer is the same whether or
    not a name matches the number, so the form is no oracle for who is registered."""
    parsed, _kind, organisation_category, errors = _check_applicant(
        id_number=id_number,
        name=name,
        organisation_category=organisation_category,
        phone=phone,
        email=email,
        address=address,
    )
    if errors:
        raise ValidationError(errors)
    return applicant_find_or_create(
        id_number=parsed.number,
        name=name,
        phone=phone,
        email=email,
        address=address,
        postal_code=postal_code,
        organisation_category=organisation_category,
        actor=actor or f"申请人：{parsed.masked}",
    )


def request_contact(
    *, name: str, phone: str = "", email: str = "", address: str = "", postal_code: str = ""
) -> dict[str, str]:
    """The contact written on one request, as stored on it."""
    return {
        "contact_name": (name or "").strip()[:100],
        "contact_phone": (phone or "").strip()[:20],
        "contact_email": (email or "").strip(),
        "contact_address": (address or "").strip()[:200],
        "contact_postal_code": (postal_code or "").strip()[:6],
    }


def applicant_column_of(applicant: Applicant, organisation_category: str = "") -> str:
    """The annual report column: the category on file, else the one given on the request."""
    if applicant.kind == ApplicantKind.PERSON:
        return ApplicantColumn.NATURAL_PERSON
    return applicant.organisation_category or organisation_category or ApplicantColumn.OTHER


# Intake -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    request: InfoRequest
    query_code: str  # shown once to the applicant; only its hash is stored
    created: bool


def _clean_intake(
    agency: OrgUnit, description: str, delivery_form: str, postal_code: str = "", **applicant: Any
) -> dict:
    """The request's contact as stored, or every error at once. The details are checked the
    same way for a new and for a registered ID number (no oracle)."""
    _parsed, _kind, category, errors = _check_applicant(**applicant)
    details = {}
    if "id_number" not in errors:
        try:
            details = applicant_details_check(
                id_number=applicant["id_number"],
                name=applicant["name"] or "",
                phone=applicant["phone"] or "",
                email=applicant["email"] or "",
                address=applicant["address"] or "",
                postal_code=postal_code or "",
                organisation_category=category or "",
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, messages[0])
    if agency is None or agency.kind not in AGENCY_KINDS or not agency.is_active:
        errors["agency"] = "请选择受理申请的行政机关"
    if not (description or "").strip():
        errors["description"] = "请写明所需政府信息的名称、文号或便于查询的其他特征性描述"
    elif len(description) > 5000:
        errors["description"] = "所需信息的描述不能超过5000字"
    if delivery_form not in DeliveryForm.values:
        errors["delivery_form"] = "请选择获取信息的方式"
    if errors:
        raise ValidationError(errors)
    return request_contact(
        name=details["name"],
        phone=details["phone"],
        email=details["email"],
        address=details["address"],
        postal_code=details["postal_code"],
    )


def _create(
    *,
    actor: Actor,
    agency: OrgUnit,
    applicant: Applicant,
    channel: str,
    submitted_on: dt.date,
    description: str,
    purpose: str,
    delivery_form: str,
    contact: dict[str, str],
    organisation_category: str = "",
    idempotency_key: str = "",
    assigned_to: User | None = None,
) -> Submission:
    code = _new_code(idempotency_key)
    number = allocate_number(agency, submitted_on.year)
    request = InfoRequest.objects.create(
        number=number,
        agency=agency,
        applicant=applicant,
        applicant_column=applicant_column_of(applicant, organisation_category),
        **contact,
        channel=channel,
        query_code_hash=_code_hash(number, code),
        idempotency_key=idempotency_key,
        submitted_on=submitted_on,
        description=description.strip(),
        purpose=(purpose or "").strip(),
        delivery_form=delivery_form,
        assigned_to=assigned_to,
    )
    return Submission(request, code, True)


def request_submit_online(
    *,
    agency: OrgUnit,
    id_number: str,
    name: str,
    description: str,
    delivery_form: str,
    purpose: str = "",
    organisation_category: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    postal_code: str = "",
    idempotency_key: str = "",
    on: dt.date | None = None,
) -> Submission:
    """An applicant submits a request online. It is received when the agency confirms it
    (Art. 31). A retry with the same ``idempotency_key`` returns the same request and code.

    Long because it takes every field of the online form as a keyword, and the retry
    (same key) is answered both before the insert and when two retries race into it."""
    on = _on(on)
    idempotency_key = (idempotency_key or "").strip()[:64]
    if idempotency_key:
        existing = InfoRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return Submission(existing, _new_code(idempotency_key), False)
    contact = _clean_intake(
        agency,
        description,
        delivery_form,
        id_number=id_number,
        name=name,
        organisation_category=organisation_category,
        phone=phone,
        email=email,
        address=address,
        postal_code=postal_code,
    )
    try:
        with transaction.atomic():
            applicant = applicant_for_request(
                id_number=id_number,
                name=name,
                organisation_category=organisation_category,
                phone=phone,
                email=email,
                address=address,
                postal_code=postal_code,
            )
            actor = applicant.audit_label
            sub = _create(
                actor=actor,
                agency=agency,
                applicant=applicant,
                contact=contact,
                organisation_category=organisation_category,
                channel=IntakeChannel.ONLINE,
                submitted_on=on,
                description=description,
                purpose=purpose,
                delivery_form=delivery_form,
                idempotency_key=idempotency_key,
            )
            request = sub.request
            _event(request, kind=EventKind.SUBMITTED, on=on, actor=actor)
            _audit(actor, "disclosure_request.submit", request, channel=IntakeChannel.ONLINE)
            _tell_submitted(request, agency)
            return sub
    except ValidationError:
        raise
    except IntegrityError:
        # Two retries racing: the second insert hits the unique key; return the first.
        if idempotency_key:
            existing = InfoRequest.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return Submission(existing, _new_code(idempotency_key), False)
        raise


def _tell_submitted(request: InfoRequest, agency: OrgUnit) -> None:
    """The agency's officers get the new online request; the applicant learns what follows."""
    notify_staff(
        event="request.submitted",
        subject=f"新的政府信息公开申请 {request.number}",
        body=f"{agency.name}收到网上申请，请确认收到并办理。",
        link=_staff_link(request),
        obj=request,
        unit=agency,
        roles=[Role.DISCLOSURE_OFFICER],
        dedupe_key=f"request:{request.pk}:submitted",
    )
    _tell_applicant(
        request,
        event="request.submitted",
        subject=f"{request_title(request)}已提交",
        body=(f"{agency.name}确认收到后开始计算答复期限。请凭申请编号和查询码查询办理进度。"),
    )


def request_register(
    *,
    actor: Actor,
    agency: OrgUnit,
    channel: str,
    id_number: str,
    name: str,
    description: str,
    delivery_form: str,
    received_on: dt.date | None = None,
    submitted_on: dt.date | None = None,
    purpose: str = "",
    organisation_category: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    postal_code: str = "",
    assigned_to: User | None = None,
) -> Submission:
    """Staff register a request handed in at the counter, by post or by fax.

    ``received_on`` follows Art. 31: in person the day it was handed in, by post the day
    the agency signed for the letter, by fax the day it arrived. ``submitted_on`` (by post:
    the day it was sent) defaults to ``received_on``.

    Long because it takes every field of the paper form as a keyword (a third of its
    length); the steps themselves are the named helpers shared with online intake."""
    received_on = _on(received_on, "received_on")
    submitted_on = _on(submitted_on, "submitted_on") if submitted_on else received_on
    if channel not in (IntakeChannel.IN_PERSON, IntakeChannel.POST, IntakeChannel.FAX):
        raise ValidationError({"channel": "工作人员登记的申请应为当面提交、邮寄或传真"})
    if submitted_on > received_on:
        raise ValidationError({"submitted_on": "提交日期不能晚于收到日期"})
    contact = _clean_intake(
        agency,
        description,
        delivery_form,
        id_number=id_number,
        name=name,
        organisation_category=organisation_category,
        phone=phone,
        email=email,
        address=address,
        postal_code=postal_code,
    )
    _require_officer(actor, agency, roles=(Role.DISCLOSURE_OFFICER, Role.WINDOW_CLERK))
    with transaction.atomic():
        applicant = applicant_for_request(
            id_number=id_number,
            name=name,
            organisation_category=organisation_category,
            phone=phone,
            email=email,
            address=address,
            postal_code=postal_code,
            actor=actor,
        )
        sub = _create(
            actor=actor,
            agency=agency,
            applicant=applicant,
            contact=contact,
            organisation_category=organisation_category,
            channel=channel,
            submitted_on=submitted_on,
            description=description,
            purpose=purpose,
            delivery_form=delivery_form,
            assigned_to=assigned_to or _default_assignee(actor, agency),
        )
        request = sub.request
        _receive(request, received_on)
        _event(
            request,
            kind=EventKind.REGISTERED,
            on=received_on,
            actor=actor,
            note=f"{IntakeChannel(channel).label}，收到日期{received_on.isoformat()}",
        )
        _audit(actor, "disclosure_request.register", request, channel=channel)
        _tell_received(request)
        return sub


def _default_assignee(actor: Actor, agency: OrgUnit) -> User | None:
    """The registering officer handles the request; a window clerk only registers it."""
    user = actor_user(actor)
    if user is not None and has_role(user, Role.DISCLOSURE_OFFICER, agency):
        return user
    return None


def _receive(request: InfoRequest, received_on: dt.date) -> None:
    request.received_on = received_on
    request.clock_start_on = received_on
    request.status = RequestStatus.IN_PROGRESS
    _refresh_due(request)
    request.save()


def _tell_received(request: InfoRequest) -> None:
    _tell_applicant(
        request,
        event="request.received",
        subject=f"{request_title(request)}已由{request.agency.name}收到",
        body=(
            f"收到日期：{_known(request.received_on, 'date of receipt').isoformat()}。"
            f"答复期限：{_known(request.reply_due_on, 'reply due date').isoformat()}"
            f"{'（暂定）' if request.due_provisional else ''}。"
        ),
    )


def request_confirm(
    *, actor: Actor, request: InfoRequest, on: dt.date | None = None
) -> InfoRequest:
    """The agency confirms an online request: the day of confirmation is the day of receipt."""
    on = _on(on)
    with _transition(
        request,
        actor=actor,
        allowed=(RequestStatus.AWAITING_CONFIRMATION,),
        doing="确认收到",
    ) as step:
        request = step.obj
        _not_before(on, request.submitted_on, "提交日期")
        _in_order(request, on)
        _receive(request, on)
        if request.assigned_to is None and (assignee := _default_assignee(actor, request.agency)):
            request.assigned_to = assignee
            request.save(update_fields=["assigned_to"])
        _event(request, kind=EventKind.CONFIRMED, on=on, actor=actor)
        _audit_step(step, "disclosure_request.confirm", received_on=[None, on])
        _tell_received(request)
    return request


def request_assign(*, actor: Actor, request: InfoRequest, officer: User) -> InfoRequest:
    # Any status: the officer handling a request can change at any time.
    with _transition(request, actor=actor, allowed=RequestStatus.values) as step:
        request = step.obj
        if not has_role(officer, Role.DISCLOSURE_OFFICER, request.agency):
            raise ValidationError({"officer": "承办人应为该机关的政务公开专员"})
        before = request.assigned_to_id
        request.assigned_to = officer
        request.save(update_fields=["assigned_to", "updated_at"])
        _event(
            request,
            kind=EventKind.ASSIGNED,
            on=_today(),
            actor=actor,
            note=officer.get_full_name() or officer.get_username(),
            due_before=request.reply_due_on,
        )
        _audit_step(step, "disclosure_request.assign", assigned_to=[before, officer.pk])
    return request
