"""Writing cases (办件): from the first save to the delivered result.

Every function is keyword-only, names its ``actor`` (a staff User, an applicant's
``audit_label`` such as "申请人：4301****123X", or a system label such as "系统：定时任务"),
runs in one transaction, writes the case's ledger (``CaseEvent``) and an audit row, and
writes notifications through sanyi.notify (delivered after commit). ``on`` is the business
day of the action (default today, never in the future) so history can be replayed.

Staff actors are checked here against their roles (sanyi.orgs.permissions); applicant and
system labels are trusted: the applicant pages check that the signed-in applicant owns the
case before they call a service.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.calendar.selectors import add_workdays, workdays_between
from sanyi.cases import clocks, links
from sanyi.cases.choices import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    AcceptanceDecision,
    CaseChannel,
    CaseStatus,
    Decision,
    DeliveryMethod,
    EventKind,
    MaterialOrigin,
    MaterialStatus,
    StopReason,
    TaskAction,
    TaskStatus,
    VisitPurpose,
    WarningLevel,
)
from sanyi.cases.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CaseTask,
    ClockStop,
    Delivery,
    Extension,
    PrecheckRound,
    ResultDocument,
    Visit,
)
from sanyi.cases.numbering import allocate_case_number, query_code_for, query_code_hash
from sanyi.catalog.choices import (
    HandlingType,
    ItemLevel,
    LimitUnit,
    MaterialNecessity,
    MaterialSource,
    ResultType,
    StepUnitLevel,
    VersionStatus,
)
from sanyi.catalog.models import ImplementationItem, ItemVersion, ProcessStep
from sanyi.core.actors import actor_label, actor_user, is_user
from sanyi.core.transitions import business_day, locked, require_status
from sanyi.orgs.models import OrgKind, OrgUnit, Role, Window
from sanyi.orgs.permissions import has_role, roles_of

SYSTEM_TASKS = "系统：定时任务"
UPLOAD_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
# Which item level a center of each unit kind accepts (一窗受理的授权范围).
CENTER_LEVELS = {
    OrgKind.DISTRICT: ItemLevel.DISTRICT,
    OrgKind.SUBDISTRICT: ItemLevel.SUBDISTRICT,
    OrgKind.COMMUNITY: ItemLevel.COMMUNITY,
}
STAFF_ROLES = (Role.WINDOW_CLERK, Role.APPROVER)
WARNING_ORDER = {WarningLevel.NONE: 0, WarningLevel.YELLOW: 1, WarningLevel.RED: 2}


# --- helpers -----------------------------------------------------------------------------


def _label(actor) -> str:
    """The actor's name as the ledger stores it (at most 100 characters)."""
    return actor_label(actor)[:100]


def _day(on: dt.date | None, field: str = "on") -> dt.date:
    """The business day of an action: today by default, never in the future."""
    return business_day(on, field=field, invalid="业务日期应为日期", future="业务日期不能晚于今天")


def _moment(on: dt.date) -> dt.datetime:
    """The time stamp of an action on business day ``on`` (now, or that day at this hour)."""
    now = timezone.localtime()
    if on == now.date():
        return now
    return timezone.make_aware(dt.datetime.combine(on, now.time().replace(microsecond=0)))


def _require_staff(actor, roles, unit: OrgUnit, message: str) -> None:
    """A staff actor must hold one of ``roles`` on ``unit`` (or above it). Labels pass."""
    if not is_user(actor):
        return
    if not has_role(actor, roles, unit):
        raise PermissionDenied(message)


def _require_applicant_or_system(actor, message: str) -> None:
    if is_user(actor):
        raise PermissionDenied(message)


_CASE_RELATED = (
    "applicant",
    "implementation_item__base_item",
    "implementation_item__implementing_unit",
    "implementation_item__delegated_from",
    "item_version",
    "unit",
    "current_unit",
)


def _locked(case: Case) -> Case:
    return locked(Case, case.pk, related=_CASE_RELATED, of=("self",))


def _require_status(case: Case, statuses: Iterable[str], doing: str) -> None:
    require_status(
        case,
        tuple(statuses),
        lambda c: f"办件{c.number}当前为“{c.get_status_display()}”，不能{doing}",
    )


def _event(
    case: Case,
    kind: str,
    actor,
    on: dt.date,
    *,
    note: str = "",
    detail: dict | None = None,
    public: bool = True,
    unit: OrgUnit | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        at=_moment(on),
        on=on,
        actor_label=_label(actor),
        unit=unit,
        note=note,
        detail=detail or {},
        public=public,
    )


def _audit(actor, action: str, case: Case, changes: dict | None = None, note: str = "") -> None:
    audit_record(actor=actor, action=f"cases.{action}", obj=case, changes=changes, note=note)


def _notify_applicant(case: Case, event: str, subject: str, body: str, dedupe_key="") -> None:
    from sanyi.notify.services import notify_applicant

    notify_applicant(
        applicant=case.applicant,
        event=event,
        subject=subject,
        body=body,
        link=links.applicant_case_link(case),
        obj=case,
        dedupe_key=dedupe_key,
    )


def _notify_staff(
    case: Case, event: str, subject: str, body: str, *, users=None, unit=None, roles=(), key=""
) -> None:
    from sanyi.notify.services import notify_staff

    notify_staff(
        event=event,
        subject=subject,
        body=body,
        link=links.staff_case_link(case),
        obj=case,
        users=users,
        unit=unit,
        roles=roles,
        dedupe_key=key,
    )


def _item_name(case: Case) -> str:
    return case.implementation_item.base_item.name


def version_in_force(item: ImplementationItem) -> ItemVersion:
    version = (
        ItemVersion.objects.filter(implementation_item=item, status=VersionStatus.PUBLISHED)
        .select_related("implementation_item__base_item")
        .first()
    )
    if version is None:
        raise ValidationError({"item": "该事项目前没有正在实施的办事指南，暂时不能申请"})
    return version


def _set_dues(case: Case, *, today: dt.date | None = None) -> tuple[dict, dict]:
    """Recompute both due dates on ``case`` (not saved); returns (old, new) for the ledger."""
    old = {
        "statutory_due_on": case.statutory_due_on,
        "promised_due_on": case.promised_due_on,
        "due_provisional": case.due_provisional,
    }
    dues = clocks.compute_dues(case, today=today)
    case.statutory_due_on = dues.statutory.date if dues.statutory else None
    case.promised_due_on = dues.promised.date if dues.promised else None
    case.due_provisional = dues.provisional
    new = {
        "statutory_due_on": case.statutory_due_on,
        "promised_due_on": case.promised_due_on,
        "due_provisional": case.due_provisional,
    }
    return old, new


def _iso(values: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}


def _date_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


# --- acceptance authorisation and routing -------------------------------------------------


def center_may_accept(center, item: ImplementationItem) -> str:
    """ "" when the center may accept the item, else the plain-Chinese reason it may not.

    The rule (一窗受理的授权范围): a district center accepts the district-level items
    (行使层级“县级”) of units in its district; a subdistrict center accepts the items its
    subdistrict implements, including those delegated to it by district departments; a
    community (village) center accepts the items its community implements. An item of
    another level or another area is accepted where it is implemented.
    """
    unit = center.org_unit
    impl = item.implementing_unit
    level = CENTER_LEVELS.get(unit.kind)
    where = f"{impl.name}（{ItemLevel(item.level).label}）"
    if level is None:
        return f"“{center.name}”所属单位不是区、街道（乡镇）或社区（村），不能受理办件"
    if item.level != level:
        return (
            f"“{center.name}”只能受理{ItemLevel(level).label}事项；"
            f"“{item.base_item.name}”由{where}实施，请引导申请人到该事项的受理地点办理"
        )
    # District items of any unit in the district; lower levels only their own unit's.
    inside = impl.path.startswith(unit.path) if level == ItemLevel.DISTRICT else impl.pk == unit.pk
    if not inside:
        return (
            f"“{item.base_item.name}”由{where}实施，不在“{center.name}”的受理范围内，"
            "请引导申请人到该事项的受理地点办理"
        )
    return ""


