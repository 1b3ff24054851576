"""Writing life events (一件事) and the items they group."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sanyi.audit.services import audit_record
from sanyi.catalog.choices import (
    LifeEventAudience,
)
from sanyi.catalog.models import (
    ImplementationItem,
    LifeEvent,
    LifeEventMember,
)
from sanyi.catalog.services._common import holds_catalog_admin
from sanyi.core.actors import Actor, is_user
from sanyi.core.pagecache import public_content_changed
from sanyi.orgs.models import OrgUnit


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
    changes: dict[str, list[Any]] = {
        k: [before.get(k), v]
        for k, v in {"description": description, "audience": audience}.items()
        if before.get(k) != v
    }
    if after_items != before_items:
        changes["items"] = [sorted(before_items), sorted(after_items)]
    if changes or not before:
        audit_record(actor=actor, action="life_event.save", obj=event, changes=changes)
        public_content_changed()
    return event


FIELD_KINDS = {"text": "文字", "yes_no": "是/否"}


def _clean_fields(fields: Any) -> list[dict[str, str]]:
    """The shared fields, checked: every problem at once, naming the field."""
    if not isinstance(fields, list):
        raise ValidationError({"fields": "共用申请字段应为列表"})
    errors, out, seen = [], [], set()
    for i, raw in enumerate(fields, 1):
        if not isinstance(raw, dict):
            errors.append(f"第{i}个共用字段应为对象")
            continue
        name, label = str(raw.get("name", "")).strip(), str(raw.get("label", "")).strip()
        kind = raw.get("kind", "text")
        if not name.isidentifier() or name in seen:
            errors.append(f"第{i}个共用字段的代码“{name}”应为不重复的英文标识")
        if not label or len(label) > 100:
            errors.append(f"第{i}个共用字段的问题不能为空，且不超过100个字")
        if kind not in FIELD_KINDS:
            errors.append(f"第{i}个共用字段的类型应为text或yes_no")
        seen.add(name)
        out.append({"name": name, "label": label, "kind": kind})
    if errors:
        raise ValidationError({"fields": "；".join(errors)})
    return out


def _clean_steps(
    steps: Any, members: dict[str, LifeEventMember], field_names: set[str]
) -> list[dict[str, Any]]:
    """The steps in order, checked: a step may wait only for one listed before it."""
    from sanyi.catalog.eligibility import fields_read, logic_problems

    if not isinstance(steps, list):
        raise ValidationError({"steps": "办理顺序应为列表"})
    errors: list[str] = []
    out: list[dict[str, Any]] = []
    before: set[str] = set()
    for i, raw in enumerate(steps, 1):
        raw = raw if isinstance(raw, dict) else {}
        name, after = str(raw.get("item", "")).strip(), str(raw.get("after") or "").strip()
        carries, when = str(raw.get("carries") or "").strip(), raw.get("when") or {}
        if name not in members:
            errors.append(f"第{i}步的事项“{name}”不在该“一件事”中")
        if after and after not in before:
            errors.append(f"第{i}步要等的“{after}”须是排在它前面的事项")
        if carries and not after:
            errors.append(f"第{i}步写了前序结果材料“{carries}”，但没有写前序事项")
        if when:
            problems = logic_problems(when)
            unknown = [f for f in fields_read(when) if f not in field_names]
            if problems or unknown:
                errors.append(
                    f"第{i}步的适用条件不正确："
                    + "；".join(problems or [f"未知字段“{unknown[0]}”"])
                )
        before.add(name)
        out.append({"item": name, "after": after, "carries": carries[:300], "when": when})
    if errors:
        raise ValidationError({"steps": "；".join(errors)})
    return out


@transaction.atomic
def life_event_arrange(
    *, actor: Actor, event: LifeEvent, fields: Any = (), steps: Any = ()
) -> LifeEvent:
    """Set the shared fields asked once and, per member (named by its item's name), its
    order, the member it waits for, the material the earlier result fills and the answers
    it applies to. Members not named keep their place after the named ones."""
    if is_user(actor):
        district = OrgUnit.objects.filter(depth=0).order_by("pk").first()
        if district is None or not holds_catalog_admin(actor, district):
            raise PermissionDenied("只有区级事项管理员可以维护“一件事”")
    event = LifeEvent.objects.select_for_update().get(pk=event.pk)
    clean_fields = _clean_fields(list(fields))
    members: dict[str, LifeEventMember] = {}
    for m in event.members.select_related("item__base_item").order_by("position", "pk"):
        members.setdefault(m.item.base_item.name, m)
    clean = _clean_steps(list(steps), members, {f["name"] for f in clean_fields})
    named = {s["item"] for s in clean}
    everyone = list(event.members.select_related("item__base_item").order_by("position", "pk"))
    order = [s["item"] for s in clean] + [n for n in members if n not in named]
    for m in everyone:
        name = m.item.base_item.name
        step = next((s for s in clean if s["item"] == name), None)
        m.position = order.index(name) + 1
        m.depends_on = members[step["after"]] if step and step["after"] else None
        m.carries = step["carries"] if step else ""
        m.condition = step["when"] if step else {}
        m.save(update_fields=["position", "depends_on", "carries", "condition"])
    event.fields = clean_fields
    event.save(update_fields=["fields"])
    audit_record(
        actor=actor,
        action="life_event.arrange",
        obj=event,
        changes={"fields": [f["name"] for f in clean_fields], "steps": clean},
    )
    public_content_changed()
    return event
