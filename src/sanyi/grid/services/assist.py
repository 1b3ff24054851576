"""Help to apply (帮办代办): a grid officer applies online for a resident of their grid who
cannot easily do it themselves. The resident consents first (an SMS code to the mobile on
file, or a photographed signed authorisation); only then is the case opened, as an online
case marked ``assisted_by`` the officer. Materials photographed on the spot are stored and
the case submitted in one transaction, through the cases services, so nothing is
half-saved and every later step is the normal one. The resident goes nowhere: no visit is
recorded (docs/adr/0023-help-to-apply.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.audit.services import audit_record
from sanyi.cases.choices import CaseChannel, MaterialStatus
from sanyi.cases.models import CaseMaterial
from sanyi.cases.services import case_material_upload, case_start, case_submit
from sanyi.catalog.models import ImplementationItem
from sanyi.core.files import check_upload
from sanyi.core.ids import mask_phone
from sanyi.core.images import open_picture, without_metadata
from sanyi.grid import selectors
from sanyi.grid.models import Assist, AssistCode, AssistStatus, ConsentMethod
from sanyi.grid.services import resident_codes as codes
from sanyi.grid.services.photos import PHOTO_MAX_BYTES
from sanyi.orgs.models import User

CODE_PURPOSE = "sanyi.grid.assist"


def _officer(actor: User) -> None:
    if not (isinstance(actor, User) and selectors.is_officer(actor)):
        raise PermissionDenied("只有网格员可以帮居民代办")


def _own(actor: User, assist: Assist, status: str | None = None) -> Assist:
    _officer(actor)
    found = selectors.assist_get(actor, assist.pk)
    if found is None:
        raise PermissionDenied("这件代办不是您所在网格的")
    if status is not None and found.status != status:
        raise ValidationError({"status": f"这件代办当前为“{found.get_status_display()}”"})
    return found


@transaction.atomic
def assist_start(*, actor: User, applicant: Applicant, item: ImplementationItem) -> Assist:
    """Begin helping a resident of the officer's grid with an item that can be applied for
    online; nothing is opened on the resident's record until they consent."""
    _officer(actor)
    resident = selectors.grid_resident(actor, applicant.pk)
    if resident is None or resident.grid is None:
        raise PermissionDenied("只能为本网格的居民代办")
    if item.pk not in {i.pk for i in selectors.assist_items(actor)}:
        raise ValidationError({"item": "该事项暂不支持网上申请，不能代办"})
    assist = Assist.objects.create(officer=actor, grid=resident.grid, applicant=resident, item=item)
    audit_record(
        actor=actor,
        action="grid.assist_start",
        obj=assist,
        note=f"为居民{resident.masked_id}代办“{item.base_item.name}”",
    )
    return assist


@dataclass(frozen=True)
class AssistCodeSent:
    code_id: int
    phone: str  # masked
    code: str  # plain, only for a demo site's page (console SMS); never stored


def assist_code_request(
    *, assist: Assist, actor: User, now: dt.datetime | None = None
) -> AssistCodeSent:
    """Send a consent code to the resident's mobile on file (one a minute, five an hour)."""
    now = now or timezone.now()
    assist = _own(actor, assist, AssistStatus.CONSENT)
    phone = assist.applicant.phone
    if not phone:
        raise ValidationError({"code": "居民没有登记手机号，请拍摄居民签字的授权书"})
    codes.code_throttle(AssistCode.objects.filter(assist=assist), now)
    with transaction.atomic():
        row, code = codes.code_create(AssistCode, purpose=CODE_PURPOSE, now=now, assist=assist)
        audit_record(
            actor=actor,
            action="grid.assist_code_send",
            obj=assist,
            note=f"向{mask_phone(phone)}发送代办同意码",
        )
    codes.code_sms(
        phone=phone,
        code=code,
        use=f"用于同意网格员{actor}代您网上申请“{assist.item.base_item.name}”，"
        "如不同意请勿告诉他人。",
    )
    return AssistCodeSent(code_id=row.pk, phone=mask_phone(phone), code=code)


