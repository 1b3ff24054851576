"""Reading the org tree. Each selector costs a fixed number of queries, whatever the
size of the tree: subtrees are one indexed ``path`` prefix query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from sanyi.orgs import permissions
from sanyi.orgs.models import (
    OrgKind,
    OrgUnit,
    Role,
    RoleAssignment,
    ServiceCenter,
    User,
    Window,
)
from sanyi.orgs.tree import subtree_q


def org_subtree(unit: OrgUnit, include_self: bool = True) -> QuerySet[OrgUnit]:
    """The unit and every unit below it, in tree order (one ``path LIKE 'prefix%'`` query)."""
    qs = OrgUnit.objects.filter(subtree_q(unit.path))
    if not include_self:
        qs = qs.exclude(pk=unit.pk)
    return qs.order_by("path")


def org_ancestors(unit: OrgUnit, include_self: bool = False) -> QuerySet[OrgUnit]:
    """The units above ``unit``, from the top down, read by the ids in its path."""
    ids = unit.ancestor_ids if include_self else unit.ancestor_ids[:-1]
    return OrgUnit.objects.filter(pk__in=ids).order_by("depth")


@dataclass
class TreeNode:
    unit: OrgUnit
    children: list[TreeNode] = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + sum(child.size for child in self.children)


# Siblings show territorial units first, then agencies and their outposts.
KIND_ORDER: dict[str, int] = {
    OrgKind.DISTRICT: 0,
    OrgKind.SUBDISTRICT: 1,
    OrgKind.COMMUNITY: 2,
    OrgKind.GRID: 3,
    OrgKind.DEPARTMENT: 4,
    OrgKind.STATION: 5,
}


def nest_units(units: list[OrgUnit]) -> list[TreeNode]:
    """Nest units (already read) into trees; units whose parent is absent become roots.

    Siblings are ordered by kind (territorial first), then ``sort_order``, then name.
    """
    nodes = {u.pk: TreeNode(u) for u in units}
    roots = []
    for u in units:
        if u.parent_id in nodes:
            nodes[u.parent_id].children.append(nodes[u.pk])
        else:
            roots.append(nodes[u.pk])

    def key(n: TreeNode) -> tuple[int, int, str]:
        return (KIND_ORDER.get(n.unit.kind, 9), n.unit.sort_order, n.unit.name)

    for node in nodes.values():
        node.children.sort(key=key)
    return sorted(roots, key=lambda n: (n.unit.path,))


def org_tree_for_display(root: OrgUnit, *, include_abolished: bool = True) -> TreeNode:
    """The whole subtree of ``root`` read in one query and nested in Python."""
    units = list(org_subtree(root))
    if not include_abolished:
        units = [u for u in units if u.is_active or u.pk == root.pk]
    roots = nest_units(units)
    return roots[0] if roots else TreeNode(root)


def org_units_visible(
    *, viewer: User, role_or_roles: str | Iterable[str] = Role.SYSTEM_ADMIN
) -> QuerySet[OrgUnit]:
    """Units the viewer may see for the roles (see ``orgs.permissions``)."""
    return permissions.scope_units(viewer, role_or_roles)


def org_unit_for_viewer(
    *, viewer: User, pk: int, role_or_roles: str | Iterable[str] = Role.SYSTEM_ADMIN
) -> OrgUnit | None:
    """One unit, or None when it does not exist or lies outside the viewer's scope."""
    return (
        OrgUnit.objects.filter(permissions.scope_q(viewer, role_or_roles, path_field="path"))
        .select_related("parent")
        .filter(pk=pk)
        .first()
    )


def service_centers_for(unit: OrgUnit, *, include_subtree: bool = False) -> QuerySet[ServiceCenter]:
    """The service centers of a unit (or of its whole subtree), windows prefetched."""
    qs = (
        ServiceCenter.objects.filter(subtree_q(unit.path, "org_unit__path"))
        if include_subtree
        else ServiceCenter.objects.filter(org_unit=unit)
    )
    return (
        qs.select_related("org_unit")
        .prefetch_related(Prefetch("windows", queryset=Window.objects.order_by("number")))
        .order_by("org_unit__path", "name")
    )


