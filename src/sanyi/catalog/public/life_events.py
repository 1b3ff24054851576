"""Life-event pages (一件事): the event and the steps of its items."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from sanyi.catalog.choices import (
    VersionStatus,
)
from sanyi.catalog.models import ItemVersion, LifeEvent


def public_life_event(*, pk: int) -> LifeEvent:
    """A life event with at least one item in force (raises LifeEvent.DoesNotExist)."""
    return (
        LifeEvent.objects.filter(items__versions__status=VersionStatus.PUBLISHED)
        .distinct()
        .get(pk=pk)
    )


@dataclass(frozen=True)
class LifeEventStep:
    """One thing to do in a life event, with the units that do it (one link each)."""

    name: str
    versions: list[ItemVersion]


def life_event_steps(versions: list[ItemVersion]) -> list[LifeEventStep]:
    """The published versions of a life event grouped by item name, in their order."""
    groups: dict[str, list[ItemVersion]] = {}
    for version in versions:
        groups.setdefault(version.implementation_item.base_item.name, []).append(version)
    return [LifeEventStep(name, group) for name, group in groups.items()]


@dataclass(frozen=True)
class LifeEventTile:
    """A life event on the front door: its page and how many things it brings together."""

    pk: int
    name: str
    description: str
    item_count: int


def life_event_tiles(*, limit: int = 8) -> list[LifeEventTile]:
    """Life events with at least one item in force, in their set order, with how many
    distinct things each brings together. Public data. One query."""
    events = (
        LifeEvent.objects.annotate(
            # Distinct base items: 生育登记 in six subdistricts is one thing to do.
            live=Count(
                "items__base_item",
                filter=Q(items__versions__status=VersionStatus.PUBLISHED),
                distinct=True,
            )
        )
        .filter(live__gt=0)
        .order_by("sort_order", "name")[: max(1, min(limit, 50))]
    )
    return [LifeEventTile(e.pk, e.name, e.description, e.live) for e in events]
