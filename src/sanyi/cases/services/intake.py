"""Intake: starting a case (at the counter or online), drafts, material uploads and
reuse, and submitting the application."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanyi.cases.choices import (
    CaseChannel,
    CaseStatus,
    DeliveryMethod,
    EventKind,
    MaterialOrigin,
    MaterialStatus,
)
from sanyi.cases.models import (
    Case,
    CaseMaterial,
)
from sanyi.cases.numbering import (
    allocate_case_number,
    allocate_short_number,
    query_code_for,
    query_code_hash,
)
from sanyi.cases.services._common import (
    STAFF_ROLES,
    UPLOAD_TYPES,
    _audit,
    _audit_step,
    _day,
    _event,
    _item_name,
    _moment,
    _notify_staff,
    _require_staff,
    _transition,
    version_in_force,
)
from sanyi.cases.services.eligibility import case_eligibility_require
from sanyi.cases.services.reuse import attach_reusable
from sanyi.catalog.choices import (
    HandlingType,
    MaterialNecessity,
    MaterialSource,
)
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.core.actors import Actor, is_user
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import roles_of

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from sanyi.applicants.models import AgentAuthorisation, Applicant
    from sanyi.orgs.models import User

# --- start, draft, materials ---------------------------------------------------------------


def case_start(
    *,
    applicant: Applicant,
    item: ImplementationItem,
    channel: str,
    actor: Actor,
    variant: Any = None,
    agent: Applicant | None = None,
    agent_authorisation: AgentAuthorisation | None = None,
    form_data: dict | None = None,
    on: dt.date | None = None,
    idempotency_key: str = "",
    assisted_by: User | None = None,
) -> Case:
    """Open a case under the version in force: the number is given here and kept for life.

    Online cases start as drafts; window and post cases wait for acceptance at once. The
    materials checklist is copied from the version; shared-data materials are never asked
    for (status SHARED).

    ``assisted_by``: the grid officer applying online on the resident's behalf (帮办代办,
    the grid app has checked the resident's consent); the officer is then the actor.

    ``idempotency_key`` (optional): a start repeated with the key of an earlier one for the
    same applicant returns that case and opens none, so a client that lost the answer may
    simply retry.

    Long because the retry is answered twice: before anything is written, and when two
    retries with the same key race into the unique constraint.
    """
    on = _day(on)
    key = (idempotency_key or "").strip()
    if len(key) > 80:
        raise ValidationError({"idempotency_key": "新建幂等键不超过80个字符"})
    if key:
        earlier = _started_with(applicant, key, item, channel)
        if earlier is not None:
            return earlier
    form_data, method = _check_start(
        applicant=applicant,
        channel=channel,
        actor=actor,
        form_data=form_data,
        agent=agent,
        agent_authorisation=agent_authorisation,
        on=on,
        assisted_by=assisted_by,
    )
    version = version_in_force(item)
    if variant is not None and variant.version_id != version.pk:
        raise ValidationError({"variant": "所选业务办理项不属于该事项现行指南"})
    if channel == CaseChannel.ONLINE:
        # The item's eligibility rules stop an application they refuse (docs/cases-applying.md).
        case_eligibility_require(applicant=applicant, version=version, on=on)
    try:
        return _start(
            applicant=applicant,
            item=item,
            channel=channel,
            actor=actor,
            version=version,
            variant=variant,
            agent=agent,
            agent_authorisation=agent_authorisation,
            form_data=form_data,
            method=method,
            on=on,
            key=key,
            assisted_by=assisted_by,
        )
    except IntegrityError:
        # The same key raced in from a parallel retry and won: its case is the answer (this
        # attempt rolled back, number included, so no gap is left).
        earlier = _started_with(applicant, key, item, channel) if key else None
        if earlier is None:
            raise
        return earlier


def _check_start(
    *,
    applicant: Applicant,
    channel: str,
    actor: Actor,
    form_data: dict | None,
    agent: Applicant | None,
    agent_authorisation: AgentAuthorisation | None,
    on: dt.date,
    assisted_by: User | None = None,
) -> tuple[dict, str]:
    """The form data and delivery method of a new case, or every error at once; then who
    may enter it (a window clerk, for the applicant at the counter or by post)."""
    errors: dict[str, str] = {}
    if channel not in CaseChannel.values:
        errors["channel"] = "申请渠道不正确"
    form_data = dict(form_data or {})
    if not isinstance(form_data, dict):
        errors["form_data"] = "申请表内容格式不正确"
    method = form_data.get("delivery_method") or (
        DeliveryMethod.ELECTRONIC if channel == CaseChannel.ONLINE else DeliveryMethod.WINDOW
    )
    if method not in DeliveryMethod.values:
        errors["delivery_method"] = "请选择结果送达方式：窗口领取、邮寄或电子送达"
    if agent is not None or agent_authorisation is not None:
        if agent is None or agent_authorisation is None:
            errors["agent"] = "代办须同时填写代办人和授权委托书"
        elif (
            agent_authorisation.principal_id != applicant.pk
            or agent_authorisation.agent_id != agent.pk
        ):
            errors["agent_authorisation"] = "授权委托书的委托人和代办人与本次申请不符"
        elif agent_authorisation.revoked_at is not None or agent_authorisation.valid_from > on:
            errors["agent_authorisation"] = "授权委托书已撤销或尚未生效"
        elif agent_authorisation.valid_until and agent_authorisation.valid_until < on:
            errors["agent_authorisation"] = "授权委托书已过有效期"
    if channel != CaseChannel.ONLINE and not is_user(actor) and not str(actor).startswith("系统"):
        errors["channel"] = "窗口和邮寄申请由窗口人员录入"
    if assisted_by is not None and channel != CaseChannel.ONLINE:
        errors["channel"] = "网格员代办按网上申请办理"
    if errors:
        raise ValidationError(errors)
    if assisted_by is not None:
        if actor != assisted_by or not any(
            ra.role == Role.GRID_OFFICER for ra in roles_of(assisted_by)
        ):
            raise PermissionDenied("只有网格员本人可以代居民申请")
    elif is_user(actor) and not any(ra.role == Role.WINDOW_CLERK for ra in roles_of(actor)):
        raise PermissionDenied("只有窗口人员可以为申请人录入申请")
    return form_data, method


def _started_with(
    applicant: Applicant, key: str, item: ImplementationItem, channel: str
) -> Case | None:
    earlier = Case.objects.filter(applicant_id=applicant.pk, start_key=key).first()
    if earlier is not None and (
        earlier.implementation_item_id != item.pk or earlier.channel != channel
    ):
        raise ValidationError(
            {"idempotency_key": "该幂等键已用于该申请人的另一件申请，请为新的申请换一个幂等键"}
        )
    return earlier


def _start(
    *,
    applicant: Applicant,
    item: ImplementationItem,
    channel: str,
    actor: Actor,
    version: ItemVersion,
    variant: Any,
    agent: Applicant | None,
    agent_authorisation: AgentAuthorisation | None,
    form_data: dict,
    method: str,
    on: dt.date,
    key: str,
    assisted_by: User | None = None,
) -> Case:
    with transaction.atomic():
        number = allocate_case_number(item.implementation_code, on)
        case = Case.objects.create(
            number=number,
            short_number=allocate_short_number(),
            start_key=key,
            query_code_hash=query_code_hash(query_code_for(number)),
            applicant=applicant,
            agent=agent,
            agent_authorisation=agent_authorisation,
            assisted_by=assisted_by,
            implementation_item=item,
            item_version=version,
            variant=variant,
            form_data=form_data,
            channel=channel,
            status=CaseStatus.DRAFT
            if channel == CaseChannel.ONLINE
            else CaseStatus.AWAITING_ACCEPTANCE,
            unit=item.implementing_unit,
            current_unit=item.implementing_unit,
            is_instant=version.handling_type == HandlingType.INSTANT,
            delivery_method=method,
        )
        _materials_checklist(case, version)
        reused = attach_reusable(case, on=on)  # 信息跑路: what the platform holds (reuse.py)
        _start_ledger(case, actor, on, version=version, agent=agent, reused=reused)
    return case


def _start_ledger(
    case: Case, actor: Actor, on: dt.date, *, version: ItemVersion, agent: Any, reused: Any
) -> None:
    """The created event (saying 网格员代办 for a grid officer's help) and the audit row."""
    how = case.assisted_text or CaseChannel(case.channel).label
    _event(
        case,
        EventKind.CREATED,
        actor,
        on,
        note=f"{how}：{case.implementation_item.base_item.name}",
        detail={"version": version.number, "agent": agent.masked_id if agent else ""},
    )
    _audit(
        actor,
        "start",
        case,
        {
            "number": case.number,
            "short_number": case.short_number,
            "channel": case.channel,
            "reused": reused,
            "assisted_by": case.assisted_by_id,
        },
    )


def _materials_checklist(case: Case, version: ItemVersion) -> None:
    """The case's checklist, copied from the guide; shared-data materials are never asked
    for (status SHARED)."""
    CaseMaterial.objects.bulk_create(
        [
            CaseMaterial(
                case=case,
                material=m,
                name=m.name,
                position=m.position,
                required=m.necessity != MaterialNecessity.OPTIONAL,
                origin=(
                    MaterialOrigin.SHARED
                    if m.source == MaterialSource.SHARED_DATA
                    else MaterialOrigin.UPLOAD
                ),
                status=(
                    MaterialStatus.SHARED
                    if m.source == MaterialSource.SHARED_DATA
                    else MaterialStatus.PENDING
                ),
            )
            for m in version.materials.order_by("position")
        ]
    )


def case_update_draft(*, case: Case, form_data: dict, variant: Any = None, actor: Actor) -> Case:
    """Save the application form of a draft (or of an application sent back for fixes)."""
    if not isinstance(form_data, dict):
        raise ValidationError({"form_data": "申请表内容格式不正确"})
    with _transition(
        case, actor, (CaseStatus.DRAFT, CaseStatus.PRECHECK_RETURNED), "修改申请表"
    ) as step:
        case = step.obj
        if variant is not None and variant.version_id != case.item_version_id:
            raise ValidationError({"variant": "所选业务办理项不属于该事项现行指南"})
        method = form_data.get("delivery_method")
        if method and method not in DeliveryMethod.values:
            raise ValidationError({"delivery_method": "请选择结果送达方式"})
        before = case.form_data
        case.form_data = dict(form_data)
        if variant is not None:
            case.variant = variant
        if method:
            case.delivery_method = method
        case.save(update_fields=["form_data", "variant", "delivery_method", "updated_at"])
        _audit_step(step, "update_draft", {"form_data": [sorted(before), sorted(case.form_data)]})
    return case


UPLOAD_STATUSES = (
    CaseStatus.DRAFT,
    CaseStatus.PRECHECK_RETURNED,
    CaseStatus.AWAITING_ACCEPTANCE,
    CaseStatus.CORRECTION_NOTICE,
    CaseStatus.IN_PROGRESS,
    CaseStatus.SUSPENDED,
)


def _pdf_pages(uploaded: UploadedFile) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    uploaded.seek(0)
    try:
        reader = PdfReader(io.BytesIO(uploaded.read()))
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, OSError, TypeError):
        raise ValidationError({"file": "PDF文件已损坏或加密，无法打开，请重新生成后上传"}) from None
    finally:
        uploaded.seek(0)
    return pages


