"""Handling requests for information: intake, clocks, replies, fees and appeals.

Every write names its actor (a staff User, or a label such as "系统：定时任务" or
"申请人：4301****123X"), runs in one transaction, writes an audit row and a ledger row
(``RequestEvent``), and writes the applicant's or the staff's notifications in the same
transaction. Every action takes ``on``: the day it happened (default today, never in the
future), so history can be entered late and the demo can replay it.

A staff actor must be a disclosure officer of the agency (or of a unit above it); a window
clerk may also register requests handed in at the counter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.applicants.services import applicant_details_check, applicant_find_or_create
from sanyi.audit.services import audit_record
from sanyi.core.ids import IdKind, parse_applicant_id
from sanyi.disclosure_requests import clocks, fees
from sanyi.disclosure_requests.choices import (
    FINAL_STATUSES,
    AppealKind,
    AppealResult,
    ApplicantColumn,
    DeliveryForm,
    EventKind,
    FeeMethod,
    IntakeChannel,
    NoticeKind,
    Outcome,
    ReplyMethod,
    RequestStatus,
    StopKind,
)
from sanyi.disclosure_requests.models import (
    Appeal,
    ClockStop,
    InfoRequest,
    RequestCounter,
    RequestEvent,
    RequestNotice,
)
from sanyi.notify.services import notify_applicant, notify_staff, staff_recipients
from sanyi.orgs.models import OrgKind, OrgUnit, Role
from sanyi.orgs.permissions import has_role

# Kinds of org unit that are administrative agencies able to answer a request.
AGENCY_KINDS = {OrgKind.DISTRICT, OrgKind.DEPARTMENT, OrgKind.SUBDISTRICT, OrgKind.STATION}
SYSTEM_TASK = "系统：定时任务"
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8

REG = "《中华人民共和国政府信息公开条例》"
# The legal basis each reply cites unless the officer writes a more precise one.
DEFAULT_BASIS: dict[str, str] = {
    Outcome.DISCLOSE: REG + "第三十六条第（二）项",
    Outcome.PARTIAL: REG + "第三十七条",
    Outcome.WITHHOLD_STATE_SECRET: REG + "第十四条、第三十六条第（三）项",
    Outcome.WITHHOLD_LAW: REG + "第十四条、第三十六条第（三）项",
    Outcome.WITHHOLD_SECURITY: REG + "第十四条、第三十六条第（三）项",
    Outcome.WITHHOLD_THIRD_PARTY: REG + "第十五条、第三十二条、第三十六条第（三）项",
    Outcome.WITHHOLD_INTERNAL: REG + "第十六条第一款、第三十六条第（三）项",
    Outcome.WITHHOLD_PROCESS: REG + "第十六条第二款、第三十六条第（三）项",
    Outcome.WITHHOLD_ENFORCEMENT: REG + "第十六条第二款、第三十六条第（三）项",
    Outcome.WITHHOLD_INQUIRY: REG + "第三十六条第（七）项",
    Outcome.UNAVAILABLE_NOT_HELD: REG + "第三十六条第（四）项、第（五）项",
    Outcome.UNAVAILABLE_NEEDS_CREATION: REG + "第三十八条",
    Outcome.UNAVAILABLE_UNCLEAR: REG + "第三十条、第二十九条第二款",
    Outcome.NOT_PROCESSED_PETITION: REG + "第三十九条第一款",
    Outcome.NOT_PROCESSED_REPEAT: REG + "第三十六条第（六）项",
    Outcome.NOT_PROCESSED_PUBLICATION: REG + "第三十九条第二款",
    Outcome.NOT_PROCESSED_EXCESSIVE: REG + "第三十五条",
    Outcome.NOT_PROCESSED_CONFIRMATION: REG + "第三十九条第二款",
    Outcome.OTHER_NO_CORRECTION: REG + "第三十条",
    Outcome.OTHER_NO_FEE: REG + "第四十二条，国办函〔2020〕109号",
    Outcome.OTHER: REG,
}  # fmt: skip
WITHHOLD_OUTCOMES = {o for o in Outcome.values if o.startswith("withhold_")}
LAPSE_OUTCOMES = {Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_NO_FEE}


# Helpers -----------------------------------------------------------------------------------


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _on(on: dt.date | None, field: str = "on") -> dt.date:
    """The day an action happened: today by default, never in the future."""
    if on is None:
        return _today()
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise ValidationError({field: "日期格式不正确"})
    if on > _today():
        raise ValidationError({field: "日期不能晚于今天"})
    return on


def _actor_user(actor):
    return None if isinstance(actor, str) else actor


def _actor_label(actor) -> str:
    return actor if isinstance(actor, str) else (actor.get_full_name() or actor.get_username())


def _require_officer(actor, agency: OrgUnit, *, roles=(Role.DISCLOSURE_OFFICER,)) -> None:
    if isinstance(actor, str):
        return
    if not has_role(actor, roles, agency):
        raise PermissionDenied(f"您不是“{agency.name}”的政务公开专员，不能办理此申请")


def _locked(request: InfoRequest) -> InfoRequest:
    return (
        InfoRequest.objects.select_for_update()
        .select_related("agency", "applicant")
        .get(pk=request.pk)
    )


def _require_status(request: InfoRequest, *statuses: str, doing: str) -> None:
    if request.status not in statuses:
        raise ValidationError(
            {"status": f"申请当前状态为“{request.get_status_display()}”，不能{doing}"}
        )


def _not_before(on: dt.date, earlier: dt.date | None, what: str, field: str = "on") -> None:
    if earlier is not None and on < earlier:
        raise ValidationError({field: f"日期不能早于{what}（{earlier.isoformat()}）"})


# Ledger rows that do not move the handling on: they may be dated later than a late entry.
_SIDE_EVENTS = (
    EventKind.WARNED,
    EventKind.RECOMPUTED,
    EventKind.ASSIGNED,
    EventKind.APPEAL_FILED,
    EventKind.APPEAL_CONCLUDED,
)


def _in_order(request: InfoRequest, on: dt.date) -> None:
    """Steps are entered in the order they happened: not before the last step recorded."""
    last = (
        request.events.exclude(kind__in=_SIDE_EVENTS)
        .order_by("-on")
        .values_list("on", flat=True)
        .first()
    )
    if last is not None and on < last:
        raise ValidationError({"on": f"日期不能早于上一步办理日期（{last.isoformat()}）"})


def _event(request, *, kind, on, actor, note="", due_before=None, data=None) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        on=on,
        actor=_actor_user(actor),
        actor_label=_actor_label(actor)[:100],
        note=note,
        due_before=due_before,
        due_after=request.reply_due_on,
        data=data or {},
    )


def _issue_notice(request: InfoRequest, kind: str, on: dt.date) -> RequestNotice:
    """Write the notice PDF for the applicant and keep it with the request."""
    from sanyi.disclosure_requests import letters

    pdf = letters.notice_pdf(request, kind, on)
    notice = RequestNotice(
        request=request, kind=kind, issued_on=on, sha256=hashlib.sha256(pdf).hexdigest()
    )
    notice.file.save(f"{request.number}-{kind}.pdf", ContentFile(pdf), save=False)
    notice.save()
    return notice


def _refresh_due(request: InfoRequest) -> None:
    deadline = clocks.compute_due(request)
    request.reply_due_on = deadline.date if deadline else None
    request.due_provisional = bool(deadline and deadline.provisional)


def _link(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _track_link() -> str:
    return _link("disclosure_requests:track")


def _staff_link(request: InfoRequest) -> str:
    return _link("workbench:disclosure_requests:detail", request.pk)


def _tell_applicant(request: InfoRequest, *, event: str, subject: str, body: str) -> None:
    # Deliveries go to the contact written on the request, not to the profile on file:
    # whoever made the request hears about it, and nothing on the request changes where
    # the applicant's other messages go.
    notify_applicant(
        applicant=request.applicant,
        email=request.contact_email,
        phone=request.contact_phone,
        event=event,
        subject=subject,
        body=body,
        link=_track_link(),
        obj=request,
        dedupe_key=f"request:{request.pk}:{event}:{request.status}:{request.reply_due_on}",
    )


def _audit(actor, action: str, request: InfoRequest, note: str = "", **changes: Any) -> None:
    audit_record(actor=actor, action=action, obj=request, changes=changes, note=note)


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


def _check_applicant(*, id_number, name, organisation_category, phone, email, address):
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
    actor=None,
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


def request_contact(*, name, phone="", email="", address="", postal_code="") -> dict[str, str]:
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


def _clean_intake(agency, description, delivery_form, postal_code="", **applicant) -> dict:
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
    actor,
    agency,
    applicant,
    channel,
    submitted_on,
    description,
    purpose,
    delivery_form,
    contact: dict[str, str],
    organisation_category: str = "",
    idempotency_key="",
    assigned_to=None,
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
    (Art. 31). A retry with the same ``idempotency_key`` returns the same request and code."""
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
                subject=f"您的政府信息公开申请已提交（{request.number}）",
                body=(
                    f"{agency.name}确认收到后开始计算答复期限。请凭申请编号和查询码查询办理进度。"
                ),
            )
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


