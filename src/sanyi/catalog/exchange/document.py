"""The JSON document: exporting the catalogue to it, and writing and reading it as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q

from sanyi.catalog.choices import (
    VersionStatus,
)
from sanyi.catalog.exchange._common import (
    FORMAT_NAME,
    FORMAT_VERSION,
    ImportFailed,
    ImportProblem,
    UnitIndex,
)
from sanyi.catalog.guide import (
    guide_of,
    public_guide,
    versions_with_children,
)
from sanyi.catalog.models import ItemVersion, LifeEvent
from sanyi.catalog.selectors import life_event_steps_of


def _export_versions(status: str | None):
    qs = ItemVersion.objects.select_related(
        "implementation_item__base_item__main_item",
        "implementation_item__implementing_unit",
        "implementation_item__delegated_from",
    ).prefetch_related("implementation_item__life_events")
    if status == VersionStatus.DRAFT:
        qs = qs.filter(status=VersionStatus.DRAFT)
    elif status == VersionStatus.PUBLISHED:
        qs = qs.filter(status=VersionStatus.PUBLISHED)
    else:
        # The face of every live code: the published version, or its draft when the code
        # was never published.
        qs = qs.filter(
            Q(status=VersionStatus.PUBLISHED)
            | (
                Q(status=VersionStatus.DRAFT)
                & ~Q(implementation_item__versions__status=VersionStatus.PUBLISHED)
            )
        )
    return versions_with_children(qs).order_by(
        "implementation_item__base_item__base_code", "implementation_item__implementation_code"
    )


def catalog_export(*, viewer, status: str | None = None) -> dict[str, Any]:
    """The catalogue as a JSON-able document of docs/catalog-format.md.

    ``status``: "published", "draft" or None (published, plus never-published drafts).
    Drafts are exported only for system actors and catalogue admins (in their scope).
    """
    from sanyi.catalog.selectors import visible_versions

    visible = set(visible_versions(viewer).values_list("pk", flat=True))
    # The staff handbook goes to staff and system actors only, never to anonymous readers.
    handbook = viewer is not None and getattr(viewer, "is_authenticated", True)
    items = []
    for version in _export_versions(status):
        if version.pk not in visible:
            continue
        item = version.implementation_item
        base = item.base_item
        guide = guide_of(version) if handbook else public_guide(guide_of(version))
        entry: dict[str, Any] = {
            "base_code": base.base_code,
            "implementation_code": item.implementation_code,
            "name": base.name,
            "item_type": base.item_type,
        }
        if base.main_item_id:
            entry["main_item"] = base.main_item.base_code
        entry.update(
            {
                "implementing_unit": UnitIndex.reference(item.implementing_unit),
                "level": item.level,
                "power_source": item.power_source,
                "implementer_nature": item.implementer_nature,
                "entrusting_body": item.entrusting_body,
            }
        )
        if item.delegated_from_id:
            entry["delegated_from"] = UnitIndex.reference(item.delegated_from)
        entry.update(guide)
        entry["life_events"] = sorted(e.name for e in item.life_events.all())
        entry["status"] = version.status
        if version.effective_on:
            entry["effective_on"] = version.effective_on.isoformat()
        items.append(entry)
    events = []
    for event in LifeEvent.objects.prefetch_related("items__base_item").order_by(
        "sort_order", "name"
    ):
        events.append(
            {
                "name": event.name,
                "description": event.description,
                "audience": event.audience,
                "items": sorted({i.base_item.name for i in event.items.all()}),
            }
        )
        steps = life_event_steps_of(event)
        if event.fields or any(len(step) > 1 for step in steps):
            events[-1]["fields"] = event.fields
            events[-1]["steps"] = steps
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "items": items, "life_events": events}


def export_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def read_json(data: bytes | str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed([ImportProblem("", f"不是有效的JSON文件：{exc}")]) from None