def check_material_upload(uploaded: UploadedFile) -> tuple[str, str, int, int | None, str]:
    """(content type, extension, size, pages, sha256) of an accepted upload, or a
    ValidationError naming the field ``file`` in plain Chinese."""
    import hashlib

    from sanyi.core.files import sniff_kind

    size = getattr(uploaded, "size", 0) or 0
    limit = int(getattr(settings, "SANYI_CASE_UPLOAD_MAX_BYTES", settings.SANYI_UPLOAD_MAX_BYTES))
    if not size:
        raise ValidationError({"file": "文件是空的，请重新选择"})
    if size > limit:
        raise ValidationError({"file": f"文件超过{limit // (1024 * 1024)}MB，请压缩或分开后再上传"})
    kind = sniff_kind(uploaded)
    if kind not in UPLOAD_TYPES:
        raise ValidationError({"file": "只接受PDF、JPG或PNG格式的文件（按文件内容判断）"})
    pages = None
    if kind == "pdf":
        pages = _pdf_pages(uploaded)
        max_pages = int(getattr(settings, "SANYI_CASE_PDF_MAX_PAGES", 50))
        if pages > max_pages:
            raise ValidationError(
                {"file": f"PDF共{pages}页，超过{max_pages}页的上限，请只上传要求的材料"}
            )
        if pages == 0:
            raise ValidationError({"file": "PDF文件没有页面"})
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return UPLOAD_TYPES[kind], kind, size, pages, digest.hexdigest()


