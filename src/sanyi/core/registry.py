"""What the apps tell the shells about themselves: workbench tiles, portal links, who may
read an object's history, and extra subcommands of a command group.

The shells (workbench, portal, api) sit above the apps and read these registries; an app
never imports a shell. Apps register from their ``AppConfig.ready()``::

    from django.utils.translation import gettext_lazy as _
    from sanyi.core.registry import NavEntry, PortalLink, register_history
    from sanyi.core.registry import register_portal_link, register_tile

    register_tile(NavEntry(_("事项管理"), "workbench:catalog_items", roles={Role.CATALOG_ADMIN}))
    register_portal_link(PortalLink(_("办事指南"), "catalog:home", order=20))
    register_history("catalog.item", lambda user, object_id: ...)

Labels are lazy translations: registration runs once at start-up, and each page shows
them in the language of its request. Registering the same key twice (URL name, object
type, subcommand name) replaces the earlier entry.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from django.utils.functional import Promise

if TYPE_CHECKING:
    # Read as the AUTH_USER_MODEL class by django-stubs' plugin (see sanyi.core.actors).
    from django.contrib.auth.models import _User

# -- Workbench tiles ----------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    """A tile on the workbench home page. It shows when its URL name resolves and the user
    holds one of ``roles`` (no roles = every staff member; superusers see every tile)."""

    label: str | Promise
    url_name: str
    roles: AbstractSet[str] = field(default_factory=frozenset)
    description: str | Promise = ""
    order: int = 100

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))


NAV: list[NavEntry] = []


def register_tile(entry: NavEntry) -> None:
    NAV[:] = [e for e in NAV if e.url_name != entry.url_name]
    NAV.append(entry)


def tiles() -> list[NavEntry]:
    """The registered tiles in display order."""
    return sorted(NAV, key=lambda e: (e.order, str(e.label)))


# -- Portal links -------------------------------------------------------------------------


@dataclass(frozen=True)
class PortalLink:
    """A link in the portal's main navigation; it shows only when its URL name resolves."""

    label: str | Promise
    url_name: str
    order: int = 100


LINKS: list[PortalLink] = []


def register_portal_link(link: PortalLink) -> None:
    LINKS[:] = [item for item in LINKS if item.url_name != link.url_name]
    LINKS.append(link)


def portal_links() -> list[PortalLink]:
    """The registered links in display order."""
    return sorted(LINKS, key=lambda item: (item.order, str(item.label)))


# -- History checks -----------------------------------------------------------------------

# ``(user, object_id) -> bool`` for one object type (``app_label.modelname``, as audit rows
# store it); it raises Http404 when the object does not exist. Types nobody registered have
# no history page, so a new model's history stays closed until its app says who may see it.
HistoryCheck: TypeAlias = "Callable[[_User, str], bool]"

HISTORY_CHECKS: dict[str, HistoryCheck] = {}


def register_history(object_type: str, check: HistoryCheck) -> None:
    HISTORY_CHECKS[object_type] = check


def history_check(object_type: str) -> HistoryCheck | None:
    return HISTORY_CHECKS.get(object_type)


def history_types() -> list[str]:
    return sorted(HISTORY_CHECKS)


# -- Subcommands of a command group -------------------------------------------------------


@dataclass(frozen=True)
class Subcommand:
    """One subcommand another app adds to a command group (e.g. ``sanyi openness
    annual-report`` from annual_reports): ``add_parser(subparsers)`` declares it and
    ``run(command, **options)`` does the work."""

    name: str
    add_parser: Callable
    run: Callable


SUBCOMMANDS: dict[str, dict[str, Subcommand]] = {}


def register_subcommand(group: str, subcommand: Subcommand) -> None:
    SUBCOMMANDS.setdefault(group, {})[subcommand.name] = subcommand


def subcommands(group: str) -> list[Subcommand]:
    return [SUBCOMMANDS[group][name] for name in sorted(SUBCOMMANDS.get(group, {}))]


# -- Due dates a calendar change would move ------------------------------------------------


