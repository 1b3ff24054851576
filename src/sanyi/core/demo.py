"""The parts of the demo, registered by the apps that own them.

An app adds its demo data by registering a part from its ``AppConfig.ready``::

    from sanyi.core.demo import register

    class CatalogConfig(AppConfig):
        def ready(self):
            register(
                order=20, name="catalog",
                load="sanyi.catalog.demo.load:load",
                is_loaded="sanyi.catalog.demo.load:is_loaded",
            )

``load(*, actor, rng)`` writes the part through the app's services (``actor`` is the
label "系统：演示数据", ``rng`` a ``random.Random`` seeded by the command, so every load
builds the same data) and returns a ``DemoResult`` or None. ``is_loaded()`` tells whether
the part is already in the database; ``sanyi demo load`` then skips it, so loading twice
is harmless and a part added by a later release loads on top of an older demo.

``load`` and ``is_loaded`` may be callables or "module:function" strings; strings keep
app start-up from importing demo code. Parts run in ``order`` (orgs is 10: everything
else hangs off the org tree), each in its own transaction.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

DEMO_ACTOR = "系统：演示数据"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # Chinese role name
    unit: str
    password: str
    note: str = ""


@dataclass
class DemoResult:
    summary: str = ""
    logins: list[DemoLogin] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemoPart:
    order: int
    name: str
    load: Callable | str
    is_loaded: Callable | str | None = None
    # False for a part that commits its own work (e.g. an all-or-nothing import followed
    # by a bulk step that must see the committed rows).
    atomic: bool = True

    def _resolve(self, target: Callable | str) -> Callable:
        if callable(target):
            return target
        module, _, func = target.partition(":")
        return getattr(import_module(module), func)

    def run(self, *, actor: str, rng: random.Random) -> DemoResult | None:
        return self._resolve(self.load)(actor=actor, rng=rng)

    def loaded(self) -> bool:
        return bool(self.is_loaded and self._resolve(self.is_loaded)())


_parts: dict[str, DemoPart] = {}


def register(
    *,
    order: int,
    name: str,
    load: Callable | str,
    is_loaded: Callable | str | None = None,
    atomic: bool = True,
) -> None:
    """Add (or replace, by ``name``) one part of the demo."""
    _parts[name] = DemoPart(order=order, name=name, load=load, is_loaded=is_loaded, atomic=atomic)


def parts() -> list[DemoPart]:
    """The registered parts, in load order."""
    return sorted(_parts.values(), key=lambda p: (p.order, p.name))