def request_register(
    *,
    actor,
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
    assigned_to=None,
) -> Submission:
    """Staff register a request handed in at the counter, by post or by fax.

    ``received_on`` follows Art. 31: in person the day it was handed in, by post the day
    the agency signed for the letter, by fax the day it arrived. ``submitted_on`` (by post:
    the day it was sent) defaults to ``received_on``."""
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


def _default_assignee(actor, agency: OrgUnit):
    """The registering officer handles the request; a window clerk only registers it."""
    user = _actor_user(actor)
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
        subject=f"{request.agency.name}已收到您的政府信息公开申请（{request.number}）",
        body=(
            f"收到日期：{request.received_on.isoformat()}。"
            f"答复期限：{request.reply_due_on.isoformat()}"
            f"{'（暂定）' if request.due_provisional else ''}。"
        ),
    )


def request_confirm(*, actor, request: InfoRequest, on: dt.date | None = None) -> InfoRequest:
    """The agency confirms an online request: the day of confirmation is the day of receipt."""
    on = _on(on)
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        _require_status(request, RequestStatus.AWAITING_CONFIRMATION, doing="确认收到")
        _not_before(on, request.submitted_on, "提交日期")
        _in_order(request, on)
        _receive(request, on)
        if request.assigned_to is None and _default_assignee(actor, request.agency):
            request.assigned_to = actor
            request.save(update_fields=["assigned_to"])
        _event(request, kind=EventKind.CONFIRMED, on=on, actor=actor)
        _audit(actor, "disclosure_request.confirm", request, received_on=[None, on])
        _tell_received(request)
    return request


