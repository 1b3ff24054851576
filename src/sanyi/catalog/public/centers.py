"""Where to go: the active service centers nearest to an implementing unit."""

from __future__ import annotations

from sanyi.orgs.models import OrgUnit, ServiceCenter


def _path_prefixes(path: str) -> list[str]:
    """The paths of a unit and every unit above it."""
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def _nearest(centers: list[ServiceCenter], path: str) -> list[ServiceCenter]:
    mine = [c for c in centers if path.startswith(c.org_unit.path)]
    if not mine:
        return []
    deepest = max(c.org_unit.depth for c in mine)
    return sorted((c for c in mine if c.org_unit.depth == deepest), key=lambda c: c.name)


def _active_centers():
    return ServiceCenter.objects.filter(is_active=True, org_unit__is_active=True).select_related(
        "org_unit"
    )


def centers_for(unit: OrgUnit) -> list[ServiceCenter]:
    """Where residents go for an item of ``unit``: the unit's own service centers, or those
    of the nearest unit above it that has any (a district department's items are handled
    at the district's 政务服务中心). One query."""
    centers = list(_active_centers().filter(org_unit__path__in=_path_prefixes(unit.path)))
    return _nearest(centers, unit.path)


class CenterIndex:
    """``centers_for`` for many units at once: every active center read in one query."""

    def __init__(self) -> None:
        self._centers = list(_active_centers())

    def centers_for(self, unit: OrgUnit) -> list[ServiceCenter]:
        return _nearest(self._centers, unit.path)
