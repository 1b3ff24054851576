"""Reading the catalogue for its administrators (the workbench pages and the admin API).

``catalog.selectors.visible_versions`` answers "what may this person read": every public
version plus the working copies in their scope. The admin pages need a narrower set,
"what may this person maintain": every version (any status) of the codes whose
implementing unit lies in the viewer's catalogue-admin scope. That rule lives here, in
``admin_versions``; no view filters by permission by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from sanyi.catalog.centre_check import centres_of, unit_centres
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.guide import guide_of, versions_with_children
from sanyi.catalog.lint import LintFinding, Severity, lint_guide
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.catalog.public.centers import CenterIndex
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import scope_paths, scope_q

UNIT_PATH = "implementation_item__implementing_unit__path"
# What the list shows when no status is chosen: the live face of every code.
CURRENT_STATUSES = (VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.PUBLISHED)


def is_catalog_admin(viewer) -> bool:
    """Whether the viewer holds the catalogue-admin role anywhere."""
    return bool(scope_paths(viewer, Role.CATALOG_ADMIN))


def admin_versions(viewer) -> QuerySet[ItemVersion]:
    """Every version of every code the viewer maintains (empty for anyone else)."""
    return ItemVersion.objects.filter(
        scope_q(viewer, Role.CATALOG_ADMIN, path_field=UNIT_PATH)
    ).select_related(
        "implementation_item__base_item__main_item",
        "implementation_item__implementing_unit",
        "implementation_item__delegated_from",
        "created_by",
        "submitted_by",
        "reviewed_by",
    )


def admin_items(viewer) -> QuerySet[ImplementationItem]:
    """The implementation codes the viewer maintains."""
    return ImplementationItem.objects.filter(
        scope_q(viewer, Role.CATALOG_ADMIN, path_field="implementing_unit__path")
    ).select_related("base_item", "implementing_unit")


def admin_units(viewer) -> QuerySet[OrgUnit]:
    """Live units the viewer may file items under, in tree order."""
    return OrgUnit.objects.filter(
        scope_q(viewer, Role.CATALOG_ADMIN, path_field="path"), is_active=True
    ).order_by("path")


def admin_version(*, viewer, pk: int) -> ItemVersion:
    """One version with its child rows; ItemVersion.DoesNotExist when out of scope."""
    return versions_with_children(admin_versions(viewer)).get(pk=pk)


def admin_item(*, viewer, implementation_code: str) -> ImplementationItem:
    """One code the viewer maintains; ImplementationItem.DoesNotExist otherwise."""
    return admin_items(viewer).get(implementation_code=implementation_code)


def version_findings(
    version: ItemVersion, *, centres: CenterIndex | None = None
) -> list[LintFinding]:
    """Lint of a version loaded with ``versions_with_children``. A list passes one
    ``CenterIndex`` for all its rows (every centre in one query)."""
    item = version.implementation_item
    facts = (
        centres_of(centres.centers_for(item.implementing_unit))
        if centres is not None
        else unit_centres(item.implementing_unit)
    )
    return lint_guide(guide_of(version), item_type=item.base_item.item_type, centres=facts)


@dataclass(frozen=True)
class AdminItemFilters:
    status: str = ""
    item_type: str = ""
    level: str = ""
    unit: OrgUnit | None = None  # the unit and every unit below it
    text: str = ""
    has_errors: bool | None = None


@dataclass(frozen=True)
class AdminItemRow:
    version: ItemVersion
    errors: int
    warnings: int


def _filtered(viewer, filters: AdminItemFilters) -> QuerySet[ItemVersion]:
    qs = admin_versions(viewer)
    if filters.status:
        qs = qs.filter(status=filters.status)
    else:
        qs = qs.filter(status__in=CURRENT_STATUSES)
    if filters.item_type:
        qs = qs.filter(implementation_item__base_item__item_type=filters.item_type)
    if filters.level:
        qs = qs.filter(implementation_item__level=filters.level)
    if filters.unit is not None:
        qs = qs.filter(**{f"{UNIT_PATH}__startswith": filters.unit.path})
    text = " ".join((filters.text or "").split())
    if text:
        qs = qs.filter(
            Q(implementation_item__base_item__name__icontains=text)
            | Q(implementation_item__implementation_code__icontains=text)
            | Q(implementation_item__base_item__base_code__icontains=text)
        )
    return qs.order_by(
        "implementation_item__base_item__base_code",
        "implementation_item__implementation_code",
        "number",
    )


def _row(version: ItemVersion, centres: CenterIndex) -> AdminItemRow:
    findings = version_findings(version, centres=centres)
    errors = sum(f.severity == Severity.ERROR for f in findings)
    return AdminItemRow(version, errors, len(findings) - errors)


def admin_item_page(
    *, viewer, filters: AdminItemFilters, page: int | str = 1, per_page: int = 25
) -> Page:
    """One page of the admin list, each row with its lint counts.

    A fixed number of queries whatever the page size: without the lint filter only the
    page is loaded with its child rows; with it every matching version is linted (one
    query per child table) and the page is cut from the result.
    """
    qs = _filtered(viewer, filters)
    if filters.has_errors is None:
        paginator = Paginator(qs, per_page)
        current = paginator.get_page(page)
        loaded = {
            v.pk: v for v in versions_with_children(qs.filter(pk__in=[v.pk for v in current]))
        }
        centres = CenterIndex()
        current.object_list = [_row(loaded[v.pk], centres) for v in current.object_list]
        return current
    centres = CenterIndex()
    rows = [_row(v, centres) for v in versions_with_children(qs)]
    rows = [r for r in rows if (r.errors > 0) == filters.has_errors]
    return Paginator(rows, per_page).get_page(page)


def admin_version_history(*, viewer, implementation_item: ImplementationItem) -> list[ItemVersion]:
    """Every version of one code, oldest first (the item is already known to be in scope)."""
    return list(
        admin_versions(viewer).filter(implementation_item=implementation_item).order_by("number")
    )


def review_queue(*, viewer) -> QuerySet[ItemVersion]:
    """Versions in review that the viewer may decide: in scope, not written, changed or
    submitted by the viewer (four-eyes), not yet approved."""
    return (
        admin_versions(viewer)
        .filter(status=VersionStatus.IN_REVIEW, reviewed_by__isnull=True)
        .exclude(Q(created_by=viewer) | Q(submitted_by=viewer) | Q(editors=viewer))
        .order_by("submitted_at", "pk")
    )
