"""Reading the org tree for the public API. The org tree, its service centers and their
windows are public facts, so every caller sees the same rows; abolished units and closed
centers stay listed (with ``is_active`` false) because their history is public too.

``sanyi.orgs.selectors`` reads one unit's subtree, ancestors and centers; the lists of
all units and all centers, with the counts the API shows, are read here.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from sanyi.orgs.models import OrgUnit, ServiceCenter, Window


def public_org_units() -> QuerySet[OrgUnit]:
    """Every org unit in tree order, each with ``children_count`` (one query)."""
    return OrgUnit.objects.annotate(children_count=Count("children")).order_by("path")


def public_service_centers() -> QuerySet[ServiceCenter]:
    """Every service center with its unit and windows (two queries however many)."""
    return (
        ServiceCenter.objects.select_related("org_unit")
        .prefetch_related(Prefetch("windows", queryset=Window.objects.order_by("number")))
        .order_by("org_unit__path", "name")
    )