def _material_of(case: Case, case_material: CaseMaterial) -> CaseMaterial:
    cm = CaseMaterial.objects.select_for_update().filter(pk=case_material.pk, case=case).first()
    if cm is None:
        raise ValidationError({"case_material": "该材料不属于本办件"})
    if cm.status == MaterialStatus.SHARED:
        raise ValidationError({"case_material": f"“{cm.name}”由部门共享获取，无需提交"})
    return cm


def _after_provided(case: Case, cm: CaseMaterial, actor: Actor, on: dt.date) -> None:
    """A material was provided again: pending a new check; a deferred one is received."""
    if cm.status == MaterialStatus.DEFICIENT:
        cm.follow_up_received_on = on
        _event(case, EventKind.DEFICIENCY_RECEIVED, actor, on, note=cm.name)
    cm.status = MaterialStatus.PENDING
    cm.problem = ""
    cm.checked_by = None
    cm.checked_at = None


def case_material_upload(
    *, case: Case, case_material: CaseMaterial, uploaded: UploadedFile, actor: Actor
) -> CaseMaterial:
    """Store a file for one material (type read from the content, size and PDF page limits;
    stored under the private file root, served only through a permission check)."""
    content_type, ext, size, pages, sha = check_material_upload(uploaded)
    on = timezone.localdate()
    with _transition(case, actor, UPLOAD_STATUSES, "上传材料") as step:
        case = step.obj
        if is_user(actor) and not _assisting(case, actor):
            _require_staff(
                actor, STAFF_ROLES, case.current_unit, "您不能为不在本单位范围内的办件上传材料"
            )
        cm = _material_of(case, case_material)
        cm.file.save(f"{uuid.uuid4().hex}.{ext}", uploaded, save=False)
        cm.origin = MaterialOrigin.UPLOAD
        cm.content_type, cm.size, cm.pages, cm.sha256 = content_type, size, pages, sha
        cm.reused_from = None
        cm.licence = None
        cm.uploaded_at = timezone.now()
        _after_provided(case, cm, actor, on)
        cm.save()
        _audit_step(step, "material_upload", {"material": cm.name, "sha256": sha, "size": size})
    return cm