def request_assign(*, actor, request: InfoRequest, officer) -> InfoRequest:
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
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
        _audit(actor, "disclosure_request.assign", request, assigned_to=[before, officer.pk])
    return request


# Correction (Art. 30) ---------------------------------------------------------------------


def request_correction_notice(
    *,
    actor,
    request: InfoRequest,
    what: str,
    due_on: dt.date | None = None,
    on: dt.date | None = None,
) -> InfoRequest:
    """One consolidated correction notice, within 7 working days of receipt. The applicant
    gets ``due_on`` (default: 15 working days, setting SANYI_REQUEST_CORRECTION_DAYS)."""
    on = _on(on)
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        if request.correction_notice_on is not None:
            raise ValidationError(
                {"on": "补正通知只能发一次（条例第三十条：一次性告知需要补正的事项）"}
            )
        _require_status(request, RequestStatus.IN_PROGRESS, doing="发出补正通知")
        if request.stops.exists() or request.extension_days:
            raise ValidationError({"on": "已征求第三方意见、收费或延期的申请不能再要求补正"})
        _not_before(on, request.received_on, "收到申请日期")
        _in_order(request, on)
        limit = clocks.add_workdays_from(request.received_on, clocks.CORRECTION_NOTICE_DAYS)
        if on > limit:
            raise ValidationError(
                {
                    "on": (
                        f"补正通知应在收到申请之日起7个工作日内发出（最迟{limit.isoformat()}），"
                        "已超过期限，请直接答复"
                    )
                }
            )
        what = (what or "").strip()
        if not what:
            raise ValidationError({"what": "请一次性写明需要补正的事项和要求"})
        if due_on is None:
            due_on = clocks.add_workdays_from(on, clocks.correction_days(), roll=False)
        if due_on <= on:
            raise ValidationError({"due_on": "补正期限应晚于通知日期"})
        before = request.reply_due_on
        request.correction_notice_on = on
        request.correction_request = what
        request.correction_due_on = due_on
        request.status = RequestStatus.AWAITING_CORRECTION
        _refresh_due(request)
        request.save()
        _event(
            request,
            kind=EventKind.CORRECTION_NOTICE,
            on=on,
            actor=actor,
            note=what,
            due_before=before,
            data={"correction_due_on": due_on.isoformat()},
        )
        _issue_notice(request, NoticeKind.CORRECTION, on)
        _audit(actor, "disclosure_request.correction_notice", request, note=what)
        _tell_applicant(
            request,
            event="request.correction_needed",
            subject=f"您的政府信息公开申请需要补正（{request.number}）",
            body=(
                f"需要补正的事项：{what}\n请在{due_on.isoformat()}前补正。"
                "答复期限自收到补正后的申请之日起重新计算；"
                "无正当理由逾期不补正的，视为放弃申请。"
            ),
        )
    return request


def request_correction_received(
    *,
    actor,
    request: InfoRequest,
    on: dt.date | None = None,
    note: str = "",
    description: str = "",
) -> InfoRequest:
    """The corrected application arrived: the reply clock starts again from this day.
    After the applicant's deadline this needs a good reason in ``note``. ``description``,
    when given, replaces what is asked (the earlier text stays in the record)."""
    on = _on(on)
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        _require_status(request, RequestStatus.AWAITING_CORRECTION, doing="登记补正")
        _not_before(on, request.correction_notice_on, "补正通知日期")
        _in_order(request, on)
        if on > request.correction_due_on and not note.strip():
            raise ValidationError(
                {"note": "已超过补正期限，请写明申请人逾期的正当理由，或等待系统按放弃申请处理"}
            )
        before = request.reply_due_on
        data = {}
        description = (description or "").strip()
        if description and description != request.description:
            if len(description) > 5000:
                raise ValidationError({"description": "所需信息的描述不能超过5000字"})
            data["description_before"] = request.description
            request.description = description
        request.corrected_on = on
        request.clock_start_on = on
        request.status = RequestStatus.IN_PROGRESS
        _refresh_due(request)
        request.save()
        _event(
            request,
            kind=EventKind.CORRECTION_RECEIVED,
            on=on,
            actor=actor,
            note=note,
            due_before=before,
            data=data,
        )
        if isinstance(actor, str):
            notify_staff(
                event="request.corrected",
                subject=f"申请人已补正政府信息公开申请 {request.number}",
                body=f"答复期限重新计算，现为{request.reply_due_on.isoformat()}。",
                link=_staff_link(request),
                obj=request,
                users=[request.assigned_to] if request.assigned_to else None,
                unit=request.agency,
                roles=[Role.DISCLOSURE_OFFICER],
                dedupe_key=f"request:{request.pk}:corrected",
            )
        _audit(actor, "disclosure_request.correction_received", request, corrected_on=[None, on])
        _tell_applicant(
            request,
            event="request.corrected",
            subject=f"已收到您补正的申请（{request.number}）",
            body=f"答复期限重新计算，现为{request.reply_due_on.isoformat()}。",
        )
    return request


# Consultation (Art. 32) -------------------------------------------------------------------