def _ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """The unit and its ancestors, root first (one query)."""
    by_id = {u.pk: u for u in OrgUnit.objects.filter(pk__in=unit.ancestor_ids)}
    return [by_id[i] for i in unit.ancestor_ids if i in by_id]


def _nearest(unit: OrgUnit, kind: str) -> OrgUnit | None:
    for candidate in reversed(_ancestors(unit)):
        if candidate.kind == kind:
            return candidate
    return None


def step_unit(case: Case, step: ProcessStep | None) -> OrgUnit:
    """The org unit that handles ``step`` of ``case``.

    Upwards from the accepting unit: a community step goes to the accepting community, a
    subdistrict step to its subdistrict (or the implementing unit's, when accepted higher
    up), a district step to the district; a department step goes to the district
    department that implements the item (for an item delegated down, the department it
    came from). A step without a level goes to the implementing unit.
    """
    item = case.implementation_item
    impl = item.implementing_unit
    level = step.unit_level if step is not None else ""
    if level in (StepUnitLevel.COMMUNITY, StepUnitLevel.SUBDISTRICT, StepUnitLevel.DISTRICT):
        kind = {
            StepUnitLevel.COMMUNITY: OrgKind.COMMUNITY,
            StepUnitLevel.SUBDISTRICT: OrgKind.SUBDISTRICT,
            StepUnitLevel.DISTRICT: OrgKind.DISTRICT,
        }[level]
        return _nearest(case.unit, kind) or _nearest(impl, kind) or impl
    if level == StepUnitLevel.DEPARTMENT:
        if impl.kind in (OrgKind.DEPARTMENT, OrgKind.STATION):
            return impl
        if item.delegated_from_id and item.delegated_from.kind in (
            OrgKind.DEPARTMENT,
            OrgKind.STATION,
        ):
            return item.delegated_from
        return impl
    return impl


def _handling_steps(case: Case) -> list[ProcessStep]:
    """The steps after acceptance: the leading window steps are the acceptance itself."""
    steps = list(ProcessStep.objects.filter(version=case.item_version).order_by("position"))
    while steps and steps[0].role == Role.WINDOW_CLERK:
        steps.pop(0)
    return steps


def _task_due(case: Case, started_on: dt.date, days: int | None) -> dt.date | None:
    """A step's due date: its days from its start, never beyond the case's promised date."""
    overall = case.promised_due_on or case.statutory_due_on
    if not days:
        return overall
    due = add_workdays(started_on, days, stops=clocks.case_stops(case)).date
    return min(due, overall) if overall else due


def _open_task(
    case: Case,
    *,
    step: ProcessStep | None,
    on: dt.date,
    actor,
    unit: OrgUnit | None = None,
    position: int | None = None,
    name: str | None = None,
    role: str | None = None,
    budget_days: int | None = None,
) -> CaseTask:
    unit = unit or step_unit(case, step)
    if budget_days is None and step is not None:
        budget_days = step.days
    task = CaseTask.objects.create(
        case=case,
        step=step,
        position=position if position is not None else (step.position if step else 0),
        name=name or (step.name if step else "办结"),
        unit=unit,
        role=role or (step.role if step and step.role else Role.APPROVER),
        budget_days=budget_days,
        started_at=_moment(on),
        started_on=on,
        due_on=_task_due(case, on, budget_days),
    )
    case.current_unit = unit
    _event(
        case,
        EventKind.TASK_STARTED,
        actor,
        on,
        note=f"{task.name}（{unit.name}）",
        detail={"task": task.pk, "unit": unit.pk, "due_on": _iso({"d": task.due_on})["d"]},
        unit=unit,
    )
    _notify_staff(
        case,
        "case.task_new",
        f"新的待办：{_item_name(case)}",
        f"办件{case.number}进入“{task.name}”环节，请在{_date_text(task.due_on)}前办理。",
        unit=unit,
        roles=(task.role,),
    )
    return task


def _conclusion_task(case: Case, *, after: CaseTask, on: dt.date, actor) -> CaseTask:
    return _open_task(
        case,
        step=None,
        on=on,
        actor=actor,
        unit=after.unit,
        position=after.position + 1,
        name="办结",
        role=Role.APPROVER,
        budget_days=0,
    )


# --- start, draft, materials ---------------------------------------------------------------


def case_start(
    *,
    applicant,
    item: ImplementationItem,
    channel: str,
    actor,
    variant=None,
    agent=None,
    agent_authorisation=None,
    form_data: dict | None = None,
    on: dt.date | None = None,
    idempotency_key: str = "",
) -> Case:
    """Open a case under the version in force: the number is given here and kept for life.

    Online cases start as drafts; window and post cases wait for acceptance at once. The
    materials checklist is copied from the version; shared-data materials are never asked
    for (status SHARED).

    ``idempotency_key`` (optional): a start repeated with the key of an earlier one for the
    same applicant returns that case and opens none, so a client that lost the answer may
    simply retry.
    """
    on = _day(on)
    key = (idempotency_key or "").strip()
    if len(key) > 80:
        raise ValidationError({"idempotency_key": "新建幂等键不超过80个字符"})
    if key:
        earlier = _started_with(applicant, key, item, channel)
        if earlier is not None:
            return earlier
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
    if errors:
        raise ValidationError(errors)
    if is_user(actor) and not any(ra.role == Role.WINDOW_CLERK for ra in roles_of(actor)):
        raise PermissionDenied("只有窗口人员可以为申请人录入申请")
    version = version_in_force(item)
    if variant is not None and variant.version_id != version.pk:
        raise ValidationError({"variant": "所选业务办理项不属于该事项现行指南"})
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
        )
    except IntegrityError:
        # The same key raced in from a parallel retry and won: its case is the answer (this
        # attempt rolled back, number included, so no gap is left).
        earlier = _started_with(applicant, key, item, channel) if key else None
        if earlier is None:
            raise
        return earlier


