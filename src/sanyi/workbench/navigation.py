"""The tiles on the workbench home page, read from ``sanyi.core.registry``.

Apps add their sections there from ``AppConfig.ready()`` (``register_tile(NavEntry(...))``);
the workbench only decides which tiles a user sees. A tile shows only when its URL name
resolves and the user holds one of its roles (no roles = every staff member). Superusers
see every tile whose URL exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from sanyi.core import registry
from sanyi.core.registry import NavEntry


@dataclass(frozen=True)
class NavTile:
    label: str
    url: str
    description: str


def register_own_tiles() -> None:
    """The workbench's own tile (called from WorkbenchConfig.ready())."""
    registry.register_tile(
        NavEntry(
            _("账号安全"),
            "workbench:account_security",
            description=_("修改密码，设置手机验证器（两步验证）"),
            order=900,
        )
    )


def visible_tiles(*, user, held_roles: Iterable[str]) -> list[NavTile]:
    held = set(held_roles)
    tiles = []
    for entry in registry.tiles():
        if entry.roles and not user.is_superuser and not (entry.roles & held):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        tiles.append(NavTile(label=str(entry.label), url=url, description=str(entry.description)))
    return tiles