def request_consultation_start(
    *, actor, request: InfoRequest, party: str, note: str = "", on: dt.date | None = None
) -> ClockStop:
    """Ask a third party for its opinion: it has 15 working days, which are not counted."""
    on = _on(on)
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        _require_status(request, RequestStatus.IN_PROGRESS, doing="征求第三方意见")
        _not_before(on, request.clock_start_on, "答复期限起算日")
        _in_order(request, on)
        if on > request.reply_due_on:
            raise ValidationError({"on": "答复期限已过，不能再征求第三方意见"})
        party = (party or "").strip()
        if not party:
            raise ValidationError({"party": "请填写第三方名称"})
        expected = clocks.add_workdays_from(on, clocks.CONSULTATION_DAYS, roll=False)
        stop = ClockStop.objects.create(
            request=request,
            kind=StopKind.CONSULTATION,
            started_on=on,
            expected_end_on=expected,
            party=party,
            note=note,
        )
        before = request.reply_due_on
        request.status = RequestStatus.CONSULTING
        _refresh_due(request)
        request.save()
        _event(
            request,
            kind=EventKind.CONSULTATION_STARTED,
            on=on,
            actor=actor,
            note=f"第三方：{party}；第三方答复期限{expected.isoformat()}",
            due_before=before,
            data={"stop": stop.pk},
        )
        _audit(actor, "disclosure_request.consultation_start", request, party=party)
        _tell_applicant(
            request,
            event="request.consultation",
            subject=f"您的申请正在征求第三方意见（{request.number}）",
            body=(
                "依照条例第三十二条，征求第三方意见所需时间不计算在答复期限内。"
                f"目前答复期限为{request.reply_due_on.isoformat()}。"
            ),
        )
    return stop


def request_consultation_end(
    *, actor, request: InfoRequest, note: str = "", on: dt.date | None = None
) -> ClockStop:
    """The third party answered (or its time ran out): the clock runs again."""
    on = _on(on)
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        _require_status(request, RequestStatus.CONSULTING, doing="结束征求意见")
        stop = request.stops.filter(kind=StopKind.CONSULTATION, ended_on__isnull=True).last()
        _not_before(on, stop.started_on, "开始征求意见日期")
        _in_order(request, on)
        stop.ended_on = on
        if note:
            stop.note = f"{stop.note}\n{note}".strip()
        stop.save(update_fields=["ended_on", "note"])
        before = request.reply_due_on
        request.status = RequestStatus.IN_PROGRESS
        _refresh_due(request)
        request.save()
        _event(
            request,
            kind=EventKind.CONSULTATION_ENDED,
            on=on,
            actor=actor,
            note=note,
            due_before=before,
            data={"stop": stop.pk},
        )
        _audit(actor, "disclosure_request.consultation_end", request, note=note)
    return stop


# Extension (Art. 33) ----------------------------------------------------------------------


def request_extend(
    *,
    actor,
    request: InfoRequest,
    days: int,
    reason: str,
    approver,
    on: dt.date | None = None,
) -> InfoRequest:
    """Extend the reply period once, by at most 20 working days, approved by another
    officer (disclosure officer or approver in scope), with a notice to the applicant."""
    on = _on(on)
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        _require_status(
            request, RequestStatus.IN_PROGRESS, RequestStatus.CONSULTING, doing="延长答复期限"
        )
        if request.extension_days:
            raise ValidationError({"days": "答复期限只能延长一次"})
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 20:
            raise ValidationError({"days": "延长的期限应为1至20个工作日"})
        if not (reason or "").strip():
            raise ValidationError({"reason": "请写明延期理由"})
        if approver is None:
            raise ValidationError({"approver": "延期须经批准，请选择批准人"})
        if _actor_user(actor) is not None and approver.pk == actor.pk:
            raise ValidationError({"approver": "批准人不能是经办人本人"})
        if not has_role(approver, (Role.DISCLOSURE_OFFICER, Role.APPROVER), request.agency):
            raise ValidationError({"approver": "批准人应为该机关的政务公开专员或审批负责人"})
        _not_before(on, request.clock_start_on, "答复期限起算日")
        _in_order(request, on)
        if on > request.reply_due_on:
            raise ValidationError({"on": "延期应在答复期限届满前决定，答复期限已过"})
        before = request.reply_due_on
        request.extended_on = on
        request.extension_days = days
        request.extension_reason = reason.strip()
        request.extension_approver = approver
        _refresh_due(request)
        request.save()
        _event(
            request,
            kind=EventKind.EXTENDED,
            on=on,
            actor=actor,
            note=f"延长{days}个工作日；批准人：{_actor_label(approver)}；理由：{reason.strip()}",
            due_before=before,
            data={"days": days, "approver": approver.pk},
        )
        _issue_notice(request, NoticeKind.EXTENSION, on)
        _audit(
            actor,
            "disclosure_request.extend",
            request,
            reply_due_on=[before, request.reply_due_on],
            approver=approver.pk,
        )
        _tell_applicant(
            request,
            event="request.extended",
            subject=f"您的申请答复期限已延长（{request.number}）",
            body=(
                f"因{reason.strip()}，经批准，答复期限延长{days}个工作日，"
                f"至{request.reply_due_on.isoformat()}"
                f"{'（暂定）' if request.due_provisional else ''}。"
            ),
        )
    return request


# Fees (Art. 42) ---------------------------------------------------------------------------


def monthly_ordinal(request: InfoRequest) -> int:
    """Which application of the month this is, for the applicant at this agency (按件计收)."""
    received = request.received_on
    earlier = InfoRequest.objects.filter(
        applicant_id=request.applicant_id,
        agency_id=request.agency_id,
        received_on__year=received.year,
        received_on__month=received.month,
    ).filter(received_on__lt=received) | InfoRequest.objects.filter(
        applicant_id=request.applicant_id,
        agency_id=request.agency_id,
        received_on=received,
        pk__lt=request.pk,
    )
    return earlier.count() + 1