@dataclass(frozen=True)
class DueMove:
    """One piece of open work whose due date a calendar change moves (old → new)."""

    kind: str  # what it is, in Chinese: "办件", "依申请公开"
    label: str  # its number and title
    url: str  # its staff page
    old: date | None
    new: date | None


# ``(years, actor) -> list[DueMove]``: called by the calendar's preview inside a transaction
# that has already written the new holidays and is then rolled back. The app recomputes its
# open work in ``years`` exactly as it would after the change and reports what moved.
DuePreview: TypeAlias = "Callable[[set[int], object], list[DueMove]]"

DUE_PREVIEWS: dict[str, DuePreview] = {}


def register_due_preview(key: str, preview: DuePreview) -> None:
    DUE_PREVIEWS[key] = preview


def due_previews() -> list[DuePreview]:
    return [DUE_PREVIEWS[key] for key in sorted(DUE_PREVIEWS)]


# -- The grid an applicant lives in ----------------------------------------------------------

# ``(applicant) -> OrgUnit | None``: registered by the grid app, read by case routing for
# steps whose target is "申请人所在网格" (cases never imports the grid app).
ApplicantGrid: TypeAlias = "Callable[[object], object | None]"

_applicant_grid: list[ApplicantGrid] = []


def register_applicant_grid(resolver: ApplicantGrid) -> None:
    _applicant_grid[:] = [resolver]


def applicant_grid(applicant: object) -> object | None:
    """The applicant's grid by the registered resolver, or None when none is registered."""
    return _applicant_grid[0](applicant) if _applicant_grid else None


# -- Counts on the phone workbench's level cards ------------------------------------------

# The phone home shows one card per unit the signed-in person works at (街道, 站所, 社区,
# 网格), each with that unit's own counts. An app adds counts by registering a counter:
# ``count(viewer, units) -> {unit_pk: [(label, number, url_name_or_empty), ...]}``. A
# counter must enforce the viewer's scope itself (a unit outside it gets nothing) and run a
# constant number of queries whatever the number of units (conditional aggregation over
# the units' paths). Event reports (事件上报) add their counts here the same way.
LevelCount: TypeAlias = "Callable[[_User, list], dict[int, list[tuple[str, int, str]]]]"


@dataclass(frozen=True)
class LevelCounter:
    key: str
    kinds: frozenset[str]  # OrgKind values whose cards show these counts
    count: LevelCount
    order: int = 100


LEVEL_COUNTERS: dict[str, LevelCounter] = {}


def register_level_counter(counter: LevelCounter) -> None:
    LEVEL_COUNTERS[counter.key] = counter


def level_counters() -> list[LevelCounter]:
    return sorted(LEVEL_COUNTERS.values(), key=lambda c: (c.order, c.key))


# -- Work done when a server process starts -----------------------------------------------

# What a process would otherwise load lazily while the first visitor waits (the search
# app's word segmenter dictionary). ``sanyi.wsgi`` runs these when SANYI_WARM_UP is on
# (production), once per gunicorn worker before it takes requests.
WarmUp: TypeAlias = Callable[[], object]
WARM_UPS: dict[str, WarmUp] = {}


def register_warm_up(name: str, load: WarmUp) -> None:
    WARM_UPS[name] = load


def run_warm_ups() -> dict[str, float]:
    """Run every registered warm-up; returns the seconds each took. A warm-up that fails
    is logged and skipped: the process serves anyway, and loads lazily as before. Database
    connections opened here are closed, so none is shared with a process forked later."""
    import logging
    import time

    from django.db import connections

    logger = logging.getLogger(__name__)
    took: dict[str, float] = {}
    try:
        for name, load in list(WARM_UPS.items()):
            started = time.perf_counter()
            try:
                load()
            except Exception:
                logger.exception("warm-up %s failed; it will load on first use", name)
                continue
            took[name] = time.perf_counter() - started
            logger.info("warm-up %s: %.0f ms", name, took[name] * 1000)
    finally:
        connections.close_all()
    return took
