"""Writing disclosure areas and directory entries (公开目录)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor
from sanyi.core.pagecache import public_content_changed
from sanyi.openness.choices import (
    Audience,
    Channel,
    ContentNature,
    DisclosureMode,
    FiveKind,
    Level,
    LimitTrigger,
    LimitUnit,
)
from sanyi.openness.models import (
    Area,
    DirectoryEntry,
)
from sanyi.openness.services._common import _require_officer
from sanyi.orgs.models import OrgKind, OrgUnit

# Which org-unit kinds may be the responsible body of a directory at each level.
LEVEL_KINDS: dict[str, set[str]] = {
    Level.DISTRICT: {OrgKind.DISTRICT, OrgKind.DEPARTMENT},
    Level.SUBDISTRICT: {OrgKind.SUBDISTRICT, OrgKind.STATION},
    Level.COMMUNITY: {OrgKind.COMMUNITY},
}


ENTRY_FIELDS = [
    "area", "level", "org_unit", "sequence", "item_l1", "item_l2", "content_elements",
    "basis", "time_limit_days", "time_limit_unit", "time_limit_trigger", "time_limit_text",
    "channels", "audience", "mode", "five_kind", "nature", "is_active",
]  # fmt: skip


def _choice(
    errors: dict[str, str], field: str, value: Any, choices: type[models.Choices], label: str
) -> None:
    if value not in choices.values:
        errors[field] = f"{label}“{value}”不是有效的选项"


def _clean_entry(entry: DirectoryEntry) -> None:
    errors: dict[str, str] = {}
    for field, label in (
        ("item_l1", "一级公开事项"),
        ("item_l2", "二级公开事项"),
        ("content_elements", "公开内容（要素）"),
        ("basis", "公开依据"),
        ("time_limit_text", "公开时限"),
    ):
        value = (
            " ".join(str(getattr(entry, field) or "").split())
            if field.startswith("item")
            else str(getattr(entry, field) or "").strip()
        )
        setattr(entry, field, value)
        if not value:
            errors[field] = f"{label}不能为空"
    for field, limit in (("item_l1", 100), ("item_l2", 100), ("time_limit_text", 200)):
        if len(getattr(entry, field)) > limit and field not in errors:
            errors[field] = f"不能超过{limit}个字"
    _choice(errors, "level", entry.level, Level, "公开层级")
    _choice(errors, "time_limit_unit", entry.time_limit_unit, LimitUnit, "时限单位")
    _choice(errors, "time_limit_trigger", entry.time_limit_trigger, LimitTrigger, "起算情形")
    _choice(errors, "audience", entry.audience, Audience, "公开对象")
    _choice(errors, "mode", entry.mode, DisclosureMode, "公开方式")
    _choice(errors, "five_kind", entry.five_kind, FiveKind, "五公开类别")
    _choice(errors, "nature", entry.nature, ContentNature, "信息性质")
    if entry.time_limit_days is not None and not 0 < int(entry.time_limit_days) <= 365:
        errors["time_limit_days"] = "公开时限天数应在1到365之间"
    channels = list(dict.fromkeys(entry.channels or []))
    unknown = [c for c in channels if c not in Channel.values]
    if not channels:
        errors["channels"] = "请至少选择一个公开渠道和载体"
    elif unknown:
        errors["channels"] = f"公开渠道“{'、'.join(unknown)}”不在官方清单中"
    entry.channels = channels
    if entry.org_unit_id and entry.level in Level.values:
        if entry.org_unit.kind not in LEVEL_KINDS[entry.level]:
            errors["org_unit"] = (
                f"“{entry.org_unit.name}”（{entry.org_unit.display_kind}）"
                f"不能作为{Level(entry.level).label}目录的公开主体"
            )
        elif not entry.org_unit.is_active:
            errors["org_unit"] = f"“{entry.org_unit.name}”已撤销"
    duplicate = DirectoryEntry.objects.filter(
        org_unit_id=entry.org_unit_id,
        area_id=entry.area_id,
        item_l1=entry.item_l1,
        item_l2=entry.item_l2,
    ).exclude(pk=entry.pk)
    if "item_l2" not in errors and duplicate.exists():
        errors["item_l2"] = "本单位目录中已有同名的公开事项"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def area_create(*, actor: Actor, code: str, name: str, sort_order: int = 1000) -> Area:
    """A custom area beside the 26 pilot areas."""
    code, name = (code or "").strip(), " ".join((name or "").split())
    errors = {}
    if not code or len(code) > 20:
        errors["code"] = "领域编号不能为空，且不超过20个字符"
    elif Area.objects.filter(code=code).exists():
        errors["code"] = f"领域编号“{code}”已存在"
    if not name or len(name) > 50:
        errors["name"] = "领域名称不能为空，且不超过50个字"
    elif Area.objects.filter(name=name).exists():
        errors["name"] = f"领域“{name}”已存在"
    if errors:
        raise ValidationError(errors)
    area = Area.objects.create(code=code, name=name, is_pilot=False, sort_order=sort_order)
    audit_record(
        actor=actor,
        action="openness_area.create",
        obj=area,
        changes={"code": [None, code], "name": [None, name]},
    )
    public_content_changed()  # the disclosure home lists the areas
    return area


@transaction.atomic
def directory_entry_create(
    *, actor: Actor, org_unit: OrgUnit, area: Area, **fields: Any
) -> DirectoryEntry:
    _require_officer(actor, org_unit)
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    entry = DirectoryEntry(org_unit=org_unit, area=area, **fields)
    _clean_entry(entry)
    entry.save()
    audit_record(
        actor=actor,
        action="directory_entry.create",
        obj=entry,
        changes={k: [None, v] for k, v in snapshot(entry, ENTRY_FIELDS).items()},
    )
    public_content_changed()  # an area's directory page lists its entries
    return entry


@transaction.atomic
def directory_entry_update(*, actor: Actor, entry: DirectoryEntry, **fields: Any) -> DirectoryEntry:
    entry = (
        DirectoryEntry.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=entry.pk)
    )
    _require_officer(actor, entry.org_unit)
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(entry, ENTRY_FIELDS)
    for name, value in fields.items():
        setattr(entry, name, value)
    if "org_unit" in fields:
        _require_officer(actor, entry.org_unit)
    _clean_entry(entry)
    changes = diff(before, snapshot(entry, ENTRY_FIELDS))
    if changes:
        entry.save()
        audit_record(actor=actor, action="directory_entry.update", obj=entry, changes=changes)
        public_content_changed()
    return entry