def request_fee_notice(
    *,
    actor,
    request: InfoRequest,
    method: str,
    pages: int = 0,
    due_on: dt.date | None = None,
    on: dt.date | None = None,
) -> InfoRequest:
    """A fee notice by one method; the time until payment is not counted. Unpaid by the
    deadline (default 20 working days), the request closes as OTHER_NO_FEE."""
    on = _on(on)
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        _require_status(request, RequestStatus.IN_PROGRESS, doing="发出收费通知")
        if request.fee_method:
            raise ValidationError({"method": "一件申请只能发一次收费通知，且只能选一种计收方式"})
        if method == FeeMethod.PER_ITEM:
            units = monthly_ordinal(request)
            amount = fees.per_item_fee(units)
        elif method == FeeMethod.PER_PAGE:
            if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
                raise ValidationError({"pages": "请填写提供信息的页数（含折算页数）"})
            units = pages
            amount = fees.per_page_fee(pages)
        else:
            raise ValidationError({"method": "请选择按件计收或按量计收"})
        if amount == 0:
            raise ValidationError({"method": f"按此方式不收费：{fees.describe(method, units)}"})
        _not_before(on, request.clock_start_on, "答复期限起算日")
        _in_order(request, on)
        if on > request.reply_due_on:
            raise ValidationError({"on": "收费通知应在答复期限内发出"})
        if due_on is None:
            due_on = clocks.add_workdays_from(on, clocks.fee_days(), roll=False)
        if due_on <= on:
            raise ValidationError({"due_on": "缴费期限应晚于通知日期"})
        ClockStop.objects.create(
            request=request, kind=StopKind.FEE, started_on=on, expected_end_on=due_on
        )
        before = request.reply_due_on
        request.fee_method = method
        request.fee_units = units
        request.fee_amount = amount
        request.fee_notice_on = on
        request.fee_due_on = due_on
        request.status = RequestStatus.AWAITING_FEE
        _refresh_due(request)
        request.save()
        text = fees.describe(method, units)
        _event(
            request,
            kind=EventKind.FEE_NOTICE,
            on=on,
            actor=actor,
            note=text,
            due_before=before,
            data={"method": method, "units": units, "amount": amount},
        )
        _issue_notice(request, NoticeKind.FEE, on)
        _audit(actor, "disclosure_request.fee_notice", request, fee_amount=[0, amount])
        _tell_applicant(
            request,
            event="request.fee_notice",
            subject=f"您的申请需要缴纳信息处理费{amount}元（{request.number}）",
            body=(
                f"{text}\n请在{due_on.isoformat()}前缴纳；逾期未缴纳的，本机关不再处理该申请。"
                "收费通知至缴费期间不计算在答复期限内。"
            ),
        )
    return request


def request_fee_paid(*, actor, request: InfoRequest, on: dt.date | None = None) -> InfoRequest:
    on = _on(on)
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        _require_status(request, RequestStatus.AWAITING_FEE, doing="登记缴费")
        _not_before(on, request.fee_notice_on, "收费通知日期")
        _in_order(request, on)
        if on > request.fee_due_on:
            raise ValidationError({"on": "已超过缴费期限"})
        stop = request.stops.filter(kind=StopKind.FEE, ended_on__isnull=True).last()
        stop.ended_on = on
        stop.save(update_fields=["ended_on"])
        before = request.reply_due_on
        request.fee_paid_on = on
        request.status = RequestStatus.IN_PROGRESS
        _refresh_due(request)
        request.save()
        _event(request, kind=EventKind.FEE_PAID, on=on, actor=actor, due_before=before)
        _audit(actor, "disclosure_request.fee_paid", request, fee_paid_on=[None, on])
    return request


# Reply (Art. 36) --------------------------------------------------------------------------


def request_reply(
    *,
    actor,
    request: InfoRequest,
    outcome: str,
    text: str,
    legal_basis: str = "",
    referral: str = "",
    method: str = ReplyMethod.ONLINE,
    on_spot: bool = False,
    on: dt.date | None = None,
) -> InfoRequest:
    """Answer the request with one of the annual report's outcomes, and write the letter."""
    on = _on(on)
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        _require_status(
            request,
            RequestStatus.IN_PROGRESS,
            RequestStatus.CONSULTING,
            RequestStatus.AWAITING_CORRECTION,
            RequestStatus.AWAITING_FEE,
            doing="答复",
        )
        errors: dict[str, str] = {}
        if outcome not in Outcome.values:
            errors["outcome"] = "请选择办理结果"
        elif outcome == Outcome.OTHER_NO_CORRECTION:
            if request.status != RequestStatus.AWAITING_CORRECTION or (
                on <= request.correction_due_on
            ):
                errors["outcome"] = "只有补正期限已过仍未补正的申请，才能按逾期不补正处理"
        elif outcome == Outcome.OTHER_NO_FEE:
            if request.status != RequestStatus.AWAITING_FEE or on <= request.fee_due_on:
                errors["outcome"] = "只有缴费期限已过仍未缴费的申请，才能按逾期未缴费处理"
        elif request.status in (RequestStatus.AWAITING_CORRECTION, RequestStatus.AWAITING_FEE):
            errors["status"] = f"申请当前状态为“{request.get_status_display()}”，请先登记补正或缴费"
        if (
            outcome not in errors
            and outcome == Outcome.UNAVAILABLE_UNCLEAR
            and (request.corrected_on is None)
        ):
            errors["outcome"] = "“补正后申请内容仍不明确”只适用于已补正的申请"
        text = (text or "").strip()
        if not text:
            errors["text"] = "请填写答复内容"
        if method not in ReplyMethod.values:
            errors["method"] = "请选择送达方式"
        if errors:
            raise ValidationError(errors)
        start = request.received_on or request.submitted_on
        _not_before(on, start, "收到申请日期")
        _in_order(request, on)
        if on_spot and request.received_on != on:
            raise ValidationError({"on_spot": "当场答复的，答复日期应为收到申请之日"})
        _conclude(
            request,
            actor=actor,
            on=on,
            outcome=outcome,
            text=text,
            legal_basis=(legal_basis or "").strip() or DEFAULT_BASIS[outcome],
            referral=(referral or "").strip() if outcome == Outcome.UNAVAILABLE_NOT_HELD else "",
            method=method,
            on_spot=on_spot,
        )
    return request


