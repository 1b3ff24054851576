"""A resident's own area ("我所在的地区"): the subdistrict and, when known, the community.

Residents choose it once on the front door; it is kept in a cookie that holds only the
unit's code (no personal data) and is read back on every public page that depends on
where the resident lives: the front door, search (which opens the resident's own area's
guide when an item is implemented per area) and the notices of their community.

This module knows nothing of applicants: working out an area from a signed-in
applicant's address is ``area_from_address``, given the address text by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from sanyi.orgs.models import OrgKind, OrgUnit

AREA_COOKIE = "sanyi_area"
AREA_COOKIE_MAX_AGE = 365 * 24 * 3600
AREA_KINDS = (OrgKind.SUBDISTRICT, OrgKind.COMMUNITY)


@dataclass(frozen=True)
class Area:
    """Where a resident lives: a subdistrict, and the community within it when chosen."""

    subdistrict: OrgUnit
    community: OrgUnit | None = None

    @property
    def unit(self) -> OrgUnit:
        """The most precise unit known (the community when chosen)."""
        return self.community or self.subdistrict

    @property
    def label(self) -> str:
        if self.community is None:
            return self.subdistrict.name
        return f"{self.subdistrict.name}{self.community.name}"

    @property
    def paths(self) -> list[str]:
        """Org paths from the most precise unit up to the subdistrict."""
        return [unit.path for unit in (self.community, self.subdistrict) if unit is not None]


def area_of_unit(unit: OrgUnit | None) -> Area | None:
    """The area a subdistrict or community stands for; None for any other unit."""
    if unit is None or not unit.is_active:
        return None
    if unit.kind == OrgKind.SUBDISTRICT:
        return Area(subdistrict=unit)
    if unit.kind == OrgKind.COMMUNITY and unit.parent_id is not None:
        parent = OrgUnit.objects.filter(pk=unit.parent_id, is_active=True).first()
        if parent is not None and parent.kind == OrgKind.SUBDISTRICT:
            return Area(subdistrict=parent, community=unit)
    return None


def area_by_code(code: str) -> Area | None:
    """The area of an active subdistrict or community by its unit code (or None)."""
    code = (code or "").strip()[:32]
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code, kind__in=AREA_KINDS, is_active=True).first()
    return area_of_unit(unit)


def area_from_request(request: HttpRequest) -> Area | None:
    """The area the resident chose earlier (from the cookie), or None."""
    return area_by_code(request.COOKIES.get(AREA_COOKIE, ""))


def remember_area(response: HttpResponse, area: Area | None) -> None:
    """Keep the chosen area in the cookie (or forget it when ``area`` is None)."""
    if area is None:
        response.delete_cookie(AREA_COOKIE, samesite="Lax")
        return
    response.set_cookie(
        AREA_COOKIE,
        area.unit.code,
        max_age=AREA_COOKIE_MAX_AGE,
        samesite="Lax",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
    )


def area_from_address(address: str) -> Area | None:
    """The area an address names: the community (or else the subdistrict) whose name
    appears in it. The longest name wins, so 翠苑一社区 is not read as 翠苑社区."""
    address = (address or "").strip()
    if not address:
        return None
    units = OrgUnit.objects.filter(kind__in=AREA_KINDS, is_active=True).only(
        "id", "name", "kind", "parent_id", "path", "code", "is_active"
    )
    named = [unit for unit in units if unit.name and unit.name in address]
    if not named:
        return None
    # A community beats a subdistrict; among the same kind, the longer name wins.
    named.sort(key=lambda unit: (unit.kind == OrgKind.COMMUNITY, len(unit.name)), reverse=True)
    return area_of_unit(named[0])


@dataclass(frozen=True)
class AreaGroup:
    """A subdistrict a resident can choose, with the communities in it."""

    subdistrict: OrgUnit
    communities: list[OrgUnit]


def area_choices() -> list[AreaGroup]:
    """Every active subdistrict with its active communities, in tree order: what the
    "my area" chooser offers. Public data (unit names and codes). One query."""
    units = OrgUnit.objects.filter(kind__in=AREA_KINDS, is_active=True).order_by(
        "sort_order", "name", "pk"
    )
    groups: dict[int, AreaGroup] = {}
    communities: list[OrgUnit] = []
    for unit in units:
        if unit.kind == OrgKind.SUBDISTRICT:
            groups[unit.pk] = AreaGroup(subdistrict=unit, communities=[])
        else:
            communities.append(unit)
    for unit in communities:
        group = groups.get(unit.parent_id) if unit.parent_id is not None else None
        if group is not None:
            group.communities.append(unit)
    return sorted(groups.values(), key=lambda g: g.subdistrict.path)
