"""Reading for the public pages and the staff login: the service-center directory on the
home page and who must use a second factor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanyi.orgs.models import OrgKind, OrgUnit, Role, ServiceCenter
from sanyi.orgs.permissions import scope_paths

if TYPE_CHECKING:
    from sanyi.orgs.models import User


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
    district = (
        OrgUnit.objects.filter(kind=OrgKind.DISTRICT, parent__isnull=True, is_active=True)
        .order_by("sort_order", "pk")
        .first()
    )
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


def user_is_system_admin(user: User) -> bool:
    """A superuser, or a user holding an active system-admin role (sanyi.orgs.permissions)."""
    return bool(scope_paths(user, Role.SYSTEM_ADMIN))


def confirmed_totp_devices(user: User) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))


def user_must_use_otp(user: User) -> bool:
    """System admins must sign in with a second factor while SANYI_REQUIRE_ADMIN_OTP is on."""
    return bool(settings.SANYI_REQUIRE_ADMIN_OTP) and user_is_system_admin(user)