def _conclude(request, *, actor, on, outcome, text, legal_basis, referral, method, on_spot):
    from sanyi.disclosure_requests import letters

    before = request.reply_due_on
    for stop in request.stops.filter(ended_on__isnull=True):
        # A consultation ends with the reply; an unpaid fee's stop ends at its deadline.
        end = on if stop.kind == StopKind.CONSULTATION else min(on, stop.expected_end_on)
        stop.ended_on = max(end, stop.started_on)
        stop.save(update_fields=["ended_on"])
    # The due date in force when the request ended stays on the record (for overdue counts).
    if request.status in (RequestStatus.IN_PROGRESS, RequestStatus.CONSULTING):
        _refresh_due(request)
    request.status = RequestStatus.CLOSED if outcome in LAPSE_OUTCOMES else RequestStatus.REPLIED
    request.outcome = outcome
    request.concluded_on = on
    request.reply_text = text
    request.reply_legal_basis = legal_basis
    request.reply_referral = referral
    request.reply_method = method
    request.reply_on_spot = on_spot
    request.replied_by = _actor_user(actor)
    pdf = letters.reply_letter_pdf(request)
    request.reply_letter_sha256 = hashlib.sha256(pdf).hexdigest()
    request.reply_letter.save(f"{request.number}.pdf", ContentFile(pdf), save=False)
    request.save()
    kind = {
        Outcome.OTHER_NO_CORRECTION: EventKind.CORRECTION_LAPSED,
        Outcome.OTHER_NO_FEE: EventKind.FEE_LAPSED,
    }.get(outcome, EventKind.REPLIED)
    _event(
        request,
        kind=kind,
        on=on,
        actor=actor,
        note=f"{Outcome(outcome).label}：{text[:200]}",
        due_before=before,
        data={"outcome": outcome, "on_spot": on_spot},
    )
    _audit(actor, "disclosure_request.reply", request, outcome=["", outcome], note=text[:200])
    _tell_applicant(
        request,
        event="request.replied",
        subject=f"您的政府信息公开申请已答复（{request.number}）",
        body=(
            f"办理结果：{Outcome(outcome).label}。"
            "请凭申请编号和查询码查看并下载答复书。"
            "如对答复不服，可以自收到答复之日起60日内申请行政复议，或者6个月内提起行政诉讼。"
        ),
    )


def request_withdraw(
    *, actor, request: InfoRequest, reason: str = "", on: dt.date | None = None
) -> InfoRequest:
    """The applicant withdraws the request (recorded by staff, or by the applicant online);
    it is counted under 其他处理 → 其他."""
    on = _on(on)
    with transaction.atomic():
        request = _locked(request)
        if not isinstance(actor, str):
            _require_officer(actor, request.agency)
        if request.status in FINAL_STATUSES:
            raise ValidationError({"status": "申请已办结，不能撤回"})
        _not_before(on, request.submitted_on, "提交日期")
        _in_order(request, on)
        for stop in request.stops.filter(ended_on__isnull=True):
            stop.ended_on = max(on, stop.started_on)
            stop.save(update_fields=["ended_on"])
        request.status = RequestStatus.WITHDRAWN
        request.outcome = Outcome.OTHER
        request.concluded_on = on
        request.reply_text = f"申请人撤回申请。{(reason or '').strip()}".strip()
        request.save()
        _event(request, kind=EventKind.WITHDRAWN, on=on, actor=actor, note=reason or "")
        _audit(actor, "disclosure_request.withdraw", request, note=reason or "")
        _tell_applicant(
            request,
            event="request.withdrawn",
            subject=f"您的政府信息公开申请已撤回（{request.number}）",
            body="该申请已按撤回办结。",
        )
    return request


# Lapses (background) ----------------------------------------------------------------------


