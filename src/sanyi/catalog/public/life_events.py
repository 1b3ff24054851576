"""Life-event pages (一件事): the event and the steps of its items."""

from __future__ import annotations

from dataclasses import dataclass

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
