"""Recording a doorstep visit: the resident's confirmation code, the visit with its photos,
completing the case step through the cases services, and the audited look at the full ID
number where the step needs it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.cases.choices import TaskAction
from sanyi.cases.models import CaseTask
from sanyi.cases.services import task_act
from sanyi.core.idempotency import MAX_KEY_LENGTH
from sanyi.core.ids import mask_phone
from sanyi.grid import selectors
from sanyi.grid.models import Confirmation, Outcome, Visit, VisitCode, VisitPhoto
from sanyi.grid.services import resident_codes as codes
from sanyi.grid.services.photos import MAX_PHOTOS, photo_clean, signature_clean
from sanyi.orgs.models import User


def _task_of(actor: User, task: CaseTask) -> CaseTask:
    found = selectors.grid_task(actor, task.pk) if isinstance(actor, User) else None
    if found is None:
        raise PermissionDenied("该环节不是您所在网格的上门任务")
    return found


CODE_PURPOSE = "sanyi.grid.visit"


@dataclass(frozen=True)
class VisitCodeSent:
    code_id: int
    phone: str  # masked
    code: str  # plain, only for a demo site's page (console SMS); never stored


def visit_code_request(
    *, task: CaseTask, actor: User, now: dt.datetime | None = None
) -> VisitCodeSent:
    """Send a confirmation code to the mobile the resident has on file (one a minute, five
    an hour per step)."""
    now = now or timezone.now()
    task = _task_of(actor, task)
    phone = task.case.applicant.phone
    if not phone:
        raise ValidationError({"code": "申请人没有登记手机号，请居民在屏幕上签名确认"})
    codes.code_throttle(VisitCode.objects.filter(task=task), now)
    with transaction.atomic():
        row, code = codes.code_create(
            VisitCode, purpose=CODE_PURPOSE, now=now, task=task, officer=actor
        )
        audit_record(
            actor=actor,
            action="grid.visit_code_send",
            obj=task,
            note=f"向{mask_phone(phone)}发送走访确认码（办件{task.case.number}）",
        )
    codes.code_sms(
        phone=phone, code=code, use=f"用于确认网格员上门“{task.name}”，如非本人接待请忽略。"
    )
    return VisitCodeSent(code_id=row.pk, phone=mask_phone(phone), code=code)


@dataclass
class VisitInput:
    visited_at: dt.datetime
    outcome: str
    notes: str = ""
    photos: list[File] | None = None
    keep_location: bool = False
    confirmation: str = Confirmation.SMS
    code: str = ""
    signature: bytes = b""


def _check_input(data: VisitInput, now: dt.datetime) -> None:
    errors: dict[str, str] = {}
    if data.outcome not in Outcome.values:
        errors["outcome"] = "请选择走访结果"
    if data.visited_at > now + dt.timedelta(minutes=5):
        errors["visited_at"] = "走访时间不能晚于现在"
    if len(data.notes) > 2000:
        errors["notes"] = "情况记录不能超过2000字"
    if len(data.photos or []) > MAX_PHOTOS:
        errors["photos"] = f"最多上传{MAX_PHOTOS}张照片"
    if data.confirmation not in Confirmation.values:
        errors["confirmation"] = "请选择居民确认方式"
    elif data.confirmation == Confirmation.SIGNATURE and not data.signature:
        errors["signature"] = "请居民在屏幕上签名"
    if errors:
        raise ValidationError(errors)


def visit_record(
    *,
    task: CaseTask,
    actor: User,
    data: VisitInput,
    now: dt.datetime | None = None,
    idempotency_key: str = "",
    fingerprint: str = "",
) -> Visit:
    """Record the visit and complete the step (同意, to the next step) through
    ``cases.services.task_act``, so the case's clock moves as for any completed step.

    ``idempotency_key`` (optional, with the request's ``fingerprint``): a visit sent again
    with the key of an earlier one returns that visit and records nothing; the same key
    with different content raises ``IdempotencyConflict``."""
    now = now or timezone.now()
    key = (idempotency_key or "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationError({"idempotency_key": f"幂等键不超过{MAX_KEY_LENGTH}个字符"})
    earlier = selectors.visit_for_key(actor, key, fingerprint)
    if earlier is not None:
        return earlier
    try:
        return _visit_write(task, actor, data, now, key, fingerprint)
    except IntegrityError:
        # A parallel send of the same draft won the race: its visit is the answer.
        earlier = selectors.visit_for_key(actor, key, fingerprint)
        if earlier is None:
            raise
        return earlier


def _visit_write(
    task: CaseTask, actor: User, data: VisitInput, now: dt.datetime, key: str, fingerprint: str
) -> Visit:
    task = _task_of(actor, task)
    _check_input(data, now)
    code_row = (
        codes.code_check(
            VisitCode.objects.filter(task=task), purpose=CODE_PURPOSE, code=data.code, now=now
        )
        if data.confirmation == Confirmation.SMS
        else None
    )
    photos = [
        photo_clean(p, index=i, keep_location=data.keep_location)
        for i, p in enumerate(data.photos or [], start=1)
    ]
    signature = signature_clean(data.signature) if data.confirmation == "signature" else None
    with transaction.atomic():
        if code_row is not None:
            used = VisitCode.objects.filter(pk=code_row.pk, used_at__isnull=True).update(
                used_at=now
            )
            if not used:
                raise ValidationError({"code": codes.WRONG_CODE})
        visit = Visit(
            task=task,
            officer=actor,
            visited_at=data.visited_at,
            outcome=data.outcome,
            notes=data.notes.strip(),
            confirmation=data.confirmation,
            idempotency_key=key,
            request_fingerprint=fingerprint if key else "",
        )
        if signature is not None:
            visit.signature.save(signature.name or "signature.png", signature, save=False)
        visit.save()
        for content, digest in photos:
            photo = VisitPhoto(visit=visit, sha256=digest, location_kept=data.keep_location)
            photo.image.save(content.name or "photo.jpg", content, save=True)
        opinion = f"上门{task.name}：{Outcome(data.outcome).label}"
        if visit.notes:
            opinion += f"。{visit.notes[:500]}"
        task_act(task=task, action=TaskAction.APPROVE, actor=actor, opinion=opinion)
        audit_record(
            actor=actor,
            action="grid.visit_record",
            obj=visit,
            note=f"办件{task.case.number}“{task.name}”上门走访，"
            f"{Confirmation(data.confirmation).label}确认，照片{len(photos)}张",
        )
    return visit


@transaction.atomic
def visit_id_reveal(*, task: CaseTask, actor: User) -> str:
    """The applicant's full ID number at a step that checks the person at the door; the
    look is recorded."""
    task = _task_of(actor, task)
    if not selectors.step_needs_full_id(task):
        raise PermissionDenied("该环节不需要查看完整证件号码")
    applicant = task.case.applicant
    audit_record(
        actor=actor,
        action="grid.id_viewed",
        obj=task,
        note=f"上门{task.name}时查看申请人{applicant.masked_id}的完整证件号码",
    )
    return applicant.id_number