def _assisting(case: Case, actor: Actor) -> bool:
    """The grid officer who applies for this draft on the resident's behalf (帮办代办)."""
    return (
        case.status == CaseStatus.DRAFT
        and case.assisted_by_id is not None
        and getattr(actor, "pk", None) == case.assisted_by_id
    )


def case_material_reuse(
    *, case: Case, case_material: CaseMaterial, source: Any, actor: Actor
) -> CaseMaterial:
    """Fill a material from the applicant's wallet: an earlier material of the same
    applicant still valid for this row's catalogue material, or a valid e-licence they
    hold. Needs the applicant's consent (for an earlier material, a consent that covers
    materials, not only licences)."""
    from sanyi.applicants.selectors import reuse_consent_of
    from sanyi.licences.models import ELicence

    on = timezone.localdate()
    with _transition(case, actor, UPLOAD_STATUSES, "复用材料") as step:
        case = step.obj
        consent = reuse_consent_of(case.applicant)
        if consent is None:
            raise ValidationError(
                {"source": "申请人尚未同意复用以前的材料和电子证照，请先在“我的证照和材料”中同意"}
            )
        cm = _material_of(case, case_material)
        if isinstance(source, CaseMaterial):
            if not consent.covers_materials():
                raise ValidationError({"source": "申请人只同意复用电子证照，不能复用以前的材料"})
            what = _reuse_copy(case, cm, source, on)
        elif isinstance(source, ELicence):
            what = _reuse_licence(case, cm, source, on)
        else:
            raise ValidationError({"source": "请选择要复用的材料或电子证照"})
        cm.uploaded_at = timezone.now()
        _after_provided(case, cm, actor, on)
        cm.save()
        _audit_step(step, "material_reuse", {"material": cm.name}, note=what)
    return cm