def _started_with(applicant, key: str, item: ImplementationItem, channel: str) -> Case | None:
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
    applicant,
    item: ImplementationItem,
    channel: str,
    actor,
    version: ItemVersion,
    variant,
    agent,
    agent_authorisation,
    form_data: dict,
    method: str,
    on: dt.date,
    key: str,
) -> Case:
    with transaction.atomic():
        number = allocate_case_number(item.implementation_code, on)
        case = Case.objects.create(
            number=number,
            start_key=key,
            query_code_hash=query_code_hash(query_code_for(number)),
            applicant=applicant,
            agent=agent,
            agent_authorisation=agent_authorisation,
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
        _event(
            case,
            EventKind.CREATED,
            actor,
            on,
            note=f"{CaseChannel(channel).label}：{item.base_item.name}",
            detail={"version": version.number, "agent": agent.masked_id if agent else ""},
        )
        _audit(actor, "start", case, {"number": number, "channel": channel})
    return case


def case_update_draft(*, case: Case, form_data: dict, variant=None, actor) -> Case:
    """Save the application form of a draft (or of an application sent back for fixes)."""
    if not isinstance(form_data, dict):
        raise ValidationError({"form_data": "申请表内容格式不正确"})
    with transaction.atomic():
        case = _locked(case)
        _require_status(case, (CaseStatus.DRAFT, CaseStatus.PRECHECK_RETURNED), "修改申请表")
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
        _audit(actor, "update_draft", case, {"form_data": [sorted(before), sorted(case.form_data)]})
    return case


UPLOAD_STATUSES = (
    CaseStatus.DRAFT,
    CaseStatus.PRECHECK_RETURNED,
    CaseStatus.AWAITING_ACCEPTANCE,
    CaseStatus.CORRECTION_NOTICE,
    CaseStatus.IN_PROGRESS,
    CaseStatus.SUSPENDED,
)


def _pdf_pages(uploaded) -> int:
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


def check_material_upload(uploaded) -> tuple[str, str, int, int | None, str]:
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


def _after_provided(case: Case, cm: CaseMaterial, actor, on: dt.date) -> None:
    """A material was provided again: pending a new check; a deferred one is received."""
    if cm.status == MaterialStatus.DEFICIENT:
        cm.follow_up_received_on = on
        _event(case, EventKind.DEFICIENCY_RECEIVED, actor, on, note=cm.name)
    cm.status = MaterialStatus.PENDING
    cm.problem = ""
    cm.checked_by = None
    cm.checked_at = None


def case_material_upload(
    *, case: Case, case_material: CaseMaterial, uploaded, actor
) -> CaseMaterial:
    """Store a file for one material (type read from the content, size and PDF page limits;
    stored under the private file root, served only through a permission check)."""
    content_type, ext, size, pages, sha = check_material_upload(uploaded)
    on = timezone.localdate()
    with transaction.atomic():
        case = _locked(case)
        _require_status(case, UPLOAD_STATUSES, "上传材料")
        if is_user(actor):
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
        _audit(actor, "material_upload", case, {"material": cm.name, "sha256": sha, "size": size})
    return cm


def case_material_reuse(*, case: Case, case_material: CaseMaterial, source, actor) -> CaseMaterial:
    """Fill a material from the applicant's wallet: an earlier material of the same
    applicant, or a valid e-licence they hold. Needs the applicant's consent."""
    from sanyi.licences.models import ELicence, LicenceStatus

    on = timezone.localdate()
    with transaction.atomic():
        case = _locked(case)
        _require_status(case, UPLOAD_STATUSES, "复用材料")
        if not case.applicant.wallet_consent:
            raise ValidationError(
                {"source": "申请人尚未同意复用以前的材料和电子证照，请先在个人资料中同意"}
            )
        cm = _material_of(case, case_material)
        if isinstance(source, CaseMaterial):
            src = CaseMaterial.objects.select_related("case").filter(pk=source.pk).first()
            if src is None or src.case.applicant_id != case.applicant_id or not src.file:
                raise ValidationError({"source": "只能复用本人以前提交过的材料"})
            if src.case_id == case.pk:
                raise ValidationError({"source": "不能复用本办件自己的材料"})
            cm.file = src.file.name
            cm.content_type, cm.size, cm.pages, cm.sha256 = (
                src.content_type,
                src.size,
                src.pages,
                src.sha256,
            )
            cm.origin, cm.reused_from, cm.licence = MaterialOrigin.WALLET, src, None
            what = f"复用办件{src.case.number}的“{src.name}”"
        elif isinstance(source, ELicence):
            lic = ELicence.objects.filter(pk=source.pk).first()
            if lic is None or lic.holder_id != case.applicant_id:
                raise ValidationError({"source": "只能复用本人持有的电子证照"})
            if lic.status != LicenceStatus.VALID or (lic.valid_until and lic.valid_until < on):
                raise ValidationError({"source": f"电子证照“{lic.name}”已失效，不能复用"})
            cm.file = ""
            cm.content_type, cm.size, cm.pages, cm.sha256 = "", 0, None, ""
            cm.origin, cm.licence, cm.reused_from = MaterialOrigin.LICENCE, lic, None
            what = f"复用电子证照“{lic.name}”（{lic.number}）"
        else:
            raise ValidationError({"source": "请选择要复用的材料或电子证照"})
        cm.uploaded_at = timezone.now()
        _after_provided(case, cm, actor, on)
        cm.save()
        _audit(actor, "material_reuse", case, {"material": cm.name}, note=what)
    return cm


def _provided(cm: CaseMaterial) -> bool:
    return bool(cm.file) or cm.licence_id is not None


# --- submit and pre-check ---------------------------------------------------------------


def case_submit(*, case: Case, actor, idempotency_key: str, on: dt.date | None = None) -> Case:
    """Send a draft for pre-check. A retried submit with the same key returns the case it
    submitted the first time, never a second one."""
    on = _day(on)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 80:
        raise ValidationError({"idempotency_key": "提交幂等键不能为空，且不超过80个字符"})
    with transaction.atomic():
        done = (
            Case.objects.filter(applicant_id=case.applicant_id, idempotency_key=key)
            .exclude(pk=case.pk)
            .first()
        )
        if done is not None:
            return done
        case = _locked(case)
        if case.idempotency_key == key:
            return case
        _require_status(case, (CaseStatus.DRAFT,), "提交")
        missing = [
            cm.name
            for cm in case.materials.all()
            if cm.required
            and cm.status != MaterialStatus.SHARED
            and not _provided(cm)
            and not (cm.material_id and cm.material.necessity == MaterialNecessity.DEFERRABLE)
        ]
        if missing:
            raise ValidationError({"materials": "以下必要材料还没有上传：" + "、".join(missing)})
        case.status = CaseStatus.PRECHECK
        case.idempotency_key = key
        case.submitted_at = _moment(on)
        case.save(update_fields=["status", "idempotency_key", "submitted_at", "updated_at"])
        _event(case, EventKind.SUBMITTED, actor, on)
        _audit(actor, "submit", case, {"status": [CaseStatus.DRAFT, CaseStatus.PRECHECK]})
        _notify_staff(
            case,
            "case.precheck_due",
            f"待预审：{_item_name(case)}",
            f"网上申请{case.number}已提交，请预审。",
            unit=case.unit,
            roles=(Role.WINDOW_CLERK, Role.APPROVER),
        )
    return case


def _notice_text(
    case: Case, problems: list[tuple[str, str]], reply_due_on, *, at_window: bool
) -> str:
    head = (
        f"您申请的“{_item_name(case)}”（办件编号{case.number}）"
        + ("经窗口审核" if at_window else "经网上预审")
        + f"，以下{len(problems)}项材料需要补正。请一次补齐后"
        + ("带到窗口办理" if at_window else "重新提交")
        + "："
    )
    lines = [head] + [f"{i}. {name}：{problem}" for i, (name, problem) in enumerate(problems, 1)]
    if reply_due_on:
        lines.append(f"请在{_date_text(reply_due_on)}前补正。")
    lines.append("除以上材料外，其他材料无需再提交。")
    return "\n".join(lines)


def _check_results(case: Case, results, actor, now, *, allowed=("ok", "to_fix")) -> list:
    """Apply per-material check results; returns [(name, problem)] of those to fix."""
    by_pk = {cm.pk: cm for cm in case.materials.select_for_update()}
    problems: list[tuple[str, str]] = []
    errors: list[str] = []
    for row in results:
        cm_ref = row.get("material") if isinstance(row, dict) else row
        cm = by_pk.get(getattr(cm_ref, "pk", cm_ref))
        if cm is None:
            raise ValidationError({"results": "审核结果中有不属于本办件的材料"})
        status = row.get("status", "ok") if isinstance(row, dict) else "ok"
        problem = (row.get("problem") or "").strip() if isinstance(row, dict) else ""
        if status not in allowed:
            raise ValidationError({"results": f"“{cm.name}”的审核结果不正确"})
        if cm.status == MaterialStatus.SHARED:
            continue
        if status == "to_fix":
            if not problem:
                errors.append(f"“{cm.name}”需补正，请写明具体问题")
                continue
            cm.status, cm.problem = MaterialStatus.TO_FIX, problem[:500]
            problems.append((cm.name, cm.problem))
        else:
            cm.status, cm.problem = MaterialStatus.OK, ""
        cm.checked_by, cm.checked_at = actor_user(actor), now
        cm.save(update_fields=["status", "problem", "checked_by", "checked_at"])
    if errors:
        raise ValidationError({"results": "；".join(errors)})
    return problems


def case_precheck(
    *, case: Case, results, actor, reply_days: int | None = None, on: dt.date | None = None
) -> Case:
    """Record a pre-check: every problem goes out at once in one plain notice."""
    on = _day(on)
    with transaction.atomic():
        case = _locked(case)
        _require_status(case, (CaseStatus.PRECHECK,), "预审")
        _require_staff(actor, STAFF_ROLES, case.unit, "您不能预审不在本单位范围内的办件")
        problems = _check_results(case, results, actor, _moment(on))
        pending = [
            cm.name
            for cm in case.materials.all()
            if cm.required and cm.status == MaterialStatus.PENDING and _provided(cm)
        ]
        if not problems and pending:
            raise ValidationError({"results": "还有材料未审核：" + "、".join(pending)})
        if problems:
            reply_due = add_workdays(on, reply_days).date if reply_days else None
            number = case.precheck_rounds.count() + 1
            notice = _notice_text(case, problems, reply_due, at_window=False)
            PrecheckRound.objects.create(
                case=case,
                number=number,
                notice=notice,
                items=[{"material": n, "problem": p} for n, p in problems],
                reply_due_on=reply_due,
                created_by=actor_user(actor) or _system_user(),
            )
            case.status = CaseStatus.PRECHECK_RETURNED
            _event(
                case, EventKind.PRECHECK_RETURNED, actor, on, note=notice, detail={"round": number}
            )
            _notify_applicant(case, "case.correction_needed", "申请材料需要补正", notice)
        else:
            case.status = CaseStatus.AWAITING_ACCEPTANCE
            _event(case, EventKind.PRECHECK_PASSED, actor, on)
            _notify_applicant(
                case,
                "case.precheck_passed",
                "预审通过",
                f"您申请的“{_item_name(case)}”（{case.number}）已通过预审，等待受理。",
            )
        case.save(update_fields=["status", "updated_at"])
        _audit(actor, "precheck", case, {"status": case.status, "problems": len(problems)})
    return case


def _system_user():
    """The staff account rows need when a system label acts (created_by is required)."""
    from sanyi.orgs.models import User

    user, _ = User.objects.get_or_create(
        username="system", defaults={"full_name": "系统", "is_active": False}
    )
    return user


def case_resubmit(*, case: Case, actor, on: dt.date | None = None) -> Case:
    """After fixing: back to pre-check (online) or to acceptance (a window notice)."""
    on = _day(on)
    with transaction.atomic():
        case = _locked(case)
        _require_status(
            case, (CaseStatus.PRECHECK_RETURNED, CaseStatus.CORRECTION_NOTICE), "重新提交"
        )
        still = [cm.name for cm in case.materials.all() if cm.status == MaterialStatus.TO_FIX]
        if still:
            raise ValidationError({"materials": "以下材料还没有补正：" + "、".join(still)})
        case.precheck_rounds.filter(resolved_at__isnull=True).update(resolved_at=_moment(on))
        before = case.status
        case.status = (
            CaseStatus.PRECHECK
            if before == CaseStatus.PRECHECK_RETURNED
            else CaseStatus.AWAITING_ACCEPTANCE
        )
        case.save(update_fields=["status", "updated_at"])
        _event(case, EventKind.PRECHECK_RESUBMITTED, actor, on)
        _audit(actor, "resubmit", case, {"status": [before, case.status]})
        if case.status == CaseStatus.PRECHECK:
            _notify_staff(
                case,
                "case.precheck_due",
                f"补正后待预审：{_item_name(case)}",
                f"办件{case.number}已补正，请再次预审。",
                unit=case.unit,
                roles=(Role.WINDOW_CLERK, Role.APPROVER),
            )
    return case


# --- acceptance -------------------------------------------------------------------------


def _visit(case: Case, purpose: str, actor, window, at: dt.datetime) -> Visit:
    visit = Visit.objects.create(
        case=case,
        purpose=purpose,
        at=at,
        window=window,
        recorded_by=actor_user(actor) or _system_user(),
    )
    case.visits += 1
    return visit


def case_accept(
    *,
    case: Case,
    window: Window,
    decision: str,
    actor,
    materials: Sequence = (),
    reason: str = "",
    basis: str = "",
    deficiencies: Sequence = (),
    on: dt.date | None = None,
) -> Case:
    """Decide on acceptance at a window (一窗受理).

    ``materials``: what the clerk checked at the window, each either a CaseMaterial (ticked:
    received and in order) or ``{"material": CaseMaterial, "status": "ok"|"to_fix",
    "problem": "..."}``. ``deficiencies`` (容缺受理): ``[{"material": CaseMaterial,
    "due_on": date}]``; only materials the guide marks as deferrable.
    """
    on = _day(on)
    if decision not in AcceptanceDecision.values:
        raise ValidationError({"decision": "请选择受理决定"})
    center = window.center
    with transaction.atomic():
        case = _locked(case)
        _require_status(
            case, (CaseStatus.AWAITING_ACCEPTANCE, CaseStatus.CORRECTION_NOTICE), "受理"
        )
        if not window.is_active or not center.is_active:
            raise ValidationError({"window": "该窗口或服务中心已停用"})
        _require_staff(
            actor,
            Role.WINDOW_CLERK,
            center.org_unit,
            f"您不是“{center.name}”的窗口人员，不能在该中心受理",
        )
        refusal = center_may_accept(center, case.implementation_item)
        if refusal:
            raise ValidationError({"window": refusal})
        now = _moment(on)
        problems = _check_results(case, materials, actor, now)
        at_window = case.channel != CaseChannel.ONLINE
        case.center, case.window = center, window
        case.acceptance_decision = decision
        case.accepted_by = actor_user(actor)
        if at_window:
            _visit(case, VisitPurpose.SUBMIT, actor, window, now)
        if decision == AcceptanceDecision.REJECT:
            _reject(case, actor, on, reason, basis)
        elif decision == AcceptanceDecision.CORRECTION_NOTICE:
            _correction_notice(case, actor, on, problems, at_window)
        else:
            if problems:
                raise ValidationError(
                    {"materials": "有材料需补正，不能受理；请选择“一次性告知补正”"}
                )
            _mark_deficiencies(case, deficiencies, on)
            missing = [
                cm.name
                for cm in case.materials.all()
                if cm.required
                and cm.status
                not in (
                    MaterialStatus.OK,
                    MaterialStatus.SHARED,
                    MaterialStatus.DEFICIENT,
                    MaterialStatus.WAIVED,
                )
            ]
            if missing:
                raise ValidationError(
                    {
                        "materials": "以下必要材料尚未收齐或核验："
                        + "、".join(missing)
                        + "。可勾选已收取的材料，或选择容缺受理、一次性告知补正"
                    }
                )
            _start_clocks(
                case,
                actor,
                on,
                now,
                deficient=decision == AcceptanceDecision.ACCEPT_WITH_DEFICIENCY,
            )
        case.save()
        _audit(actor, "accept", case, {"decision": decision, "window": window.pk})
    return case


def _reject(case: Case, actor, on: dt.date, reason: str, basis: str) -> None:
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "不予受理须写明理由"
    if not (basis or "").strip():
        errors["basis"] = "不予受理须写明法律依据"
    if errors:
        raise ValidationError(errors)
    case.status = CaseStatus.NOT_ACCEPTED
    case.acceptance_reason, case.acceptance_basis = reason.strip(), basis.strip()
    case.current_unit = case.center.org_unit
    case.unit = case.center.org_unit
    _event(
        case,
        EventKind.NOT_ACCEPTED,
        actor,
        on,
        note=f"理由：{case.acceptance_reason}\n依据：{case.acceptance_basis}",
    )
    _notify_applicant(
        case,
        "case.not_accepted",
        "申请不予受理",
        f"您申请的“{_item_name(case)}”（{case.number}）不予受理。理由：{case.acceptance_reason}"
        f"。依据：{case.acceptance_basis}。如不服，可依法申请行政复议或者提起行政诉讼。",
    )


def _correction_notice(case: Case, actor, on: dt.date, problems, at_window: bool) -> None:
    named = {n for n, _ in problems}
    absent = [
        cm
        for cm in case.materials.all()
        if cm.required
        and cm.status == MaterialStatus.PENDING
        and not _provided(cm)
        and cm.name not in named
    ]
    problems = list(problems) + [(cm.name, "未提交") for cm in absent]
    if not problems:
        raise ValidationError({"materials": "一次性告知须列出需补正的材料和具体问题"})
    case.materials.filter(pk__in=[cm.pk for cm in absent]).update(
        status=MaterialStatus.TO_FIX, problem="未提交"
    )
    number = case.precheck_rounds.count() + 1
    notice = _notice_text(case, problems, None, at_window=at_window)
    PrecheckRound.objects.create(
        case=case,
        number=number,
        at_acceptance=True,
        notice=notice,
        items=[{"material": n, "problem": p} for n, p in problems],
        created_by=actor_user(actor) or _system_user(),
    )
    case.status = CaseStatus.CORRECTION_NOTICE
    case.unit = case.center.org_unit
    case.current_unit = case.center.org_unit
    _event(case, EventKind.CORRECTION_NOTICE, actor, on, note=notice, detail={"round": number})
    _notify_applicant(case, "case.correction_needed", "一次性告知：请补正材料", notice)


def _mark_deficiencies(case: Case, deficiencies, on: dt.date) -> None:
    for row in deficiencies:
        cm_ref, due_on = row.get("material"), row.get("due_on")
        cm = (
            case.materials.select_related("material")
            .filter(pk=getattr(cm_ref, "pk", cm_ref))
            .first()
        )
        if cm is None:
            raise ValidationError({"deficiencies": "容缺材料不属于本办件"})
        if cm.material is None or cm.material.necessity != MaterialNecessity.DEFERRABLE:
            raise ValidationError(
                {"deficiencies": f"“{cm.name}”不是办事指南列明的可容缺材料，不能容缺受理"}
            )
        if not isinstance(due_on, dt.date) or due_on <= on:
            raise ValidationError({"deficiencies": f"请为“{cm.name}”填写晚于今天的补交期限"})
        cm.status, cm.follow_up_due_on = MaterialStatus.DEFICIENT, due_on
        cm.save(update_fields=["status", "follow_up_due_on"])


def _start_clocks(case: Case, actor, on: dt.date, now, *, deficient: bool) -> None:
    version = case.item_version
    case.status = CaseStatus.IN_PROGRESS
    case.accepted_on, case.accepted_at = on, now
    case.unit = case.current_unit = case.center.org_unit
    case.statutory_days = (
        version.statutory_limit_value
        if version.statutory_limit_unit == LimitUnit.WORKING_DAY
        else None
    )
    case.promised_days = (
        version.promised_limit_value
        if version.promised_limit_unit == LimitUnit.WORKING_DAY
        else None
    )
    _set_dues(case, today=on)
    code = query_code_for(case.number)
    kind = EventKind.ACCEPTED_WITH_DEFICIENCY if deficient else EventKind.ACCEPTED
    deferred = [cm for cm in case.materials.all() if cm.status == MaterialStatus.DEFICIENT]
    note = f"受理单位：{case.center.name}；承诺办结期限：{_date_text(case.promised_due_on)}"
    if case.due_provisional:
        note += "（暂定）"
    if deferred:
        note += "；容缺后补：" + "、".join(
            f"{cm.name}（{_date_text(cm.follow_up_due_on)}前）" for cm in deferred
        )
    _event(
        case,
        kind,
        actor,
        on,
        note=note,
        detail=_iso(
            {
                "statutory_due_on": case.statutory_due_on,
                "promised_due_on": case.promised_due_on,
                "provisional": case.due_provisional,
            }
        ),
        unit=case.unit,
    )
    _notify_applicant(
        case,
        "case.accepted",
        "申请已受理",
        f"您申请的“{_item_name(case)}”已受理，办件编号{case.number}，查询码{code}，"
        f"承诺{_date_text(case.promised_due_on)}前办结。",
    )
    if case.is_instant:
        return
    steps = _handling_steps(case)
    if steps:
        _open_task(case, step=steps[0], on=on, actor=actor)
    else:
        _open_task(
            case,
            step=None,
            on=on,
            actor=actor,
            unit=case.unit,
            position=1,
            name="办结",
            budget_days=0,
        )


def case_conclude_instant(
    *,
    case: Case,
    window: Window,
    actor,
    materials: Sequence = (),
    decision: str = Decision.APPROVE,
    reason: str = "",
    basis: str = "",
    recipient_name: str = "",
    on: dt.date | None = None,
) -> Case:
    """An instant item (即办件): accept, conclude and hand over at the same visit."""
    if not case.is_instant:
        raise ValidationError({"case": "只有即办件可以当场办结"})
    with transaction.atomic():
        case = case_accept(
            case=case,
            window=window,
            decision=AcceptanceDecision.ACCEPT,
            actor=actor,
            materials=materials,
            on=on,
        )
        _require_staff(
            actor, (Role.WINDOW_CLERK, Role.APPROVER), window.center.org_unit, "无权办结"
        )
        case = case_conclude(
            case=case,
            decision=decision,
            reason=reason,
            basis=basis,
            actor=actor,
            on=on,
            _instant=True,
        )
        case = case_deliver(
            case=case,
            method=DeliveryMethod.WINDOW,
            actor=actor,
            window=window,
            recipient_name=recipient_name or case.applicant.name,
            _same_visit=True,
        )
    return case


# --- tasks ------------------------------------------------------------------------------


def _locked_task(task: CaseTask) -> CaseTask:
    return locked(CaseTask, task.pk, related=("unit", "step", "assignee"), of=("self",))


def _may_act(actor, task: CaseTask) -> None:
    role = task.role if task.role in Role.values else Role.APPROVER
    _require_staff(
        actor,
        (role, Role.APPROVER) if role != Role.WINDOW_CLERK else (role,),
        task.unit,
        f"“{task.name}”由{task.unit.name}办理，您不能办理该环节",
    )
    if is_user(actor) and task.assignee_id and task.assignee_id != actor.pk:
        raise PermissionDenied(f"该环节已由{task.assignee}认领，请联系其转办")


def task_claim(*, task: CaseTask, actor) -> CaseTask:
    """Take an open task of one's unit as one's own."""
    with transaction.atomic():
        task = _locked_task(task)
        if task.status != TaskStatus.OPEN:
            raise ValidationError({"task": "该环节已办结"})
        _may_act(actor, task)
        if is_user(actor) and task.assignee_id != actor.pk:
            task.assignee = actor
            task.save(update_fields=["assignee"])
            audit_record(actor=actor, action="cases.task_claim", obj=task)
    return task


def _step_after(case: Case, position: int) -> ProcessStep | None:
    return next((s for s in _handling_steps(case) if s.position > position), None)


def _step_before(case: Case, position: int) -> ProcessStep | None:
    earlier = [s for s in _handling_steps(case) if s.position < position]
    return earlier[-1] if earlier else None


def task_act(
    *,
    task: CaseTask,
    action: str,
    actor,
    opinion: str = "",
    to_unit: OrgUnit | None = None,
    on: dt.date | None = None,
) -> CaseTask:
    """Act on an open step: approve (to the next step or, after the last, to conclusion),
    return to the previous step, request a correction (stops the clock), forward to
    another unit, or add an opinion. Returns the task that is open afterwards (or the
    acted task when none is)."""
    on = _day(on)
    if action not in TaskAction.values:
        raise ValidationError({"action": "请选择处理方式"})
    opinion = (opinion or "").strip()
    with transaction.atomic():
        case = _locked(Case(pk=task.case_id))
        task = _locked_task(task)
        if task.status != TaskStatus.OPEN:
            raise ValidationError({"task": "该环节已办结，不能再处理"})
        allowed = (
            (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
            if action == TaskAction.OPINION
            else (CaseStatus.IN_PROGRESS,)
        )
        _require_status(case, allowed, TaskAction(action).label)
        _may_act(actor, task)
        now = _moment(on)
        result = task
        if action == TaskAction.OPINION:
            if not opinion:
                raise ValidationError({"opinion": "请填写办理意见"})
            task.opinion = (
                task.opinion + "\n" if task.opinion else ""
            ) + f"{_label(actor)}：{opinion}"
            task.save(update_fields=["opinion"])
            _event(case, EventKind.OPINION, actor, on, note=opinion, public=False, unit=task.unit)
        elif action == TaskAction.REQUEST_CORRECTION:
            if not opinion:
                raise ValidationError({"opinion": "请写明需要补正的材料和具体问题"})
            _stop(case, StopReason.CORRECTION, actor, opinion, on)
            task.opinion = (
                task.opinion + "\n" if task.opinion else ""
            ) + f"{_label(actor)}：要求补正：{opinion}"
            task.save(update_fields=["opinion"])
        else:
            if action == TaskAction.RETURN and not opinion:
                raise ValidationError({"opinion": "退回须写明理由"})
            if action == TaskAction.FORWARD:
                _check_forward(task, to_unit)
            if action == TaskAction.RETURN:
                previous = (
                    _step_before(case, task.position)
                    if task.step_id
                    else (_handling_steps(case) or [None])[-1]
                )
                if previous is None:
                    raise ValidationError({"action": "已是第一个办理环节，不能再退回"})
            task.status = TaskStatus.RETURNED if action == TaskAction.RETURN else TaskStatus.DONE
            task.action, task.completed_by, task.completed_at = action, actor_user(actor), now
            if opinion:
                task.opinion = (
                    task.opinion + "\n" if task.opinion else ""
                ) + f"{_label(actor)}：{opinion}"
            task.save()
            if action == TaskAction.APPROVE:
                if task.step_id is None:
                    raise ValidationError({"action": "这是办结环节，请作出办结决定"})
                _event(
                    case,
                    EventKind.TASK_DONE,
                    actor,
                    on,
                    note=f"{task.name}：{opinion or '同意'}",
                    unit=task.unit,
                )
                nxt = _step_after(case, task.position)
                result = (
                    _open_task(case, step=nxt, on=on, actor=actor)
                    if nxt
                    else _conclusion_task(case, after=task, on=on, actor=actor)
                )
            elif action == TaskAction.RETURN:
                _event(
                    case,
                    EventKind.TASK_RETURNED,
                    actor,
                    on,
                    note=f"{task.name}退回：{opinion}",
                    unit=task.unit,
                )
                result = _open_task(case, step=previous, on=on, actor=actor)
            else:
                _event(
                    case,
                    EventKind.FORWARDED,
                    actor,
                    on,
                    note=f"由{task.unit.name}转交{to_unit.name}"
                    + (f"：{opinion}" if opinion else ""),
                    unit=to_unit,
                )
                result = _open_task(
                    case,
                    step=task.step,
                    on=on,
                    actor=actor,
                    unit=to_unit,
                    position=task.position,
                    name=task.name,
                    role=task.role,
                    budget_days=task.budget_days,
                )
        case.save()
        audit_record(
            actor=actor,
            action=f"cases.task_{action}",
            obj=task,
            changes={"case": case.number, "opinion": opinion[:200]},
        )
    return result


def _check_forward(task: CaseTask, to_unit: OrgUnit | None) -> None:
    if to_unit is None:
        raise ValidationError({"to_unit": "请选择转交的单位"})
    if not to_unit.is_active:
        raise ValidationError({"to_unit": f"“{to_unit.name}”已撤销，不能转交"})
    if to_unit.pk == task.unit_id:
        raise ValidationError({"to_unit": "不能转交给本单位"})
    root = task.unit.path.split("/")[0] + "/"
    if not to_unit.path.startswith(root):
        raise ValidationError({"to_unit": "只能转交本区范围内的单位"})


# --- clock stops and extensions ----------------------------------------------------------


def _stop(case: Case, reason: str, actor, note: str, on: dt.date) -> ClockStop:
    if reason not in StopReason.values:
        raise ValidationError({"reason": "请选择暂停计时的原因"})
    _require_status(case, (CaseStatus.IN_PROGRESS,), "暂停计时")
    if case.accepted_on and on < case.accepted_on:
        raise ValidationError({"on": "暂停日期不能早于受理日期"})
    last = case.clock_stops.order_by("-restarted_on").first()
    if last and last.restarted_on and on < last.restarted_on:
        raise ValidationError({"on": "暂停日期不能早于上一次恢复计时的日期"})
    stop = ClockStop.objects.create(
        case=case,
        reason=reason,
        note=(note or "")[:500],
        stopped_on=on,
        stopped_by=actor_user(actor) or _system_user(),
    )
    case.status = CaseStatus.SUSPENDED
    label = StopReason(reason).label
    _event(
        case,
        EventKind.CLOCK_STOPPED,
        actor,
        on,
        note=f"{label}" + (f"：{note}" if note else ""),
        detail={"reason": reason, "stop": stop.pk},
        unit=case.current_unit,
    )
    body = f"您的办件{case.number}因“{label}”暂停计时，暂停期间不计入办理时限。"
    if reason == StopReason.CORRECTION:
        body = f"您的办件{case.number}需要补正材料，补正期间暂停计时。需补正的内容：{note}"
    _notify_applicant(case, "case.clock_stopped", f"办件暂停计时（{label}）", body)
    return stop


def clock_stop(
    *, case: Case, reason: str, actor, note: str = "", on: dt.date | None = None
) -> Case:
    """Stop the clocks (挂起): the stop day still counts, the days after it do not."""
    on = _day(on)
    with transaction.atomic():
        case = _locked(case)
        _require_staff(actor, Role.APPROVER, case.current_unit, "您不能暂停不在本单位办理的办件")
        _stop(case, reason, actor, note, on)
        case.save()
        _audit(actor, "clock_stop", case, {"reason": reason, "on": on.isoformat()}, note=note)
    return case


def _shift_open_tasks(case: Case) -> None:
    for t in case.tasks.filter(status=TaskStatus.OPEN):
        due = _task_due(case, t.started_on, t.budget_days)
        if due != t.due_on:
            t.due_on = due
            t.save(update_fields=["due_on"])


def clock_restart(*, case: Case, actor, on: dt.date | None = None) -> Case:
    """Restart the clocks; the due dates move by the stopped working days."""
    on = _day(on)
    with transaction.atomic():
        case = _locked(case)
        _require_status(case, (CaseStatus.SUSPENDED,), "恢复计时")
        _require_staff(
            actor, (Role.APPROVER, Role.WINDOW_CLERK), case.current_unit, "您不能恢复该办件的计时"
        )
        stop = case.clock_stops.select_for_update().get(restarted_on__isnull=True)
        if on < stop.stopped_on:
            raise ValidationError({"on": "恢复日期不能早于暂停日期"})
        stop.restarted_on, stop.restarted_by = on, actor_user(actor)
        stop.days = workdays_between(stop.stopped_on, on).days
        stop.save(update_fields=["restarted_on", "restarted_by", "days"])
        case.stopped_days += stop.days
        case.status = CaseStatus.IN_PROGRESS
        old, new = _set_dues(case, today=on)
        _shift_open_tasks(case)
        _event(
            case,
            EventKind.CLOCK_RESTARTED,
            actor,
            on,
            note=f"暂停{stop.days}个工作日；承诺办结期限{_date_text(old['promised_due_on'])}"
            f"→{_date_text(new['promised_due_on'])}",
            detail={"old": _iso(old), "new": _iso(new), "days": stop.days},
            unit=case.current_unit,
        )
        _notify_applicant(
            case,
            "case.clock_restarted",
            "办件恢复计时",
            f"您的办件{case.number}已恢复计时，承诺办结期限为{_date_text(case.promised_due_on)}。",
        )
        case.save()
        _audit(
            actor,
            "clock_restart",
            case,
            {"days": stop.days, **{k: [_iso(old)[k], _iso(new)[k]] for k in old}},
        )
    return case


def case_extend(
    *, case: Case, days: int, reason: str, requested_by, actor, on: dt.date | None = None
) -> Case:
    """An extension approved by someone other than the requester (APPROVER or SUPERVISOR
    in scope): ``days`` working days added to both limits."""
    on = _day(on)
    errors = {}
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 60:
        errors["days"] = "延期天数应为1至60个工作日"
    if not (reason or "").strip():
        errors["reason"] = "请写明延期理由"
    if not is_user(requested_by):
        errors["requested_by"] = "请注明申请延期的工作人员"
    if errors:
        raise ValidationError(errors)
    if not is_user(actor):
        raise PermissionDenied("延期须由审批人员批准")
    if actor.pk == requested_by.pk:
        raise PermissionDenied("延期不能由申请人自己批准，须由另一名审批或督查人员批准")
    with transaction.atomic():
        case = _locked(case)
        _require_status(case, OPEN_STATUSES, "延期")
        _require_staff(
            actor,
            (Role.APPROVER, Role.SUPERVISOR),
            case.current_unit,
            "您不在该办件办理单位的审批或督查范围内，不能批准延期",
        )
        case.extension_days += days
        old, new = _set_dues(case, today=on)
        _shift_open_tasks(case)
        Extension.objects.create(
            case=case,
            days=days,
            reason=reason.strip(),
            requested_by=requested_by,
            approved_by=actor,
            approved_on=on,
            old_due_on=old["promised_due_on"] or old["statutory_due_on"] or on,
            new_due_on=new["promised_due_on"] or new["statutory_due_on"] or on,
        )
        _event(
            case,
            EventKind.EXTENDED,
            actor,
            on,
            note=f"延期{days}个工作日：{reason.strip()}；承诺办结期限{_date_text(old['promised_due_on'])}"
            f"→{_date_text(new['promised_due_on'])}",
            detail={"days": days, "old": _iso(old), "new": _iso(new)},
            unit=case.current_unit,
        )
        _notify_applicant(
            case,
            "case.extended",
            "办件延期",
            f"您的办件{case.number}经批准延期{days}个工作日，理由：{reason.strip()}。"
            f"新的办结期限为{_date_text(case.promised_due_on)}。",
        )
        case.save()
        _audit(
            actor,
            "extend",
            case,
            {
                "days": days,
                "promised_due_on": [_iso(old)["promised_due_on"], _iso(new)["promised_due_on"]],
            },
            note=reason,
        )
    return case


def case_recompute_due(*, case: Case, actor, note: str = "", today: dt.date | None = None) -> bool:
    """Recompute the due dates (after a calendar change); records old → new when they move."""
    today = today or timezone.localdate()
    with transaction.atomic():
        case = _locked(case)
        if case.status not in OPEN_STATUSES or case.accepted_on is None:
            return False
        old, new = _set_dues(case, today=today)
        if old == new:
            return False
        _shift_open_tasks(case)
        case.save(
            update_fields=["statutory_due_on", "promised_due_on", "due_provisional", "updated_at"]
        )
        _event(
            case,
            EventKind.DUE_RECOMPUTED,
            actor,
            today,
            note=(note + "；" if note else "") + f"法定期限{_date_text(old['statutory_due_on'])}"
            f"→{_date_text(new['statutory_due_on'])}，"
            f"承诺期限{_date_text(old['promised_due_on'])}→{_date_text(new['promised_due_on'])}",
            detail={"old": _iso(old), "new": _iso(new)},
        )
        _audit(
            actor, "recompute_due", case, {k: [_iso(old)[k], _iso(new)[k]] for k in old}, note=note
        )
        if old["promised_due_on"] != new["promised_due_on"]:
            _notify_applicant(
                case,
                "case.due_changed",
                "办结期限调整",
                f"因节假日安排调整，您的办件{case.number}的承诺办结期限由"
                f"{_date_text(old['promised_due_on'])}调整为{_date_text(new['promised_due_on'])}。",
            )
    return True


def cases_recompute_for_years(*, years: Iterable[int], actor, note: str = "") -> int:
    """Recompute every open case whose clock touches one of ``years``; the count moved."""
    years = sorted(set(years))
    if not years:
        return 0
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    ids = (
        Case.objects.filter(status__in=OPEN_STATUSES, accepted_on__lte=last)
        .filter(
            Q(statutory_due_on__gte=first)
            | Q(promised_due_on__gte=first)
            | Q(status=CaseStatus.SUSPENDED)
            | Q(due_provisional=True)
        )
        .values_list("pk", flat=True)
    )
    moved = 0
    for pk in ids.iterator(chunk_size=2000):
        if case_recompute_due(case=Case(pk=pk), actor=actor, note=note):
            moved += 1
    return moved


# --- warnings -------------------------------------------------------------------------------


def case_update_warnings(*, today: dt.date | None = None) -> dict[str, int]:
    """Set each running case's warning light; notify once per case and level.

    Yellow once SANYI_CASE_WARNING_SHARE (default 0.8) of the promised limit is used, red
    once the promised date has passed. The assignee (or the step's role holders) and the
    supervisors over the handling unit are told.
    """
    today = today or timezone.localdate()
    counts = {"yellow": 0, "red": 0, "changed": 0}
    qs = (
        Case.objects.filter(status=CaseStatus.IN_PROGRESS, accepted_on__isnull=False)
        .exclude(promised_due_on__isnull=True, statutory_due_on__isnull=True)
        .select_related(
            "item_version", "implementation_item__base_item", "current_unit", "applicant"
        )
        .prefetch_related("clock_stops")
        .order_by("pk")
    )
    for case in qs.iterator(chunk_size=1000):
        level = clocks.clock_of(case, today=today).warning_level
        if level == WarningLevel.YELLOW:
            counts["yellow"] += 1
        elif level == WarningLevel.RED:
            counts["red"] += 1
        if level == case.warning_level:
            continue
        counts["changed"] += 1
        with transaction.atomic():
            rising = WARNING_ORDER[level] > WARNING_ORDER[case.warning_level]
            Case.objects.filter(pk=case.pk).update(warning_level=level, updated_at=timezone.now())
            if not rising:
                continue
            label = WarningLevel(level).label
            due = case.promised_due_on or case.statutory_due_on
            _event(
                case,
                EventKind.WARNING,
                SYSTEM_TASKS,
                today,
                note=f"{label}：承诺办结期限{_date_text(due)}",
                detail={"level": level},
                public=False,
                unit=case.current_unit,
            )
            tasks = list(
                case.tasks.filter(status=TaskStatus.OPEN).select_related("assignee", "unit")
            )
            body = f"办件{case.number}（{_item_name(case)}）{label}，办结期限{_date_text(due)}。"
            key = f"case:{case.pk}:{level}"
            for task in tasks:
                if task.assignee_id:
                    _notify_staff(
                        case,
                        f"case.{level}",
                        f"{label}：{case.number}",
                        body,
                        users=[task.assignee],
                        key=key,
                    )
                else:
                    _notify_staff(
                        case,
                        f"case.{level}",
                        f"{label}：{case.number}",
                        body,
                        unit=task.unit,
                        roles=(task.role,),
                        key=key,
                    )
            _notify_staff(
                case,
                f"case.{level}",
                f"{label}：{case.number}",
                body,
                unit=case.current_unit,
                roles=(Role.SUPERVISOR,),
                key=key,
            )
    return counts


# --- conclusion, delivery, visits, withdrawal ------------------------------------------------


def case_conclude(
    *,
    case: Case,
    decision: str,
    reason: str,
    basis: str,
    actor,
    on: dt.date | None = None,
    licence: dict[str, Any] | None = None,
    _instant: bool = False,
) -> Case:
    """Decide the case (准予/不予准予) with reasons and legal basis; the decision letter is
    generated as PDF; an approved licence item issues an e-licence (``licence`` may give
    ``name``, ``valid_until`` and ``details``). The result then waits for delivery by the
    method the applicant chose."""
    from sanyi.cases import documents

    on = _day(on)
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "请选择办结结果：准予或不予准予"
    reason, basis = (reason or "").strip(), (basis or "").strip()
    if decision == Decision.DENY and not reason:
        errors["reason"] = "不予准予须写明理由"
    if decision == Decision.DENY and not basis:
        errors["basis"] = "不予准予须写明法律依据"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(case)
        _require_status(case, (CaseStatus.IN_PROGRESS,), "办结")
        roles = (Role.APPROVER, Role.WINDOW_CLERK) if _instant else (Role.APPROVER,)
        _require_staff(actor, roles, case.current_unit, "您不能办结不在本单位办理的办件")
        if not basis:
            basis = "；".join(
                f"{b.title}{b.article[:60]}" for b in case.item_version.legal_bases.all()[:3]
            )
        now = _moment(on)
        case.tasks.filter(status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE,
            action=TaskAction.APPROVE,
            completed_by=actor_user(actor),
            completed_at=now,
        )
        case.decision, case.decision_reason, case.decision_basis = decision, reason, basis
        case.decided_by = actor_user(actor)
        case.concluded_at, case.concluded_on = now, on
        case.status = CaseStatus.CONCLUDED
        case.warning_level = (
            WarningLevel.NONE
            if not case.promised_due_on or on <= case.promised_due_on
            else WarningLevel.RED
        )
        _event(
            case,
            EventKind.CONCLUDED,
            actor,
            on,
            note=f"{Decision(decision).label}" + (f"：{reason}" if reason else ""),
            detail={"decision": decision, "basis": basis},
            unit=case.current_unit,
        )
        issued = None
        version = case.item_version
        if decision == Decision.APPROVE and version.result_type == ResultType.LICENCE:
            from sanyi.licences.services import licence_issue

            extra = licence or {}
            issued = licence_issue(
                case=case,
                name=extra.get("name") or version.result_name or _item_name(case),
                valid_from=extra.get("valid_from") or on,
                valid_until=extra.get("valid_until"),
                details=extra.get("details"),
                actor=actor,
                issued_on=on,
            )
            _event(
                case, EventKind.LICENCE_ISSUED, actor, on, note=f"{issued.name}（{issued.number}）"
            )
        pdf = documents.result_pdf(case, licence=issued)
        title = f"{_item_name(case)}{'准予' if decision == Decision.APPROVE else '不予准予'}决定书"
        import hashlib

        doc = ResultDocument(case=case, title=title[:200], sha256=hashlib.sha256(pdf).hexdigest())
        doc.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=False)
        doc.save()
        method = case.delivery_method or DeliveryMethod.WINDOW
        Delivery.objects.update_or_create(
            case=case,
            defaults={"method": method, "window": case.window, "ready_at": now},
        )
        pickup_at = case.center.name if case.center else "受理窗口"
        where = {
            DeliveryMethod.WINDOW: f"请携带身份证件到{pickup_at}领取",
            DeliveryMethod.POST: "结果将邮寄给您",
            DeliveryMethod.ELECTRONIC: "可在网上办事大厅查看和下载",
        }[method]
        if method == DeliveryMethod.WINDOW and not _instant:
            _event(case, EventKind.READY_FOR_PICKUP, actor, on, note=where)
        if not _instant:
            _notify_applicant(
                case,
                "case.concluded",
                "办件已办结",
                f"您申请的“{_item_name(case)}”（{case.number}）已办结，结果：{Decision(decision).label}。{where}。",
            )
        case.save()
        _audit(
            actor,
            "conclude",
            case,
            {"decision": decision, "licence": issued.number if issued else ""},
        )
    return case


def case_deliver(
    *,
    case: Case,
    method: str,
    actor,
    window: Window | None = None,
    tracking_number: str = "",
    address: str = "",
    recipient_name: str = "",
    now: dt.datetime | None = None,
    _same_visit: bool = False,
) -> Case:
    """Hand over the result (统一出件): at a window (a visit), by post, or electronically."""
    now = now or timezone.now()
    errors = {}
    if method not in DeliveryMethod.values:
        errors["method"] = "请选择出件方式"
    if method == DeliveryMethod.POST:
        if not tracking_number.strip():
            errors["tracking_number"] = "邮寄送达须填写邮件单号"
        if not address.strip():
            errors["address"] = "邮寄送达须填写送达地址"
    if method == DeliveryMethod.WINDOW:
        if window is None:
            errors["window"] = "请选择出件窗口"
        if not recipient_name.strip():
            errors["recipient_name"] = "请填写领取人姓名"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case = _locked(case)
        _require_status(case, (CaseStatus.CONCLUDED,), "出件")
        unit = window.center.org_unit if window is not None else (case.unit)
        _require_staff(
            actor, (Role.WINDOW_CLERK, Role.APPROVER), unit, "您不能在该中心为此办件出件"
        )
        delivery, _ = Delivery.objects.get_or_create(
            case=case, defaults={"method": method, "ready_at": now}
        )
        delivery.method, delivery.window = method, window
        delivery.tracking_number, delivery.address = tracking_number.strip(), address.strip()
        delivery.recipient_name = recipient_name.strip()[:50]
        delivery.delivered_at, delivery.handed_over_by = now, actor_user(actor)
        delivery.save()
        case.delivery_method, case.delivered_at, case.status = method, now, CaseStatus.DELIVERED
        on = timezone.localtime(now).date()
        if method == DeliveryMethod.WINDOW and not _same_visit:
            _visit(case, VisitPurpose.PICKUP, actor, window, now)
        detail = {
            DeliveryMethod.WINDOW: f"窗口领取，领取人：{delivery.recipient_name}",
            DeliveryMethod.POST: f"邮寄送达，邮件单号：{delivery.tracking_number}",
            DeliveryMethod.ELECTRONIC: "电子送达",
        }[method]
        _event(case, EventKind.DELIVERED, actor, on, note=detail)
        _notify_applicant(
            case,
            "case.delivered",
            "办理结果已送达",
            f"您的办件{case.number}的办理结果已{DeliveryMethod(method).label}。欢迎对本次服务作出评价。",
        )
        case.save()
        _audit(actor, "deliver", case, {"method": method})
    return case


def visit_record(
    *, case: Case, purpose: str, actor, window: Window | None = None, at=None
) -> Visit:
    """Record one in-person visit of the applicant or agent (跑动次数)."""
    if purpose not in VisitPurpose.values:
        raise ValidationError({"purpose": "请选择到现场的事由"})
    at = at or timezone.now()
    with transaction.atomic():
        case = _locked(case)
        unit = window.center.org_unit if window is not None else case.current_unit
        _require_staff(actor, (Role.WINDOW_CLERK, Role.APPROVER), unit, "您不能为该办件登记到现场")
        visit = _visit(case, purpose, actor, window, at)
        _event(
            case,
            EventKind.VISIT,
            actor,
            timezone.localtime(at).date(),
            note=VisitPurpose(purpose).label,
            public=True,
        )
        case.save(update_fields=["visits", "updated_at"])
        _audit(actor, "visit", case, {"purpose": purpose})
    return visit


def case_withdraw(*, case: Case, actor, reason: str, on: dt.date | None = None) -> Case:
    """The applicant withdraws (撤回) a case not yet concluded."""
    on = _day(on)
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明撤回原因"})
    with transaction.atomic():
        case = _locked(case)
        if case.status in FINAL_STATUSES or case.status in (CaseStatus.CONCLUDED,):
            raise ValidationError({"status": f"办件当前为“{case.get_status_display()}”，不能撤回"})
        _require_staff(actor, STAFF_ROLES, case.current_unit, "您不能撤回不在本单位范围内的办件")
        before = case.status
        for task in case.tasks.filter(status=TaskStatus.OPEN).select_related("assignee"):
            _notify_staff(
                case,
                "case.withdrawn",
                f"办件已撤回：{case.number}",
                f"申请人撤回了办件{case.number}（{_item_name(case)}），“{task.name}”环节已取消。"
                f"撤回原因：{reason.strip()}",
                users=[task.assignee] if task.assignee_id else None,
                unit=None if task.assignee_id else task.unit,
                roles=() if task.assignee_id else (task.role,),
            )
        case.tasks.filter(status=TaskStatus.OPEN).update(
            status=TaskStatus.CANCELLED, completed_at=_moment(on)
        )
        case.clock_stops.filter(restarted_on__isnull=True).update(restarted_on=on)
        case.status = CaseStatus.WITHDRAWN
        _event(case, EventKind.WITHDRAWN, actor, on, note=reason.strip())
        case.save()
        _audit(actor, "withdraw", case, {"status": [before, CaseStatus.WITHDRAWN]}, note=reason)
        if is_user(actor):
            _notify_applicant(
                case, "case.withdrawn", "办件已撤回", f"您的办件{case.number}已按您的申请撤回。"
            )
    return case


def case_receipt_number(case: Case) -> str:
    """The query code printed on the receipt (derived, never stored in clear)."""
    return query_code_for(case.number)


__all__ = [
    "case_accept",
    "case_conclude",
    "case_conclude_instant",
    "case_deliver",
    "case_extend",
    "case_material_reuse",
    "case_material_upload",
    "case_precheck",
    "case_recompute_due",
    "case_resubmit",
    "case_start",
    "case_submit",
    "case_update_draft",
    "case_update_warnings",
    "case_withdraw",
    "cases_recompute_for_years",
    "center_may_accept",
    "clock_restart",
    "clock_stop",
    "step_unit",
    "task_act",
    "task_claim",
    "visit_record",
]
