"""Reading the catalogue for the API: the published items list and life events. Published
content is public, so these read the same rows for every caller; drafts are reached only
through ``catalog.selectors`` and ``catalog.admin_selectors``, which take the viewer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.models import ItemVersion, LifeEvent
from sanyi.catalog.selectors import version_list

if TYPE_CHECKING:
    from sanyi.orgs.models import User


def published_items(*, viewer: User) -> QuerySet[ItemVersion]:
    """The version in force of every code, in catalogue order (units and base items
    joined, so a page of them costs one query)."""
    return version_list(viewer=viewer, status=VersionStatus.PUBLISHED)


def public_life_events() -> QuerySet[LifeEvent]:
    """Life events with at least one item in force, each with ``item_count``."""
    return (
        LifeEvent.objects.annotate(
            item_count=Count(
                "items",
                filter=Q(items__versions__status=VersionStatus.PUBLISHED),
                distinct=True,
            )
        )
        .filter(item_count__gt=0)
        .order_by("sort_order", "name")
    )
