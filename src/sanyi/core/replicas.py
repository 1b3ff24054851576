"""Which reads may go to a read replica, and the router that sends them there.

docs/adr/0030-read-replicas.md gives the reasons. In short, a read goes to a replica only
inside a *read scope* that allows it (``ReadReplicaMiddleware`` opens one per GET or HEAD
request without an ``Authorization`` header; ``replica_reads()`` opens one for a report
command), and only while all of these hold:

* nothing has been written in the scope yet (after the first write every read of the
  scope stays on the primary, so a request reads what it wrote);
* no transaction is open on the primary (a service reads what it is about to change on
  the primary, inside its ``transaction.atomic``);
* the model is not in ``SANYI_PRIMARY_ONLY`` (sessions, accounts, tokens: who is signed
  in is never read from a copy that may lag);
* the chosen replica has replayed the primary's WAL up to the position the client was
  given after its last write (the ``sanyi_wal`` cookie), so the page after a form sees
  what the form saved.

Everywhere else (other methods, jobs, the worker, commands, migrations, streaming
responses after the view returned) every read and write uses the primary. Without
replicas configured the router has no opinion and Django behaves as if it were absent.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

PRIMARY = "default"
# The primary's WAL position after a request that wrote, for the client's next requests.
POSITION_COOKIE = "sanyi_wal"
POSITION_RE = re.compile(r"[0-9A-F]{1,8}/[0-9A-F]{1,8}")
# A replica that could not be reached is left alone this long (per process).
DOWN_SECONDS = 30.0

_down_until: dict[str, float] = {}


def replica_aliases() -> tuple[str, ...]:
    """The configured replicas' database aliases (``SANYI_READ_REPLICAS``)."""
    return tuple(getattr(settings, "SANYI_READ_REPLICAS", ()) or ())


@functools.lru_cache(maxsize=4)
def _primary_only_labels(entries: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    return (
        frozenset(e for e in entries if "." not in e),
        frozenset(e.lower() for e in entries if "." in e),
    )


def primary_only(model: Any) -> bool:
    """Whether ``model`` is always read from the primary (``SANYI_PRIMARY_ONLY``: app
    labels such as ``sessions`` or model labels such as ``orgs.User``)."""
    apps, models = _primary_only_labels(tuple(getattr(settings, "SANYI_PRIMARY_ONLY", ())))
    meta = model._meta
    return meta.app_label in apps or meta.label_lower in models


def _in_transaction() -> bool:
    """Whether code runs inside ``transaction.atomic`` on the primary. The atomic blocks a
    test case wraps every test in are not the code's own and do not count."""
    conn = connections[PRIMARY]
    return conn.in_atomic_block and not all(
        getattr(block, "_from_testcase", False) for block in conn.atomic_blocks
    )


def primary_position() -> str | None:
    """The primary's current WAL position (``0/3000148``); None on other engines."""
    conn = connections[PRIMARY]
    if conn.vendor != "postgresql":
        return None
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return str(cursor.fetchone()[0])


def caught_up(alias: str, position: str) -> bool:
    """Whether the replica ``alias`` has replayed the WAL up to ``position``. A server that
    is not in recovery (a test mirror of the primary) has everything."""
    conn = connections[alias]
    if conn.vendor != "postgresql":
        return True
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT pg_last_wal_replay_lsn() IS NULL OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
            [position],
        )
        return bool(cursor.fetchone()[0])


def _usable(alias: str, position: str | None) -> bool | None:
    """True when the replica answers and has ``position``; False when it is behind; None
    when it cannot be reached (it is then left alone for ``DOWN_SECONDS``)."""
    try:
        connections[alias].ensure_connection()
        return position is None or caught_up(alias, position)
    except DatabaseError:
        logger.warning("read replica %s unreachable; reading from the primary", alias)
        _down_until[alias] = time.monotonic() + DOWN_SECONDS
        return None


def _pick(position: str | None) -> tuple[str, bool]:
    """A replica for one scope, in random order among those not known to be down, and
    whether one had ``position``; the primary when none is up and caught up."""
    now = time.monotonic()
    candidates = [a for a in replica_aliases() if _down_until.get(a, 0.0) <= now]
    random.shuffle(candidates)
    for alias in candidates:
        if _usable(alias, position):
            return alias, position is not None
    return PRIMARY, False


@dataclass
class ReadScope:
    """One request's (or one report's) reading state. ``position``: the primary's WAL
    position the client must see (from its cookie)."""

    replicas_allowed: bool
    position: str | None = None
    wrote: bool = False
    blind: int = 0
    chosen: str | None = None
    position_reached: bool = False

    def may_use_replica(self, model: Any) -> bool:
        return (
            self.replicas_allowed
            and not self.wrote
            and not primary_only(model)
            and not _in_transaction()
        )

    def replica(self) -> str:
        """The one replica this scope reads from, chosen on its first replica read."""
        if self.chosen is None:
            self.chosen, self.position_reached = _pick(self.position)
        return self.chosen


_scope: contextvars.ContextVar[ReadScope | None] = contextvars.ContextVar(
    "sanyi_read_scope", default=None
)


def current_scope() -> ReadScope | None:
    return _scope.get()


@contextlib.contextmanager
def read_scope(*, replicas_allowed: bool, position: str | None = None) -> Iterator[ReadScope]:
    """Route this block's reads as one request's (see the module docstring)."""
    scope = ReadScope(replicas_allowed=replicas_allowed, position=position)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def replica_reads() -> contextlib.AbstractContextManager[ReadScope]:
    """For a command that only reports: its reads may go to a replica, until it writes."""
    return read_scope(replicas_allowed=True)


@contextlib.contextmanager
def blind_writes() -> Iterator[None]:
    """Writes in this block are never read back by the one who caused them (a search log
    row, a page-view counter), so they do not keep the rest of the request and the
    client's next requests on the primary. They still go to the primary."""
    scope = _scope.get()
    if scope is None:
        yield
        return
    scope.blind += 1
    try:
        yield
    finally:
        scope.blind -= 1


def read_connection(model: Any) -> BaseDatabaseWrapper:
    """The connection for a raw SQL read of ``model``'s table: the one the router picks."""
    return connections[router.db_for_read(model)]


class ReplicaRouter:
    """``DATABASE_ROUTERS``: reads to a replica where the read scope allows it, every write
    and every migration to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not replica_aliases():
            return None
        scope = _scope.get()
        if scope is None or not scope.may_use_replica(model):
            return PRIMARY
        return scope.replica()

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        if not replica_aliases():
            return None
        scope = _scope.get()
        # Rows always read from the primary need no stickiness: nothing can read them stale.
        if scope is not None and not scope.blind and not primary_only(model):
            scope.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        known = {PRIMARY, *replica_aliases()}
        if obj1._state.db in known and obj2._state.db in known:
            return True  # the same rows, read from different copies
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY
