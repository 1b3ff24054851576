"""The tiles on the workbench home page. Apps add their sections here, e.g. in their
AppConfig.ready():

    from django.utils.translation import gettext_lazy as _
    from sanyi.workbench.navigation import NavEntry, register
    register(NavEntry(_("事项管理"), "catalog:item_list", roles={Role.CATALOG_ADMIN}))

Labels and descriptions are lazy translations: registration runs once at start-up, and
each page shows them in the language of its request.

A tile shows only when its URL name resolves and the user holds one of its roles (no roles
= every staff member). Superusers see every tile whose URL exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    description: str | Promise = ""
    order: int = 100

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))


@dataclass(frozen=True)
class NavTile:
    label: str
    url: str
    description: str


NAV: list[NavEntry] = [
    NavEntry(
        _("账号安全"),
        "workbench:account_security",
        description=_("修改密码，设置手机验证器（两步验证）"),
        order=900,
    ),
]


def register(entry: NavEntry) -> None:
    """Add a tile; registering the same URL name twice replaces the earlier entry."""
    NAV[:] = [e for e in NAV if e.url_name != entry.url_name]
    NAV.append(entry)


def visible_tiles(*, user, held_roles: Iterable[str]) -> list[NavTile]:
    held = set(held_roles)
    tiles = []
    for entry in sorted(NAV, key=lambda e: (e.order, str(e.label))):
        if entry.roles and not user.is_superuser and not (entry.roles & held):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        tiles.append(NavTile(label=str(entry.label), url=url, description=str(entry.description)))
    return tiles
