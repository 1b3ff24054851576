"""The permission layer: the one place that decides what a staff member may act on.

Rules
-----
* A role is held on an org unit (``RoleAssignment``) and applies to that unit and every
  unit below it: "below" means the unit's materialised ``path`` starts with the path of
  the unit the role is held on.
* Only active assignments of active accounts count. Anonymous users hold nothing.
* Abolished units stay inside the scope of whoever holds a role above them: their history
  is still read, and a system admin is the one who reactivates them. Callers that act on
  live units only filter ``is_active`` themselves.
* System admins act everywhere under the unit they are assigned to (normally the district
  at the top). A system admin holds only that role: catalogue or case work needs its own
  role.
* Superusers are not a shortcut: a superuser counts as a system admin of every tree, and
  holds no other role unless it is assigned.

Every other app asks these functions (or builds its selectors with ``scope_q``); no view
filters by permission by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from sanyi.orgs.models import OrgUnit, Role, RoleAssignment
from sanyi.orgs.tree import subtree_q

if TYPE_CHECKING:
    from sanyi.orgs.models import User

RoleArg = str | Iterable[str]
_CACHE_ATTR = "_sanyi_role_assignments"


def _role_set(role_or_roles: RoleArg) -> frozenset[str]:
    roles = (
        frozenset([role_or_roles]) if isinstance(role_or_roles, str) else frozenset(role_or_roles)
    )
    unknown = roles - set(Role.values)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return roles


def _is_superadmin(user: User, roles: frozenset[str]) -> bool:
    return bool(getattr(user, "is_superuser", False)) and Role.SYSTEM_ADMIN in roles


def roles_of(user: User) -> list[RoleAssignment]:
    """The user's active role assignments with their units, read once per user object.

    The list is kept on the user object, which Django builds anew for every request, so a
    role granted or revoked takes effect on the next request. Call ``forget_roles`` after
    changing roles within the same request or test.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, is_active=True)
            .select_related("org_unit", "window")
            .order_by("org_unit__path", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: User) -> None:
    """Drop the cached assignments so the next check reads them again."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_paths(user: User, role_or_roles: RoleArg) -> list[str]:
    """The path prefixes of the units where the user holds one of the roles, without
    prefixes already covered by a shorter one."""
    roles = _role_set(role_or_roles)
    if not getattr(user, "is_active", False):
        return []
    if _is_superadmin(user, roles):
        return [""]
    paths = sorted({ra.org_unit.path for ra in roles_of(user) if ra.role in roles})
    kept: list[str] = []
    for path in paths:  # sorted, so a covering prefix comes before what it covers
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def has_role(user: User, role_or_roles: RoleArg, unit: OrgUnit) -> bool:
    """Whether the user holds one of the roles on ``unit`` or on any unit above it."""
    if unit is None:
        return False
    return any(unit.path.startswith(prefix) for prefix in scope_paths(user, role_or_roles))


def scope_q(user: User, role_or_roles: RoleArg, path_field: str = "org_unit__path") -> Q:
    """A filter for other apps' querysets: rows whose org unit lies in the user's scope.

    ``path_field`` is the lookup path to ``OrgUnit.path`` from the queried model
    (``"path"`` when querying ``OrgUnit`` itself). Matches nothing when the scope is empty.
    """
    prefixes = scope_paths(user, role_or_roles)
    if not prefixes:
        return Q(pk__in=[])
    q = Q()
    for prefix in prefixes:
        q |= subtree_q(prefix, path_field)
    return q


def scope_units(user: User, role_or_roles: RoleArg) -> QuerySet[OrgUnit]:
    """Every unit (abolished ones too) in the user's scope for the roles, in tree order."""
    return OrgUnit.objects.filter(scope_q(user, role_or_roles, path_field="path")).order_by("path")


def can_see_unit(user: User, unit: OrgUnit) -> bool:
    """Whether the user holds any role on ``unit`` or above it."""
    return has_role(user, Role.values, unit)


def scope_roots(user: User, role_or_roles: RoleArg) -> list[OrgUnit]:
    """The top units of the user's scope (the units the roles are held on)."""
    prefixes = scope_paths(user, role_or_roles)
    if prefixes == [""]:
        return list(OrgUnit.objects.filter(parent__isnull=True).order_by("sort_order", "name"))
    by_path = {ra.org_unit.path: ra.org_unit for ra in roles_of(user)}
    return [by_path[p] for p in prefixes]


def units_in_scope(user: User, units: list[OrgUnit]) -> list[OrgUnit]:
    """Those of ``units`` the user holds any role on (or on a unit above), in their order."""
    prefixes = scope_paths(user, Role.values)
    return [u for u in units if any(u.path.startswith(p) for p in prefixes)]
