"""Editing a whole life event (一件事) from the staff pages and the API: its name, the
shared fields asked once, and its members with their order, the member each waits for,
the material the earlier result fills and the answers each applies to.

Every problem is reported at once, naming the row. Bundles already submitted are not
touched by an edit: each bundle member keeps the order, the member it waits for and the
material it carries that it was created with (``cases.BundleMember``), and its answers
are stored on the bundle, so a later edit changes only applications made after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sanyi.audit.services import audit_record
from sanyi.catalog.choices import LifeEventAudience, VersionStatus
from sanyi.catalog.models import ImplementationItem, ItemVersion, LifeEvent, LifeEventMember
from sanyi.catalog.services._common import holds_catalog_admin
from sanyi.catalog.services.life_events import _clean_fields
from sanyi.core.actors import Actor, is_user
from sanyi.core.pagecache import public_content_changed
from sanyi.orgs.models import OrgUnit


@dataclass(frozen=True)
class MemberRow:
    """One member as written: its item (by implementation code), place, the member it
    waits for (by implementation code), the material it carries and its condition."""

    item: ImplementationItem
    position: int
    after: str
    carries: str
    condition: dict[str, Any]


def require_life_event_admin(actor: Actor) -> None:
    """Life events span units: only a catalogue admin of the district maintains them."""
    if not is_user(actor):
        return
    district = OrgUnit.objects.filter(depth=0).order_by("pk").first()
    if district is None or not holds_catalog_admin(actor, district):
        raise PermissionDenied("只有区级事项管理员可以维护“一件事”")


def current_material_names(item: ImplementationItem) -> list[str]:
    """The materials of the item's version in force (else of its latest version)."""
    versions = ItemVersion.objects.filter(implementation_item=item)
    version = (
        versions.filter(status=VersionStatus.PUBLISHED).first()
        or versions.order_by("-number", "-pk").first()
    )
    if version is None:
        return []
    return list(version.materials.order_by("position").values_list("name", flat=True))


def _condition(raw: Any, where: str, errors: list[str]) -> dict[str, Any]:
    import json

    if isinstance(raw, str):
        raw = raw.strip()
        if not raw:
            return {}
        try:
            raw = json.loads(raw)
        except ValueError:
            errors.append(f"{where}的适用条件不是正确的 JSON")
            return {}
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        errors.append(f"{where}的适用条件应为 JSON 对象")
        return {}
    return raw


def _rows(members: Any) -> tuple[list[MemberRow], list[str]]:
    """The member rows in order, each item found by its code; problems by row."""
    if not isinstance(members, list):
        raise ValidationError({"members": "包含事项应为列表"})
    codes = [str(m.get("item", "")).strip() for m in members if isinstance(m, dict)]
    items = {
        i.implementation_code: i
        for i in ImplementationItem.objects.filter(implementation_code__in=codes).select_related(
            "base_item"
        )
    }
    errors: list[str] = []
    rows: list[tuple[int, int, MemberRow]] = []
    for i, raw in enumerate(members, 1):
        raw = raw if isinstance(raw, dict) else {}
        code = str(raw.get("item", "")).strip()
        where = f"第{i}行（{code or '未填事项'}）"
        item = items.get(code)
        if item is None:
            errors.append(f"{where}：没有实施编码为“{code}”的事项")
            continue
        try:
            position = int(raw.get("position") or i)
        except (TypeError, ValueError):
            errors.append(f"{where}：顺序应为数字")
            position = i
        row = MemberRow(
            item=item,
            position=position,
            after=str(raw.get("after") or "").strip(),
            carries=str(raw.get("carries") or "").strip()[:300],
            condition=_condition(raw.get("condition"), where, errors),
        )
        rows.append((position, i, row))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r for _, _, r in rows], errors


def _where(row: MemberRow, i: int) -> str:
    return f"第{i}个事项（{row.item.base_item.name}）"


def _cycle(rows: list[MemberRow]) -> list[str]:
    """The codes on a waiting cycle, if any (a waits for b waits for … a)."""
    after = {r.item.implementation_code: r.after for r in rows}
    for start in after:
        seen, code = [start], after[start]
        while code and code in after:
            if code in seen:
                return seen[seen.index(code) :]
            seen.append(code)
            code = after[code]
    return []


