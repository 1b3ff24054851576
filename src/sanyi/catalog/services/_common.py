"""What every catalogue service shares: the actor's label and role check, locking and
reloading, and the status and guide checks.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from sanyi.catalog.guide import (
    FieldError,
    GuideInvalid,
)
from sanyi.catalog.models import (
    ImplementationItem,
    ItemVersion,
)
from sanyi.core.actors import Actor, is_user
from sanyi.core.actors import actor_label as core_actor_label
from sanyi.core.transitions import require_status
from sanyi.orgs.models import OrgUnit, Role, User
from sanyi.orgs.permissions import has_role

IDENTITY_FIELDS = (
    "level",
    "power_source",
    "implementer_nature",
    "entrusting_body",
    "delegated_from",
)


def actor_label(actor: Actor) -> str:
    """The name the catalogue's records keep for ``actor`` (a user's username)."""
    return core_actor_label(actor, username=True)


def holds_catalog_admin(user: User, unit: OrgUnit) -> bool:
    """Whether ``user`` holds the catalogue-admin role in ``unit`` or a unit above it."""
    return has_role(user, Role.CATALOG_ADMIN, unit)


def _require_editor(actor: Actor, unit: OrgUnit) -> None:
    if not is_user(actor):
        if not core_actor_label(actor).strip():
            raise ValueError("every write names its actor")
        return
    if not holds_catalog_admin(actor, unit):
        raise PermissionDenied(f"您不是“{unit.name}”的事项管理员，不能维护该单位的事项")


def _raise_guide_errors(errors: list[FieldError]) -> None:
    if errors:
        raise GuideInvalid(errors)


def _lock_item(item: ImplementationItem) -> ImplementationItem:
    """Serialise lifecycle changes of one code (two admins publishing at once)."""
    return ImplementationItem.objects.select_for_update().get(pk=item.pk)


def _reload(version: ItemVersion, *, lock: bool = False) -> ItemVersion:
    qs = ItemVersion.objects.select_related(
        "implementation_item__base_item", "implementation_item__implementing_unit"
    )
    if lock:
        _lock_item(version.implementation_item)
    return qs.get(pk=version.pk)


def _note_editor(actor: Actor, version: ItemVersion) -> None:
    """Remember who changed a draft: nobody who did may review it (four eyes)."""
    if is_user(actor):
        version.editors.add(actor)


def _require_status(version: ItemVersion, *statuses: str, doing: str) -> None:
    require_status(
        version,
        statuses,
        lambda v: f"{v}处于“{v.get_status_display()}”状态，不能{doing}",
        field=None,
    )
