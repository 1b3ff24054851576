"""Reading for the public pages and the staff login: the front door, the service-center
directory and who must use a second factor.

The front door only gathers: each piece comes from the selector of the app that owns it
(popular services from the catalogue with application counts from cases, notices from
openness, the resident's area from orgs or the applicant's address)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanyi.applicants.auth import current_applicant
from sanyi.applicants.selectors import applicant_area
from sanyi.cases.selectors import applied_item_counts
from sanyi.catalog.public import (
    LifeEventTile,
    PopularItem,
    centers_for,
    life_event_tiles,
    popular_items,
)
from sanyi.openness.selectors import publications_of_units_public
from sanyi.orgs.areas import Area, AreaGroup, area_choices, area_from_request
from sanyi.orgs.models import OrgKind, OrgUnit, Role, ServiceCenter
from sanyi.orgs.permissions import scope_paths

if TYPE_CHECKING:
    from sanyi.openness.models import Publication
    from sanyi.orgs.models import User

# Popular services count what residents did in the last three months.
POPULAR_DAYS = 90
POPULAR_LIMIT = 8
NOTICE_LIMIT = 5


class AreaSource:
    """Where the resident's area on the front door came from."""

    CHOSEN = "chosen"  # chosen on the front door, kept in the cookie
    ADDRESS = "address"  # read from a signed-in applicant's address on file


@dataclass
class SubdistrictGroup:
    """One subdistrict (街道/乡镇): its own centers and its communities' stations."""

    unit: OrgUnit
    centers: list[ServiceCenter] = field(default_factory=list)
    community_centers: list[ServiceCenter] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.centers and not self.community_centers


@dataclass
class CenterDirectory:
    district: OrgUnit | None
    district_centers: list[ServiceCenter]
    subdistricts: list[SubdistrictGroup]

    @property
    def center_count(self) -> int:
        return len(self.district_centers) + sum(
            len(g.centers) + len(g.community_centers) for g in self.subdistricts
        )


def home_directory() -> CenterDirectory:
    """The district at the top of the tree and every active service center under it,
    grouped district level → subdistrict → community. Three queries at most.

    Public data only (names, addresses, hours, phones), so it takes no viewer.
    """
    district = top_district()
    if district is None:
        return CenterDirectory(district=None, district_centers=[], subdistricts=[])

    subdistricts = {
        unit.pk: SubdistrictGroup(unit=unit)
        for unit in OrgUnit.objects.filter(
            parent=district, kind=OrgKind.SUBDISTRICT, is_active=True
        ).order_by("sort_order", "name", "pk")
    }
    centers = (
        ServiceCenter.objects.filter(
            is_active=True, org_unit__is_active=True, org_unit__path__startswith=district.path
        )
        .select_related("org_unit")
        .order_by("org_unit__path", "name")
    )
    district_centers: list[ServiceCenter] = []
    for center in centers:
        ancestors = center.org_unit.ancestor_ids
        # ancestors[0] is the district; ancestors[1], when it is a subdistrict, is the group.
        group = subdistricts.get(ancestors[1]) if len(ancestors) > 1 else None
        if group is None:
            # Centers of the district itself and of district departments.
            district_centers.append(center)
        elif center.org_unit.kind in (OrgKind.COMMUNITY, OrgKind.GRID):
            group.community_centers.append(center)
        else:
            group.centers.append(center)
    return CenterDirectory(
        district=district,
        district_centers=district_centers,
        subdistricts=[g for g in subdistricts.values() if not g.is_empty],
    )


def top_district() -> OrgUnit | None:
    """The district at the top of the tree (the site's own). One query."""
    return (
        OrgUnit.objects.filter(kind=OrgKind.DISTRICT, parent__isnull=True, is_active=True)
        .order_by("sort_order", "pk")
        .first()
    )


def resident_area(request: HttpRequest) -> tuple[Area | None, str]:
    """The resident's area and where it came from: the area chosen on this browser, else
    the one a signed-in applicant's address names, else none (``(None, "")``)."""
    area = area_from_request(request)
    if area is not None:
        return area, AreaSource.CHOSEN
    applicant = current_applicant(request)
    if applicant is not None:
        area = applicant_area(applicant=applicant)
        if area is not None:
            return area, AreaSource.ADDRESS
    return None, ""


@dataclass
class FrontDoor:
    """Everything the home page shows, for one area (or none)."""

    district: OrgUnit | None
    area: Area | None
    area_source: str
    choices: list[AreaGroup]
    popular: list[PopularItem]
    # True when the popular services count the area's own subdistrict, not the district.
    popular_local: bool
    life_events: list[LifeEventTile]
    centers: list[ServiceCenter]
    notices: list[Publication]


def front_door(
    *, area: Area | None, area_source: str = "", now: dt.datetime | None = None
) -> FrontDoor:
    """The front door for a resident of ``area`` (None when not known): the area chooser,
    popular services (applications and searches of the area's subdistrict when it has
    any, else of the whole district), life events, the nearest service centers (the
    community's, else the subdistrict's, else the district's) and the newest notices of
    the community and its subdistrict. Public data only. Nine queries at most."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=POPULAR_DAYS)
    district = top_district()
    applied: dict[int, int] = {}
    if area is not None:
        applied = applied_item_counts(since=since, under_path=area.subdistrict.path)
    popular_local = bool(applied)
    if not applied:
        applied = applied_item_counts(since=since)
    near = area.unit if area is not None else district
    return FrontDoor(
        district=district,
        area=area,
        area_source=area_source if area is not None else "",
        choices=area_choices(),
        popular=popular_items(
            applied=applied,
            since=since,
            area_path=area.unit.path if area is not None else "",
            limit=POPULAR_LIMIT,
        ),
        popular_local=popular_local,
        life_events=life_event_tiles(),
        centers=centers_for(near) if near is not None else [],
        notices=publications_of_units_public(
            units=[unit for unit in (area.community, area.subdistrict) if unit is not None],
            limit=NOTICE_LIMIT,
            now=now,
        )
        if area is not None
        else [],
    )


def user_is_system_admin(user: User) -> bool:
    """A superuser, or a user holding an active system-admin role (sanyi.orgs.permissions)."""
    return bool(scope_paths(user, Role.SYSTEM_ADMIN))


def confirmed_totp_devices(user: User) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))


def totp_wait_seconds(devices: list[TOTPDevice], *, now: dt.datetime | None = None) -> int:
    """Seconds to wait before any of ``devices`` will check a code again, 0 when one will.

    django-otp backs off after each wrong code (1, 2, 4 … seconds, OTP_TOTP_THROTTLE_FACTOR)
    and, while it does, refuses even the right code; the page says so instead of calling
    the code wrong.
    """
    now = now or timezone.now()
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return 0
        locked_until = (data or {}).get("locked_until")
        if locked_until is None:
            return 0
        waits.append(max(1, math.ceil((locked_until - now).total_seconds())))
    return min(waits) if waits else 0


def totp_wait_message(seconds: int) -> str:
    """The wait in plain Chinese: "请等3秒" or "请等2分钟"."""
    wait = f"{seconds}秒" if seconds < 60 else f"{math.ceil(seconds / 60)}分钟"
    return (
        f"刚才输错了验证码，为防止猜测，请等{wait}后再输入验证器上当前显示的6位数字"
        "（这次没有核对您输入的数字，也不算输错）。"
    )


def user_must_use_otp(user: User) -> bool:
    """System admins must sign in with a second factor while SANYI_REQUIRE_ADMIN_OTP is on."""
    return bool(settings.SANYI_REQUIRE_ADMIN_OTP) and user_is_system_admin(user)