def member_problems(rows: list[MemberRow], field_names: set[str]) -> list[str]:
    """Everything wrong with the members, in order, each message naming its row."""
    from sanyi.catalog.eligibility import fields_read, logic_problems

    errors: list[str] = []
    codes = [r.item.implementation_code for r in rows]
    names = {r.item.implementation_code: r.item.base_item.name for r in rows}
    cycle = _cycle(rows)
    if cycle:
        errors.append("前序事项形成了循环：" + " → ".join(names[c] for c in cycle))
    for i, row in enumerate(rows, 1):
        where, code = _where(row, i), row.item.implementation_code
        if code in codes[: i - 1]:
            errors.append(f"{where}：同一事项不能在一件事中出现两次")
        if row.after and row.after not in names:
            errors.append(f"{where}：前序事项“{row.after}”不在这件事中")
        elif row.after == code:
            errors.append(f"{where}：不能等待自己")
        elif row.after and not cycle and codes.index(row.after) >= i - 1:
            errors.append(f"{where}：前序事项“{names[row.after]}”须排在它前面")
        if row.carries and not row.after:
            errors.append(f"{where}：写了前序结果材料“{row.carries}”，但没有前序事项")
        elif row.carries and row.carries not in current_material_names(row.item):
            errors.append(f"{where}：“{row.carries}”不在该事项现行的材料清单中")
        if row.condition:
            problems = logic_problems(row.condition)
            unknown = [f for f in fields_read(row.condition) if f not in field_names]
            if problems:
                errors.append(f"{where}的适用条件不正确：" + "；".join(problems))
            elif unknown:
                errors.append(f"{where}的适用条件用到了未声明的共用字段“{'、'.join(unknown)}”")
    return errors


def _snapshot(event: LifeEvent | None) -> dict[str, Any]:
    if event is None:
        return {}
    members = event.members.select_related("item", "depends_on__item").order_by("position", "pk")
    return {
        "name": event.name,
        "description": event.description,
        "audience": event.audience,
        "fields": event.fields,
        "members": [
            {
                "item": m.item.implementation_code,
                "position": m.position,
                "after": m.depends_on.item.implementation_code if m.depends_on else "",
                "carries": m.carries,
                "condition": m.condition,
            }
            for m in members
        ],
    }


def _head(name: Any, audience: Any, event: LifeEvent | None) -> tuple[str, list[str]]:
    errors = []
    name = str(name or "").strip()
    if not name or len(name) > 100:
        errors.append("名称不能为空，且不超过100个字")
    elif LifeEvent.objects.filter(name=name).exclude(pk=event.pk if event else 0).exists():
        errors.append(f"已有名为“{name}”的一件事，请换一个名称")
    if audience not in LifeEventAudience.values:
        errors.append(f"面向对象“{audience}”应为“个人”或“企业”")
    return name, errors


@transaction.atomic
def life_event_edit(
    *,
    actor: Actor,
    event: LifeEvent | None,
    name: str,
    description: str = "",
    audience: str = LifeEventAudience.PERSON,
    fields: Any = (),
    members: Any = (),
) -> LifeEvent:
    """Create (``event`` None) or replace a life event as a whole, all or nothing.
    Refuses with every problem at once, by part (name, audience, fields, members)."""
    require_life_event_admin(actor)
    if event is not None:
        event = LifeEvent.objects.select_for_update().get(pk=event.pk)
    errors: dict[str, list[str]] = {}
    clean_name, head = _head(name, audience, event)
    for message in head:
        errors.setdefault("audience" if "面向" in message else "name", []).append(message)
    try:
        clean_fields = _clean_fields(list(fields))
    except ValidationError as exc:
        errors["fields"] = exc.message_dict["fields"]
        clean_fields = []
    rows, row_errors = _rows(list(members))
    row_errors += member_problems(rows, {f["name"] for f in clean_fields})
    if row_errors:
        errors["members"] = row_errors
    if errors:
        raise ValidationError(errors)
    before = _snapshot(event)
    if event is None:
        event = LifeEvent(name=clean_name)
    event.name, event.description = clean_name, str(description or "").strip()
    event.audience, event.fields = audience, clean_fields
    event.save()
    _store_members(event, rows)
    after = _snapshot(event)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    audit_record(
        actor=actor,
        action="life_event.edit" if before else "life_event.create",
        obj=event,
        changes=changes,
    )
    public_content_changed()
    return event


def _store_members(event: LifeEvent, rows: list[MemberRow]) -> None:
    """Members as written: kept rows updated, new ones added, the others removed."""
    existing = {m.item_id: m for m in event.members.all()}
    keep = {r.item.pk for r in rows}
    LifeEventMember.objects.filter(life_event=event).exclude(item_id__in=keep).delete()
    by_code: dict[str, LifeEventMember] = {}
    for position, row in enumerate(rows, 1):
        member = existing.get(row.item.pk) or LifeEventMember(life_event=event, item=row.item)
        member.position, member.carries, member.condition = position, row.carries, row.condition
        member.depends_on = None
        member.save()
        by_code[row.item.implementation_code] = member
    for row in rows:
        if row.after:
            member = by_code[row.item.implementation_code]
            member.depends_on = by_code[row.after]
            member.save(update_fields=["depends_on"])
