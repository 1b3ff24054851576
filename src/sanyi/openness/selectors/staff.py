"""The workbench's reading of publications: who is openness staff, the units they see,
the publication list, counts and the review queue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sanyi.core.queries import unique
from sanyi.openness.choices import (
    PublicationStatus,
)
from sanyi.openness.models import (
    Area,
    DirectoryEntry,
    Publication,
)
from sanyi.orgs.models import OrgUnit, Role, User
from sanyi.orgs.permissions import scope_paths, scope_q
from sanyi.orgs.tree import subtree_q

OPENNESS_ROLES = (Role.DISCLOSURE_OFFICER, Role.SUPERVISOR)


def is_openness_staff(viewer: User) -> bool:
    """Whether the user is a disclosure officer or supervisor anywhere."""
    return bool(scope_paths(viewer, OPENNESS_ROLES))


def is_disclosure_officer(viewer: User) -> bool:
    return bool(scope_paths(viewer, Role.DISCLOSURE_OFFICER))


def openness_units(*, viewer: User, officer_only: bool = False) -> QuerySet[OrgUnit]:
    """Active units in the viewer's disclosure scope, in tree order (for unit pickers)."""
    roles = Role.DISCLOSURE_OFFICER if officer_only else OPENNESS_ROLES
    return OrgUnit.objects.filter(scope_q(viewer, roles, "path"), is_active=True).order_by("path")


@dataclass(frozen=True)
class StaffPublicationFilters:
    status: str = ""
    unit: OrgUnit | None = None  # the publisher and everything below it
    area: Area | None = None
    entry: DirectoryEntry | None = None
    topic: str = ""
    document_kind: str = ""
    year: int | None = None  # publish year, or the year written for unpublished records
    text: str = ""  # words in the title


def publication_list(
    *, viewer: User, status: str | None = None, filters: StaffPublicationFilters | None = None
) -> QuerySet[Publication]:
    """Publications of the units where the viewer is a disclosure officer or supervisor,
    in every state, most recently changed first."""
    filters = filters or StaffPublicationFilters(status=status or "")
    qs = Publication.objects.filter(scope_q(viewer, OPENNESS_ROLES, "publisher__path"))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.unit is not None:
        subtree = OrgUnit.objects.filter(subtree_q(filters.unit.path, "path")).values("pk")
        qs = qs.filter(publisher__in=subtree)
    if filters.area is not None:
        qs = qs.filter(directory_entry__area=filters.area)
    if filters.entry is not None:
        qs = qs.filter(directory_entry=filters.entry)
    if filters.topic:
        qs = qs.filter(topic=filters.topic)
    if filters.document_kind:
        qs = qs.filter(document_kind=filters.document_kind)
    if filters.year:
        start = timezone.make_aware(dt.datetime(filters.year, 1, 1))
        end = timezone.make_aware(dt.datetime(filters.year + 1, 1, 1))
        qs = qs.filter(
            Q(publish_at__gte=start, publish_at__lt=end)
            | Q(
                publish_at__isnull=True,
                written_on__gte=dt.date(filters.year, 1, 1),
                written_on__lt=dt.date(filters.year + 1, 1, 1),
            )
        )
    for word in filters.text.split()[:5]:
        qs = qs.filter(title__contains=word)
    return qs.select_related("publisher", "directory_entry__area").order_by("-updated_at", "-pk")


def publication_staff_get(*, viewer: User, pk: int) -> Publication:
    """One publication in the viewer's scope; raises Publication.DoesNotExist otherwise."""
    return unique(  # no LIMIT: see sanyi.core.queries
        Publication.objects.filter(scope_q(viewer, OPENNESS_ROLES, "publisher__path"), pk=pk)
        .select_related(
            "publisher",
            "directory_entry__area",
            "directory_entry__org_unit",
            "negative_entry",
            "created_by",
            "submitted_by",
            "reviewed_by",
        )
        .prefetch_related("attachments", "interpretations")
    )


def publication_counts(*, viewer: User) -> dict[str, int]:
    """How many publications in the viewer's scope are in each status."""
    rows = (
        Publication.objects.filter(scope_q(viewer, OPENNESS_ROLES, "publisher__path"))
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    counts = dict.fromkeys(PublicationStatus.values, 0)
    counts.update(dict(rows))
    return counts


def review_queue(*, viewer: User) -> QuerySet[Publication]:
    """Records waiting for a confidentiality check that the viewer may do: in the scope
    where the viewer is a disclosure officer, written, changed and submitted by someone else."""
    return (
        Publication.objects.filter(
            scope_q(viewer, Role.DISCLOSURE_OFFICER, "publisher__path"),
            status=PublicationStatus.IN_REVIEW,
        )
        .exclude(created_by=viewer)
        .exclude(submitted_by=viewer)
        .exclude(editors=viewer)
        .select_related("publisher")
        .order_by("updated_at", "pk")
    )
