"""Writing the catalogue: items, versions and their lifecycle, life events.

Every service is keyword-only, names its actor first, runs in one transaction and leaves
an audit row. The actor is a staff ``User`` (who must hold the catalogue-admin role for
the implementing unit) or a system label such as "系统：导入".

Lifecycle of a version: draft → in_review → (approved by a second catalogue admin) →
published → superseded / cancelled. Published versions never change; editing a published
item opens a new draft of the same code.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.catalog import codes
from sanyi.catalog.choices import (
    CodeKind,
    ImplementerNature,
    ItemLevel,
    ItemType,
    LifeEventAudience,
    PowerSource,
    VersionStatus,
)
from sanyi.catalog.guide import (
    FieldError,
    GuideInvalid,
    apply_guide_fields,
    clean_guide,
    guide_of,
    versions_with_children,
    write_children,
)
from sanyi.catalog.lint import Severity, lint_guide
from sanyi.catalog.models import (
    BaseItem,
    ImplementationItem,
    ItemReview,
    ItemVersion,
    LifeEvent,
    Material,
    validate_guide_file,
)
from sanyi.catalog.signals import item_published
from sanyi.core.actors import Actor, actor_user, is_user
from sanyi.core.actors import actor_label as core_actor_label
from sanyi.core.transitions import require_status
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from sanyi.orgs.models import User

IDENTITY_FIELDS = (
    "level",
    "power_source",
    "implementer_nature",
    "entrusting_body",
    "delegated_from",
)


def actor_label(actor: Actor) -> str:
    """The name the catalogue's records keep for ``actor`` (a user's username)."""
    return core_actor_label(actor, username=True)


def holds_catalog_admin(user: User, unit: OrgUnit) -> bool:
    """Whether ``user`` holds the catalogue-admin role in ``unit`` or a unit above it."""
    return has_role(user, Role.CATALOG_ADMIN, unit)


def _require_editor(actor: Actor, unit: OrgUnit) -> None:
    if not is_user(actor):
        if not core_actor_label(actor).strip():
            raise ValueError("every write names its actor")
        return
    if not holds_catalog_admin(actor, unit):
        raise PermissionDenied(f"您不是“{unit.name}”的事项管理员，不能维护该单位的事项")


def _raise_guide_errors(errors: list[FieldError]) -> None:
    if errors:
        raise GuideInvalid(errors)


def _lock_item(item: ImplementationItem) -> ImplementationItem:
    """Serialise lifecycle changes of one code (two admins publishing at once)."""
    return ImplementationItem.objects.select_for_update().get(pk=item.pk)


def _reload(version: ItemVersion, *, lock: bool = False) -> ItemVersion:
    qs = ItemVersion.objects.select_related(
        "implementation_item__base_item", "implementation_item__implementing_unit"
    )
    if lock:
        _lock_item(version.implementation_item)
    return qs.get(pk=version.pk)


def _require_status(version: ItemVersion, *statuses: str, doing: str) -> None:
    require_status(
        version,
        statuses,
        lambda v: f"{v}处于“{v.get_status_display()}”状态，不能{doing}",
        field=None,
    )


def _variant_codes(
    *, item: ImplementationItem, guide: dict, previous: list[dict], label: str
) -> None:
    """Give every handling variant a code: keep the one it had, validate a given one, or
    issue a new one."""
    by_name = {row["name"]: row["code"] for row in previous if row.get("code")}
    seen: set[str] = set()
    for index, row in enumerate(guide["handling_variants"]):
        code = (row.get("code") or by_name.get(row["name"], "")).upper()
        if code and code in seen:
            raise GuideInvalid(
                [FieldError(f"handling_variants[{index}].code", f"业务办理项编码{code}重复")]
            )
        seen.add(code)
        if not code:
            row["code"] = codes.generate_variant_code(
                implementation_code=item.implementation_code, name=row["name"], actor_label=label
            )
            continue
        try:
            code = codes.validate_variant_code(code, implementation_code=item.implementation_code)
        except ValidationError as exc:
            raise GuideInvalid(
                [FieldError(f"handling_variants[{index}].code", exc.messages[0])]
            ) from None
        issued = codes.issued_code(code)
        if issued is None:
            codes.register_code(
                code=code,
                kind=CodeKind.VARIANT,
                issued_to=row["name"],
                actor_label=label,
                owner_code=item.implementation_code,
            )
        elif issued.owner_code != item.implementation_code:
            raise GuideInvalid(
                [
                    FieldError(
                        f"handling_variants[{index}].code", f"业务办理项编码{code}已发放给其他事项"
                    )
                ]
            )
        row["code"] = code


def _check_identity(
    *, item_type: str, level: str, power_source: str, implementer_nature: str
) -> None:
    errors = {}
    if item_type not in ItemType.values:
        errors["item_type"] = f"事项类型“{item_type}”不在代码表中"
    if level not in ItemLevel.values:
        errors["level"] = f"行使层级“{level}”不在代码表中"
    elif level == ItemLevel.COMMUNITY and item_type != ItemType.PUBLIC_SERVICE:
        errors["level"] = "村（社区）级只能实施公共服务事项"
    if power_source not in PowerSource.values:
        errors["power_source"] = f"权力来源“{power_source}”不在代码表中"
    if implementer_nature not in ImplementerNature.values:
        errors["implementer_nature"] = f"实施主体性质“{implementer_nature}”不在代码表中"
    if errors:
        raise ValidationError(errors)


def _base_item_for(
    *, name: str, item_type: str, main_item: BaseItem | None, base_code: str | None, label: str
) -> BaseItem:
    if main_item is not None and main_item.main_item_id:
        raise ValidationError({"main_item": f"“{main_item.name}”本身是子项，不能再拆分子项"})
    if main_item is not None and main_item.item_type != item_type:
        raise ValidationError({"main_item": "子项的事项类型应与主项相同"})
    if base_code:
        code = codes.validate_base_code(base_code, item_type=item_type)
        existing = BaseItem.objects.filter(base_code=code).first()
        if existing is not None:
            if existing.name != name or existing.item_type != item_type:
                raise ValidationError(
                    {
                        "base_code": (
                            f"基本编码{code}已用于“{existing.name}”（{existing.get_item_type_display()}），"
                            "与本事项的名称或类型不一致"
                        )
                    }
                )
            return existing
        codes.register_code(code=code, kind=CodeKind.BASE, issued_to=name, actor_label=label)
    else:
        existing = BaseItem.objects.filter(
            name=name, item_type=item_type, main_item=main_item
        ).first()
        if existing is not None:
            return existing
        code = codes.generate_base_code(
            item_type=item_type,
            main_code=main_item.base_code if main_item else None,
            name=name,
            actor_label=label,
        )
    base = BaseItem(base_code=code, name=name, item_type=item_type, main_item=main_item)
    base.full_clean()
    base.save()
    return base


@transaction.atomic
def item_create(
    *,
    actor: Actor,
    name: str,
    item_type: str,
    implementing_unit: OrgUnit,
    level: str,
    power_source: str,
    implementer_nature: str,
    base_code: str | None = None,
    implementation_code: str | None = None,
    main_item: BaseItem | None = None,
    delegated_from: OrgUnit | None = None,
    entrusting_body: str = "",
    guide: dict[str, Any] | None = None,
    effective_on: dt.date | None = None,
    change_note: str = "",
) -> ItemVersion:
    """Create an implementation item (and its base item when new) with draft version 1."""
    _require_editor(actor, implementing_unit)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "事项名称不能为空"})
    _check_identity(
        item_type=item_type,
        level=level,
        power_source=power_source,
        implementer_nature=implementer_nature,
    )
    cleaned, errors = clean_guide(guide or {})
    _raise_guide_errors(errors)
    label = actor_label(actor)
    base = _base_item_for(
        name=name, item_type=item_type, main_item=main_item, base_code=base_code, label=label
    )
    live = ImplementationItem.objects.filter(base_item=base, implementing_unit=implementing_unit)
    live = live.exclude(versions__status=VersionStatus.CANCELLED).first()
    if live is not None:
        raise ValidationError(
            f"“{implementing_unit.name}”已有事项“{name}”的实施清单（实施编码"
            f"{live.implementation_code}），请在该事项上新建版本"
        )
    if implementation_code:
        code = codes.validate_implementation_code(implementation_code, unit=implementing_unit)
        codes.register_code(
            code=code, kind=CodeKind.IMPLEMENTATION, issued_to=name, actor_label=label
        )
    else:
        code = codes.generate_implementation_code(
            unit=implementing_unit, base_code=base.base_code, name=name, actor_label=label
        )
    item = ImplementationItem.objects.create(
        implementation_code=code,
        base_item=base,
        implementing_unit=implementing_unit,
        delegated_from=delegated_from,
        level=level,
        power_source=power_source,
        implementer_nature=implementer_nature,
        entrusting_body=(entrusting_body or "").strip(),
    )
    _variant_codes(item=item, guide=cleaned, previous=[], label=label)
    version = ItemVersion(
        implementation_item=item,
        number=1,
        status=VersionStatus.DRAFT,
        created_by=actor_user(actor),
        created_by_label=label,
        effective_on=effective_on,
        change_note=change_note,
    )
    apply_guide_fields(version, cleaned)
    version.save()
    write_children(version, cleaned)
    audit_record(
        actor=actor,
        action="catalog_item.create",
        obj=version,
        changes={
            "base_code": [None, base.base_code],
            "implementation_code": [None, code],
            "implementing_unit": [None, implementing_unit.pk],
            "status": [None, "draft"],
        },
    )
    return version


def _guide_changes(before: dict, after: dict) -> dict[str, list]:
    return {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}


@transaction.atomic
def item_version_update(
    *,
    actor: Actor,
    version: ItemVersion,
    guide: dict[str, Any],
    change_note: str | None = None,
    effective_on: dt.date | None = None,
) -> ItemVersion:
    """Change a draft. ``guide`` holds only the keys to change; lists replace whole lists."""
    version = _reload(version, lock=True)
    _require_editor(actor, version.implementation_item.implementing_unit)
    _require_status(version, VersionStatus.DRAFT, doing="修改")
    before = guide_of(versions_with_children(ItemVersion.objects).get(pk=version.pk))
    cleaned, errors = clean_guide({**before, **guide})
    _raise_guide_errors(errors)
    _variant_codes(
        item=version.implementation_item,
        guide=cleaned,
        previous=before["handling_variants"],
        label=actor_label(actor),
    )
    apply_guide_fields(version, cleaned)
    if change_note is not None:
        version.change_note = change_note
    if effective_on is not None:
        version.effective_on = effective_on
    version.save()
    write_children(version, cleaned)
    changes = _guide_changes(before, cleaned)
    audit_record(actor=actor, action="catalog_item.update", obj=version, changes=changes)
    return version


@transaction.atomic
def item_version_new_draft(
    *, actor: Actor, implementation_item: ImplementationItem, change_note: str = ""
) -> ItemVersion:
    """Open a new draft of a published item: a copy of its published version."""
    item = _lock_item(implementation_item)
    _require_editor(actor, implementation_item.implementing_unit)
    versions = ItemVersion.objects.filter(implementation_item=item)
    working = versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW]).first()
    if working is not None:
        raise ValidationError(f"该事项已有正在编辑的{working}，请先完成或放弃它")
    published = versions_with_children(versions.filter(status=VersionStatus.PUBLISHED)).first()
    if published is None:
        raise ValidationError(f"实施编码{item.implementation_code}没有已发布的版本，不能新建草稿")
    number = versions.aggregate(n=Max("number"))["n"] + 1
    guide = guide_of(published)
    label = actor_label(actor)
    draft = ItemVersion(
        implementation_item=item,
        number=number,
        status=VersionStatus.DRAFT,
        created_by=actor_user(actor),
        created_by_label=label,
        change_note=change_note,
    )
    apply_guide_fields(draft, guide)
    draft.save()
    write_children(draft, guide)
    # Files are shared by reference: a new upload replaces the draft's row, not the file.
    files = {m.name: (m.blank_form.name, m.sample.name) for m in published.materials.all()}
    for material in draft.materials.all():
        blank, sample = files.get(material.name, ("", ""))
        if blank or sample:
            Material.objects.filter(pk=material.pk).update(blank_form=blank, sample=sample)
    audit_record(
        actor=actor,
        action="catalog_item.new_draft",
        obj=draft,
        changes={"number": [published.number, number]},
        note=change_note,
    )
    return draft


@transaction.atomic
def item_version_discard(*, actor: Actor, version: ItemVersion) -> None:
    """Throw away a draft. A code whose only version was this draft is dropped, but its
    code stays issued and is never given out again."""
    version = _reload(version, lock=True)
    item = version.implementation_item
    _require_editor(actor, item.implementing_unit)
    _require_status(version, VersionStatus.DRAFT, doing="放弃")
    audit_record(
        actor=actor, action="catalog_item.discard", obj=version, changes={"status": ["draft", None]}
    )
    version.delete()
    if not item.versions.exists():
        item.life_events.clear()
        audit_record(
            actor=actor,
            action="catalog_item.delete",
            obj=item,
            note=f"实施编码{item.implementation_code}作废，不再使用",
        )
        item.delete()


MATERIAL_FILE_FIELDS = {"blank_form": "空白表格", "sample": "示例样表"}


@transaction.atomic
def material_file_attach(
    *, actor: Actor, version: ItemVersion, position: int, kind: str, upload: UploadedFile
) -> Material:
    """Upload the blank form or the sample of one material of a draft (``kind`` is
    "blank_form" or "sample"); ``upload`` None removes it. Earlier versions keep theirs."""
    version = _reload(version, lock=True)
    _require_editor(actor, version.implementation_item.implementing_unit)
    _require_status(version, VersionStatus.DRAFT, doing="上传材料文件")
    if kind not in MATERIAL_FILE_FIELDS:
        raise ValueError(f"unknown material file kind {kind!r}")
    material = version.materials.filter(position=position).first()
    if material is None:
        raise ValidationError({"position": f"第{position}项材料不存在"})
    label = MATERIAL_FILE_FIELDS[kind]
    if upload is not None:
        try:
            validate_guide_file(upload)
        except ValidationError as exc:
            raise ValidationError({kind: [f"{label}：{m}" for m in exc.messages]}) from None
    field = getattr(material, kind)
    before = field.name
    if upload is None:
        setattr(material, kind, "")
    else:
        field.save(upload.name, upload, save=False)
    material.save(update_fields=[kind])
    after = getattr(material, kind).name
    audit_record(
        actor=actor,
        action="catalog_item.material_file",
        obj=version,
        changes={f"materials[{position - 1}].{kind}": [before, after]},
    )
    return material


def version_lint(version: ItemVersion) -> list:
    full = versions_with_children(
        ItemVersion.objects.select_related("implementation_item__base_item")
    ).get(pk=version.pk)
    return lint_guide(guide_of(full), item_type=full.implementation_item.base_item.item_type)


def _block_on_lint_errors(version: ItemVersion) -> None:
    findings = [f for f in version_lint(version) if f.severity == Severity.ERROR]
    if findings:
        raise ValidationError(
            ["指南存在以下问题，须改正后才能提交或发布："]
            + [f"{f.path or '整体'}：{f.message}（{f.code}）" for f in findings]
        )


@transaction.atomic
def item_version_submit(*, actor: Actor, version: ItemVersion) -> ItemVersion:
    """Send a draft to review. Lint errors block it."""
    version = _reload(version, lock=True)
    _require_editor(actor, version.implementation_item.implementing_unit)
    _require_status(version, VersionStatus.DRAFT, doing="提交审核")
    _block_on_lint_errors(version)
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = timezone.now()
    version.submitted_by = actor_user(actor)
    version.reviewed_by = None
    version.reviewed_at = None
    version.save(
        update_fields=["status", "submitted_at", "submitted_by", "reviewed_by", "reviewed_at"]
    )
    audit_record(
        actor=actor,
        action="catalog_item.submit",
        obj=version,
        changes={"status": ["draft", "in_review"]},
    )
    return version


@transaction.atomic
def item_version_review(
    *, actor: Actor, version: ItemVersion, approve: bool, comment: str = ""
) -> ItemReview:
    """Four-eyes review: a second catalogue admin of the unit approves or sends it back."""
    version = _reload(version, lock=True)
    unit = version.implementation_item.implementing_unit
    if not is_user(actor):
        raise PermissionDenied("审核须由事项管理员本人进行，系统不能代为审核")
    if not holds_catalog_admin(actor, unit):
        raise PermissionDenied(f"您不是“{unit.name}”的事项管理员，不能审核该事项")
    _require_status(version, VersionStatus.IN_REVIEW, doing="审核")
    if version.reviewed_by_id:
        raise ValidationError(f"{version}已审核通过，等待发布")
    if actor.pk in {version.created_by_id, version.submitted_by_id}:
        raise PermissionDenied("编写或提交本版本的人不能审核本版本，请由另一位事项管理员审核")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": "退回时请写明审核意见"})
    review = ItemReview.objects.create(
        version=version, reviewer=actor, approved=approve, comment=comment
    )
    if approve:
        version.reviewed_by = actor
        version.reviewed_at = review.created_at
        version.save(update_fields=["reviewed_by", "reviewed_at"])
        changes = {"reviewed_by": [None, actor.pk]}
    else:
        version.status = VersionStatus.DRAFT
        version.save(update_fields=["status"])
        changes = {"status": ["in_review", "draft"]}
    audit_record(
        actor=actor,
        action="catalog_item.approve" if approve else "catalog_item.reject",
        obj=version,
        changes=changes,
        note=comment,
    )
    return review


def _publish(
    *, actor: Actor, version: ItemVersion, effective_on: dt.date | None, action: str
) -> None:
    today = timezone.localdate()
    effective_on = effective_on or version.effective_on or today
    if effective_on > today:
        raise ValidationError(
            {
                "effective_on": (
                    f"生效日期{effective_on:%Y-%m-%d}晚于今天；发布即生效，请在生效当日发布"
                )
            }
        )
    previous = ItemVersion.objects.filter(
        implementation_item_id=version.implementation_item_id, status=VersionStatus.PUBLISHED
    ).first()
    now = timezone.now()
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at"])
    before_status = version.status
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by_label = actor_label(actor)
    version.effective_on = effective_on
    version.save(update_fields=["status", "published_at", "published_by_label", "effective_on"])
    audit_record(
        actor=actor,
        action=action,
        obj=version,
        changes={
            "status": [before_status, "published"],
            "effective_on": [None, effective_on],
            "superseded": [None, previous.number if previous else None],
        },
    )
    transaction.on_commit(
        lambda: item_published.send(sender=ItemVersion, version=version, previous=previous)
    )


@transaction.atomic
def item_version_publish(
    *, actor: Actor, version: ItemVersion, effective_on: dt.date | None = None
) -> ItemVersion:
    """Publish an approved version; the version it replaces becomes superseded."""
    version = _reload(version, lock=True)
    _require_editor(actor, version.implementation_item.implementing_unit)
    _require_status(version, VersionStatus.IN_REVIEW, doing="发布")
    if not version.reviewed_by_id:
        raise ValidationError(f"{version}尚未经第二位事项管理员审核通过，不能发布")
    _block_on_lint_errors(version)
    _publish(actor=actor, version=version, effective_on=effective_on, action="catalog_item.publish")
    return version


@transaction.atomic
def item_import_publish(
    *, actor: Actor, version: ItemVersion, effective_on: dt.date | None = None
) -> ItemVersion:
    """Publish a draft straight from an import (the file is the reviewed source).

    Only the importer calls this; lint errors still block.
    """
    version = _reload(version, lock=True)
    _require_editor(actor, version.implementation_item.implementing_unit)
    _require_status(version, VersionStatus.DRAFT, doing="发布")
    _block_on_lint_errors(version)
    _publish(
        actor=actor,
        version=version,
        effective_on=effective_on,
        action="catalog_item.import_publish",
    )
    return version


@transaction.atomic
def item_cancel(
    *,
    actor: Actor,
    implementation_item: ImplementationItem,
    planned_cancel_on: dt.date,
    reason: str,
) -> ImplementationItem:
    """Cancel an item on ``planned_cancel_on``: at once when that day has come, otherwise
    the date is announced on the published guide and ``item_cancellations_apply`` ends it."""
    item = _lock_item(implementation_item)
    _require_editor(actor, item.implementing_unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明取消原因"})
    published = item.versions.filter(status=VersionStatus.PUBLISHED).first()
    if published is None:
        raise ValidationError(f"实施编码{item.implementation_code}没有已发布的版本，无需取消")
    published.planned_cancel_on = planned_cancel_on
    published.cancel_reason = reason
    published.save(update_fields=["planned_cancel_on", "cancel_reason"])
    audit_record(
        actor=actor,
        action="catalog_item.plan_cancel",
        obj=item,
        changes={"planned_cancel_on": [None, planned_cancel_on]},
        note=reason,
    )
    if planned_cancel_on <= timezone.localdate():
        _cancel_now(actor=actor, item=item)
    return item


def _cancel_now(*, actor: Actor, item: ImplementationItem) -> None:
    now = timezone.now()
    live = list(
        item.versions.filter(
            status__in=[VersionStatus.PUBLISHED, VersionStatus.DRAFT, VersionStatus.IN_REVIEW]
        )
    )
    for version in live:
        before = version.status
        version.status = VersionStatus.CANCELLED
        version.cancelled_at = now
        version.save(update_fields=["status", "cancelled_at"])
        audit_record(
            actor=actor,
            action="catalog_item.cancel",
            obj=version,
            changes={"status": [before, "cancelled"]},
        )


@transaction.atomic
def item_cancellations_apply(*, actor: Actor, today: dt.date) -> int:
    """Cancel every published item whose planned cancel date has come. Returns how many."""
    due = ImplementationItem.objects.filter(
        versions__status=VersionStatus.PUBLISHED, versions__planned_cancel_on__lte=today
    ).select_for_update()
    count = 0
    for item in due:
        _cancel_now(actor=actor, item=item)
        count += 1
    return count


@transaction.atomic
def implementation_item_update(
    *, actor: Actor, implementation_item: ImplementationItem, **fields: Any
) -> ImplementationItem:
    """Change the registry facts of an implementation (level, power source, nature,
    entrusting body, delegating unit). Codes and the implementing unit never change."""
    item = _lock_item(implementation_item)
    _require_editor(actor, item.implementing_unit)
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of an implementation item")
    merged = {name: fields.get(name, getattr(item, name)) for name in IDENTITY_FIELDS}
    _check_identity(
        item_type=item.base_item.item_type,
        level=merged["level"],
        power_source=merged["power_source"],
        implementer_nature=merged["implementer_nature"],
    )
    changes = {}
    for name, value in fields.items():
        old = getattr(item, name)
        if old != value:
            changes[name] = [getattr(old, "pk", old), getattr(value, "pk", value)]
            setattr(item, name, value)
    if changes:
        item.save()
        audit_record(actor=actor, action="catalog_item.update_identity", obj=item, changes=changes)
    return item


@transaction.atomic
def life_event_save(
    *,
    actor: Actor,
    name: str,
    description: str = "",
    audience: str = LifeEventAudience.PERSON,
    items: list[ImplementationItem] | None = None,
) -> LifeEvent:
    """Create or update the life event called ``name`` and set its items."""
    if is_user(actor):
        district = OrgUnit.objects.filter(depth=0).order_by("pk").first()
        if district is None or not holds_catalog_admin(actor, district):
            raise PermissionDenied("只有区级事项管理员可以维护“一件事”")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "“一件事”名称不能为空"})
    if audience not in LifeEventAudience.values:
        raise ValidationError({"audience": f"面向对象“{audience}”应为person或business"})
    event = LifeEvent.objects.filter(name=name).first()
    before_items = set(event.items.values_list("pk", flat=True)) if event else set()
    before = {"description": event.description, "audience": event.audience} if event else {}
    if event is None:
        event = LifeEvent.objects.create(name=name, description=description, audience=audience)
    else:
        event.description, event.audience = description, audience
        event.save(update_fields=["description", "audience"])
    after_items = {item.pk for item in items or []}
    if after_items != before_items:
        event.items.set(after_items)
    changes = {
        k: [before.get(k), v]
        for k, v in {"description": description, "audience": audience}.items()
        if before.get(k) != v
    }
    if after_items != before_items:
        changes["items"] = [sorted(before_items), sorted(after_items)]
    if changes or not before:
        audit_record(actor=actor, action="life_event.save", obj=event, changes=changes)
    return event