def requests_close_lapsed(*, today: dt.date | None = None, actor=SYSTEM_TASK) -> int:
    """Close requests whose correction or payment deadline has passed (Art. 30; 109号)."""
    today = today or _today()
    closed = 0
    lapsed = InfoRequest.objects.filter(
        status=RequestStatus.AWAITING_CORRECTION, correction_due_on__lt=today
    ).values_list("pk", flat=True)
    for pk in list(lapsed):
        with transaction.atomic():
            request = _locked(InfoRequest(pk=pk))
            if request.status != RequestStatus.AWAITING_CORRECTION:
                continue
            on = request.correction_due_on + dt.timedelta(days=1)
            _conclude(
                request,
                actor=actor,
                on=on,
                outcome=Outcome.OTHER_NO_CORRECTION,
                text=(
                    f"本机关已于{request.correction_notice_on.isoformat()}告知您补正申请，"
                    f"您未在补正期限（{request.correction_due_on.isoformat()}）内补正，"
                    "视为放弃申请，本机关不再处理该政府信息公开申请。"
                ),
                legal_basis=DEFAULT_BASIS[Outcome.OTHER_NO_CORRECTION],
                referral="",
                method=ReplyMethod.ONLINE,
                on_spot=False,
            )
            closed += 1
    unpaid = InfoRequest.objects.filter(
        status=RequestStatus.AWAITING_FEE, fee_due_on__lt=today
    ).values_list("pk", flat=True)
    for pk in list(unpaid):
        with transaction.atomic():
            request = _locked(InfoRequest(pk=pk))
            if request.status != RequestStatus.AWAITING_FEE:
                continue
            on = request.fee_due_on + dt.timedelta(days=1)
            _conclude(
                request,
                actor=actor,
                on=on,
                outcome=Outcome.OTHER_NO_FEE,
                text=(
                    f"本机关已于{request.fee_notice_on.isoformat()}向您发出收费通知，"
                    f"您未在缴费期限（{request.fee_due_on.isoformat()}）内缴纳信息处理费，"
                    "本机关不再处理该政府信息公开申请。"
                ),
                legal_basis=DEFAULT_BASIS[Outcome.OTHER_NO_FEE],
                referral="",
                method=ReplyMethod.ONLINE,
                on_spot=False,
            )
            closed += 1
    return closed


# Warnings ---------------------------------------------------------------------------------


def requests_warn(*, today: dt.date | None = None) -> int:
    """Yellow and red warnings to the assigned officer and the agency's disclosure officers.
    Each request warns once per state and due date (a new due date may warn again)."""
    from sanyi.disclosure_requests.choices import ClockState

    today = today or _today()
    sent = 0
    open_requests = (
        InfoRequest.objects.filter(
            status__in=(RequestStatus.IN_PROGRESS, RequestStatus.CONSULTING),
            reply_due_on__isnull=False,
        )
        .select_related("agency", "assigned_to")
        .prefetch_related("stops")
    )
    for request in open_requests:
        clock = clocks.request_clock(request, today)
        if clock.state not in (ClockState.YELLOW, ClockState.RED):
            continue
        users = staff_recipients(unit=request.agency, roles=[Role.DISCLOSURE_OFFICER])
        if request.assigned_to and request.assigned_to.is_active:
            users = [request.assigned_to, *[u for u in users if u.pk != request.assigned_to_id]]
        if not users:
            continue
        red = clock.state == ClockState.RED
        with transaction.atomic():
            written = notify_staff(
                event="request.overdue" if red else "request.due_soon",
                subject=(
                    f"政府信息公开申请{request.number}已超过答复期限"
                    if red
                    else f"政府信息公开申请{request.number}即将到期"
                ),
                body=(
                    f"答复期限：{clock.due_on.isoformat()}"
                    f"{'（暂定）' if clock.provisional else ''}；"
                    f"已用{clock.elapsed}个工作日，剩余{clock.remaining}个工作日。"
                ),
                link=_staff_link(request),
                obj=request,
                users=users,
                dedupe_key=f"request:{request.pk}:{clock.state}:{clock.due_on.isoformat()}",
            )
            if written:
                _event(
                    request,
                    kind=EventKind.WARNED,
                    on=today,
                    actor=SYSTEM_TASK,
                    note=f"{clock.state_label}，已提醒{len(written)}人",
                    due_before=request.reply_due_on,
                    data={"state": clock.state},
                )
        sent += len(written)
    return sent + _warn_unconfirmed(today)


def _warn_unconfirmed(today: dt.date) -> int:
    """Online requests not yet confirmed after ``clocks.confirm_days()`` working days: the
    reply clock only starts at confirmation (Art. 31), so confirming late must not pass
    unnoticed."""
    sent = 0
    waiting = InfoRequest.objects.filter(
        status=RequestStatus.AWAITING_CONFIRMATION, submitted_on__lt=today
    ).select_related("agency")
    for request in waiting:
        if clocks.add_workdays_from(request.submitted_on, clocks.confirm_days()) >= today:
            continue
        users = staff_recipients(unit=request.agency, roles=[Role.DISCLOSURE_OFFICER])
        if not users:
            continue
        with transaction.atomic():
            written = notify_staff(
                event="request.unconfirmed",
                subject=f"网上申请{request.number}尚未确认收到",
                body=(
                    f"申请人于{request.submitted_on.isoformat()}提交，答复期限自确认之日起计算，"
                    "请及时确认。"
                ),
                link=_staff_link(request),
                obj=request,
                users=users,
                dedupe_key=f"request:{request.pk}:unconfirmed",
            )
        sent += len(written)
    return sent


# Recompute (calendar change) --------------------------------------------------------------