def staff_of_unit(unit: OrgUnit, *, include_inactive: bool = False) -> QuerySet[RoleAssignment]:
    """Role assignments held on exactly this unit, with their people and windows."""
    qs = RoleAssignment.objects.filter(org_unit=unit)
    if not include_inactive:
        qs = qs.filter(is_active=True, user__is_active=True)
    return qs.select_related("user", "window", "window__center").order_by("role", "user__username")


def org_units_assignable(*, viewer: User) -> list[OrgUnit]:
    """The live units where ``viewer`` may assign roles (its system-admin scope), in tree
    order, each with its parent read (one query)."""
    return list(
        permissions.scope_units(viewer, Role.SYSTEM_ADMIN)
        .filter(is_active=True)
        .select_related("parent")
    )


def staff_visible(
    *, viewer: User, search: str = "", unit: OrgUnit | None = None, role: str = ""
) -> QuerySet[User]:
    """Staff accounts a system admin may manage: those holding any role in the admin's
    scope, plus accounts with no role at all (just created, not yet placed).

    ``unit`` keeps the people holding an active role on that unit or any unit below it;
    ``role`` those holding that role (both on one assignment when both are given). Each
    person comes with ``active_assignments``: their active roles with units, prefetched.
    """
    in_scope = permissions.scope_q(viewer, Role.SYSTEM_ADMIN, "role_assignments__org_unit__path")
    no_role = ~Q(pk__in=RoleAssignment.objects.values("user_id"))
    qs = User.objects.filter(in_scope | no_role)
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    if unit is not None or role:
        held = RoleAssignment.objects.filter(is_active=True)
        if unit is not None:
            held = held.filter(subtree_q(unit.path, "org_unit__path"))
        if role:
            held = held.filter(role=role)
        qs = qs.filter(pk__in=held.values("user_id"))
    active = (
        RoleAssignment.objects.filter(is_active=True)
        .select_related("org_unit", "window")
        .order_by("org_unit__path", "role")
    )
    return (
        qs.distinct()
        .prefetch_related(
            Prefetch("role_assignments", queryset=active, to_attr="active_assignments")
        )
        .order_by("username")
    )


def staff_can_be_managed_by(*, viewer: User, user: User) -> bool:
    """Whether ``viewer`` (a system admin) may edit ``user`` and their roles."""
    return staff_visible(viewer=viewer).filter(pk=user.pk).exists()


def roles_of_staff(user: User) -> QuerySet[RoleAssignment]:
    """Every role assignment of one person, revoked ones included, for the staff page."""
    return (
        RoleAssignment.objects.filter(user=user)
        .select_related("org_unit", "window", "window__center")
        .order_by("-is_active", "org_unit__path", "role")
    )


# The order of the groups in a unit dropdown: from the district down (区/街道/社区…).
LEVEL_GROUPS: tuple[tuple[str, str], ...] = (
    (OrgKind.DISTRICT, "区"),
    (OrgKind.DEPARTMENT, "区直部门"),
    (OrgKind.SUBDISTRICT, "街道、乡镇"),
    (OrgKind.STATION, "派出所、站所"),
    (OrgKind.COMMUNITY, "社区、村"),
    (OrgKind.GRID, "网格"),
)


def unit_choices_by_level(units: QuerySet[OrgUnit]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Grouped choices for a unit dropdown (rendered as ``<optgroup>``): one group per
    level, in ``LEVEL_GROUPS`` order, units in tree order. A station or community carries
    its parent's name ("翠苑社区（城关街道）"), as names repeat across subdistricts. One
    query; the caller's ``units`` already holds only what the person may pick."""
    groups: dict[str, list[tuple[int, str]]] = {kind: [] for kind, _ in LEVEL_GROUPS}
    rows = units.select_related("parent").only("pk", "name", "kind", "path", "parent__name")
    for unit in rows.order_by("path"):
        label = unit.name
        if unit.kind in (OrgKind.STATION, OrgKind.COMMUNITY, OrgKind.GRID) and unit.parent:
            label = f"{unit.name}（{unit.parent.name}）"
        groups.setdefault(unit.kind, []).append((unit.pk, label))
    titles = dict(LEVEL_GROUPS)
    return [(titles.get(kind, kind), choices) for kind, choices in groups.items() if choices]
