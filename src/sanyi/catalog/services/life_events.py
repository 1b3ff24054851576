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
)
from sanyi.catalog.services._common import holds_catalog_admin
from sanyi.core.actors import Actor, is_user
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
    return event