def _picture(upload: File, *, field: str, label: str, name: str) -> tuple[SimpleUploadedFile, str]:
    """A photo taken on the phone: checked by content and size, decoded, and written out
    again without its metadata (no location of the resident's home leaves the phone)."""
    checked = check_upload(
        upload, allowed={"jpg", "png"}, field=field, label=label, limit=PHOTO_MAX_BYTES
    )
    upload.seek(0)
    image = open_picture(upload.read(), field=field, label=label)
    fmt = "JPEG" if checked.extension == "jpg" else "PNG"
    data = without_metadata(image, fmt=fmt)
    kept = SimpleUploadedFile(f"{name}.{checked.extension}", data, checked.content_type)
    return kept, hashlib.sha256(data).hexdigest()


def _authorisation_clean(upload: File | None) -> tuple[SimpleUploadedFile, str]:
    if upload is None:
        raise ValidationError({"authorisation": "请拍摄居民签字的授权书"})
    return _picture(upload, field="authorisation", label="授权书照片", name="authorisation")


def assist_consent(
    *,
    assist: Assist,
    actor: User,
    method: str,
    code: str = "",
    authorisation: File | None = None,
    now: dt.datetime | None = None,
) -> Assist:
    """Record the resident's consent and open the online case on their behalf (a draft
    marked as applied for by the officer), in one transaction."""
    now = now or timezone.now()
    assist = _own(actor, assist, AssistStatus.CONSENT)
    if method not in ConsentMethod.values:
        raise ValidationError({"method": "请选择居民同意的方式"})
    code_row = (
        codes.code_check(
            AssistCode.objects.filter(assist=assist), purpose=CODE_PURPOSE, code=code, now=now
        )
        if method == ConsentMethod.SMS
        else None
    )
    photo = _authorisation_clean(authorisation) if method == ConsentMethod.PHOTO else None
    with transaction.atomic():
        if code_row is not None:
            used = AssistCode.objects.filter(pk=code_row.pk, used_at__isnull=True)
            if not used.update(used_at=now):
                raise ValidationError({"code": codes.WRONG_CODE})
        if photo is not None:
            assist.authorisation.save(photo[0].name or "authorisation.jpg", photo[0], save=False)
            assist.authorisation_sha256 = photo[1]
        assist.case = case_start(
            applicant=assist.applicant,
            item=assist.item,
            channel=CaseChannel.ONLINE,
            actor=actor,
            assisted_by=actor,
        )
        assist.consent_method, assist.consented_at = method, now
        assist.status = AssistStatus.MATERIALS
        assist.save()
        audit_record(
            actor=actor,
            action="grid.assist_consent",
            obj=assist,
            note=f"居民{assist.applicant.masked_id}以{ConsentMethod(method).label}同意代办，"
            f"办件{assist.case.number}",
        )
    return assist


def assist_materials(assist: Assist) -> list[CaseMaterial]:
    """The case's materials the officer photographs (shared-data ones are never asked for)."""
    if assist.case is None:
        return []
    return list(assist.case.materials.exclude(status=MaterialStatus.SHARED).order_by("position"))


def assist_submit(*, assist: Assist, actor: User, photos: dict[int, File]) -> Assist:
    """Store the photographed materials (``photos``: case material id → photo) through the
    cases material path and submit the case, all or nothing."""
    assist = _own(actor, assist, AssistStatus.MATERIALS)
    rows = {cm.pk: cm for cm in assist_materials(assist)}
    unknown = [pk for pk in photos if pk not in rows]
    if unknown:
        raise ValidationError({"materials": "照片对应的材料不属于本办件"})
    # Every photo is checked (and its location removed) before anything is written.
    cleaned = {
        pk: _picture(photos[pk], field="materials", label=f"“{rows[pk].name}”的照片", name="m")[0]
        for pk in sorted(photos)
    }
    if assist.case is None:  # a consented assist always has its case (a check constraint)
        raise ValidationError({"status": "这件代办还没有办件"})
    with transaction.atomic():
        for pk, content in cleaned.items():
            case_material_upload(
                case=assist.case, case_material=rows[pk], uploaded=content, actor=actor
            )
        case = case_submit(
            case=assist.case, actor=actor, idempotency_key=f"grid-assist-{assist.pk}"
        )
        assist.status = AssistStatus.SUBMITTED
        assist.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="grid.assist_submit",
            obj=assist,
            note=f"代办提交办件{case.number}，拍摄材料{len(cleaned)}份",
        )
    return assist