def request_recompute(*, request: InfoRequest, actor, reason: str = "", change=None) -> bool:
    """Recompute the due date from the ledger; record it when it moved. True if it moved."""
    with transaction.atomic():
        request = _locked(request)
        if not request.is_open:
            return False
        before, before_prov = request.reply_due_on, request.due_provisional
        for stop in request.stops.filter(kind=StopKind.CONSULTATION, ended_on__isnull=True):
            # The third party's 15 working days move with the calendar too.
            end = clocks.add_workdays_from(stop.started_on, clocks.CONSULTATION_DAYS, roll=False)
            if end != stop.expected_end_on:
                stop.expected_end_on = end
                stop.save(update_fields=["expected_end_on"])
        _refresh_due(request)
        if (request.reply_due_on, request.due_provisional) == (before, before_prov):
            return False
        request.save(update_fields=["reply_due_on", "due_provisional", "updated_at"])
        note = reason or "工作日历调整"
        _event(
            request,
            kind=EventKind.RECOMPUTED,
            on=_today(),
            actor=actor,
            note=note,
            due_before=before,
            data={
                "calendar_change": getattr(change, "pk", None),
                "provisional": [before_prov, request.due_provisional],
            },
        )
        _audit(
            actor,
            "disclosure_request.recompute",
            request,
            note=note,
            reply_due_on=[before, request.reply_due_on],
            due_provisional=[before_prov, request.due_provisional],
        )
        if request.reply_due_on != before:
            _tell_applicant(
                request,
                event="request.due_changed",
                subject=f"您的申请答复期限已调整（{request.number}）",
                body=(
                    f"因法定节假日安排调整，答复期限由{before}调整为"
                    f"{request.reply_due_on.isoformat()}"
                    f"{'（暂定）' if request.due_provisional else ''}。"
                ),
            )
    return True


def requests_recompute_open(*, years=None, actor=SYSTEM_TASK, change=None) -> int:
    """Recompute every open request whose clock may touch one of ``years``."""
    qs = InfoRequest.objects.filter(
        status__in=(
            RequestStatus.IN_PROGRESS,
            RequestStatus.CONSULTING,
            RequestStatus.AWAITING_FEE,
        ),
        clock_start_on__isnull=False,
    )
    if years:
        qs = qs.filter(clock_start_on__year__lte=max(years))
    reason = "工作日历调整"
    if years:
        reason += "（{}年）".format("、".join(str(y) for y in sorted(years)))
    moved = 0
    for pk in qs.values_list("pk", flat=True):
        if request_recompute(request=InfoRequest(pk=pk), actor=actor, reason=reason, change=change):
            moved += 1
    return moved


# Appeals ----------------------------------------------------------------------------------


def appeal_record(
    *,
    actor,
    request: InfoRequest,
    kind: str,
    filed_on: dt.date,
    authority: str,
    case_number: str = "",
    note: str = "",
) -> Appeal:
    """Record an administrative review or a lawsuit about a request."""
    filed_on = _on(filed_on, "filed_on")
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        errors: dict[str, str] = {}
        if kind not in AppealKind.values:
            errors["kind"] = "请选择行政复议或行政诉讼"
        if not (authority or "").strip():
            errors["authority"] = "请填写复议机关或人民法院"
        if request.received_on is None:
            errors["request"] = "申请尚未收到确认，不能登记复议或诉讼"
        elif filed_on < request.received_on:
            errors["filed_on"] = "提起日期不能早于收到申请日期"
        if (
            kind == AppealKind.LAWSUIT_AFTER_REVIEW
            and not request.appeals.filter(kind=AppealKind.REVIEW).exists()
        ):
            errors["kind"] = "“复议后起诉”须先有行政复议记录"
        if errors:
            raise ValidationError(errors)
        appeal = Appeal.objects.create(
            request=request,
            kind=kind,
            filed_on=filed_on,
            authority=authority.strip(),
            case_number=(case_number or "").strip(),
            note=(note or "").strip(),
        )
        _event(
            request,
            kind=EventKind.APPEAL_FILED,
            on=filed_on,
            actor=actor,
            note=f"{appeal.get_kind_display()}：{appeal.authority}",
            due_before=request.reply_due_on,
            data={"appeal": appeal.pk},
        )
        audit_record(actor=actor, action="disclosure_request.appeal", obj=appeal)
    return appeal


def appeal_conclude(
    *, actor, appeal: Appeal, result: str, concluded_on: dt.date, note: str = ""
) -> Appeal:
    concluded_on = _on(concluded_on, "concluded_on")
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update().select_related("request__agency").get(pk=appeal.pk)
        )
        _require_officer(actor, appeal.request.agency)
        if appeal.result != AppealResult.PENDING:
            raise ValidationError({"result": "该复议或诉讼已登记审结结果"})
        if result not in AppealResult.values or result == AppealResult.PENDING:
            raise ValidationError({"result": "请选择结果维持、结果纠正或其他结果"})
        if concluded_on < appeal.filed_on:
            raise ValidationError({"concluded_on": "审结日期不能早于提起日期"})
        appeal.result = result
        appeal.concluded_on = concluded_on
        if note:
            appeal.note = f"{appeal.note}\n{note}".strip()
        appeal.save()
        _event(
            appeal.request,
            kind=EventKind.APPEAL_CONCLUDED,
            on=concluded_on,
            actor=actor,
            note=f"{appeal.get_kind_display()}：{appeal.get_result_display()}",
            due_before=appeal.request.reply_due_on,
            data={"appeal": appeal.pk, "result": result},
        )
        audit_record(
            actor=actor,
            action="disclosure_request.appeal_conclude",
            obj=appeal,
            changes={"result": [AppealResult.PENDING, result]},
        )
    return appeal
