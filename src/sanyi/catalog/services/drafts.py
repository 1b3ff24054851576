"""Editing a draft version: the guide, new drafts of published items, discarding a draft,
and the files attached to materials.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from sanyi.audit.services import audit_record
from sanyi.catalog.choices import (
    VersionStatus,
)
from sanyi.catalog.guide import (
    apply_guide_fields,
    clean_guide,
    guide_of,
    versions_with_children,
    write_children,
)
from sanyi.catalog.models import (
    ImplementationItem,
    ItemVersion,
    Material,
    validate_guide_file,
)
from sanyi.catalog.services._common import (
    _lock_item,
    _note_editor,
    _raise_guide_errors,
    _reload,
    _require_editor,
    _require_status,
    actor_label,
)
from sanyi.catalog.services.items import _variant_codes
from sanyi.core.actors import Actor, actor_user


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
    _note_editor(actor, version)
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
    _note_editor(actor, version)
    after = getattr(material, kind).name
    audit_record(
        actor=actor,
        action="catalog_item.material_file",
        obj=version,
        changes={f"materials[{position - 1}].{kind}": [before, after]},
    )
    return material