def _reuse_copy(case: Case, cm: CaseMaterial, source: CaseMaterial, on: dt.date) -> str:
    from sanyi.cases.services.reuse import copy_valid_until

    src = CaseMaterial.objects.select_related("case").filter(pk=source.pk).first()
    if src is None or src.case.applicant_id != case.applicant_id or not src.file:
        raise ValidationError({"source": "只能复用本人以前提交过的材料"})
    if src.case_id == case.pk:
        raise ValidationError({"source": "不能复用本办件自己的材料"})
    until = copy_valid_until(src, cm.material)
    if until is None or until < on:
        raise ValidationError({"source": f"“{src.name}”已超过“{cm.name}”的复用期限，请重新上传"})
    cm.file = src.file.name
    cm.content_type, cm.size, cm.pages, cm.sha256 = (
        src.content_type,
        src.size,
        src.pages,
        src.sha256,
    )
    cm.origin, cm.reused_from, cm.licence = MaterialOrigin.WALLET, src, None
    return f"复用办件{src.case.number}的“{src.name}”"


def _reuse_licence(case: Case, cm: CaseMaterial, source: Any, on: dt.date) -> str:
    from sanyi.cases.services.reuse import licence_allowed
    from sanyi.licences.models import ELicence, LicenceStatus

    lic = ELicence.objects.filter(pk=source.pk).first()
    if lic is None or lic.holder_id != case.applicant_id:
        raise ValidationError({"source": "只能复用本人持有的电子证照"})
    if lic.status_on(on) != LicenceStatus.VALID or lic.valid_from > on:
        raise ValidationError({"source": f"电子证照“{lic.name}”已失效，不能复用"})
    if not licence_allowed(cm.material):
        raise ValidationError({"source": f"“{cm.name}”不可复用，请本次提交"})
    cm.file = ""
    cm.content_type, cm.size, cm.pages, cm.sha256 = "", 0, None, ""
    cm.origin, cm.licence, cm.reused_from = MaterialOrigin.LICENCE, lic, None
    return f"复用电子证照“{lic.name}”（{lic.number}）"


def _provided(cm: CaseMaterial) -> bool:
    return bool(cm.file) or cm.licence_id is not None


# --- submit and pre-check ---------------------------------------------------------------


def case_submit(
    *, case: Case, actor: Actor, idempotency_key: str, on: dt.date | None = None
) -> Case:
    """Send a draft for pre-check. A retried submit with the same key returns the case it
    submitted the first time, never a second one."""
    on = _day(on)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 80:
        raise ValidationError({"idempotency_key": "提交幂等键不能为空，且不超过80个字符"})
    done = (
        Case.objects.filter(applicant_id=case.applicant_id, idempotency_key=key)
        .exclude(pk=case.pk)
        .first()
    )
    if done is not None:
        return done
    with _transition(
        case, actor, (CaseStatus.DRAFT,), "提交", skip_if=lambda c: c.idempotency_key == key
    ) as step:
        case = step.obj
        if step.skipped:  # a retry of the submit that sent it
            return case
        missing = [
            cm.name
            for cm in case.materials.all()
            if cm.required
            and cm.status != MaterialStatus.SHARED
            and not _provided(cm)
            and not (
                cm.material is not None and cm.material.necessity == MaterialNecessity.DEFERRABLE
            )
        ]
        if missing:
            raise ValidationError({"materials": "以下必要材料还没有上传：" + "、".join(missing)})
        case.status = CaseStatus.PRECHECK
        case.idempotency_key = key
        case.submitted_at = _moment(on)
        case.save(update_fields=["status", "idempotency_key", "submitted_at", "updated_at"])
        _event(case, EventKind.SUBMITTED, actor, on)
        _audit_step(step, "submit", {"status": [CaseStatus.DRAFT, CaseStatus.PRECHECK]})
        _notify_staff(
            case,
            "case.precheck_due",
            f"待预审：{_item_name(case)}",
            f"网上申请{case.number}已提交，请预审。",
            unit=case.unit,
            roles=(Role.WINDOW_CLERK, Role.APPROVER),
        )
    return case
