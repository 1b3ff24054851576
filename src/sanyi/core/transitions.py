"""Moving an object from one status to the next, the same way in every app.

A transition locks the row, checks its status, changes it, records the app's ledger event,
writes the audit row, and leaves side effects (notifications, indexing) for after the commit,
all in one transaction. ``transition`` does the parts every app shares; the app's service
does the change and records its own ledger row inside the ``with`` block::

    with transition(InfoRequest, request.pk, actor=actor, allowed=[...],
                    refusal=lambda r: f"…不能{doing}") as step:
        request = step.obj
        ...change, save, ledger row...
        step.audit("disclosure_request.confirm", changes={...})
        step.on_commit(lambda: ...)

Leaving the block without an audit row is a programming error and rolls the change back;
an edit that turns out to change nothing says so with ``step.unchanged()``. The audit row
names the locked object unless ``step.audit(..., obj=...)`` names the record the step made
(a rating of a case, an interpretation of a policy).

State changes of disclosure requests, cases, publications, ratings (and their
rectifications and appeals) and e-licences go through ``transition``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from sanyi.core.actors import Actor
from sanyi.core.queries import unique

M = TypeVar("M", bound=models.Model)


class AuditWriter(Protocol):
    def __call__(
        self,
        *,
        actor: Actor,
        action: str,
        obj: models.Model | None = ...,
        changes: dict[str, Any] | None = ...,
        note: str = ...,
    ) -> object: ...


# The audit app sits above core, so it plugs its writer in (AuditConfig.ready(), with
# ``audit_record``) instead of core importing it.
_audit_writer: AuditWriter | None = None


def set_audit_writer(writer: AuditWriter) -> None:
    global _audit_writer
    _audit_writer = writer


def locked(
    model: type[M],
    pk: Any,
    *,
    related: Sequence[str] = (),
    of: Sequence[str] = (),
    known: M | None = None,
) -> M:
    """Row ``pk`` of ``model``, locked until the transaction ends (SELECT … FOR UPDATE).

    ``of=("self",)`` locks only this row when ``related`` joins nullable relations
    (PostgreSQL refuses FOR UPDATE on the nullable side of an outer join).

    ``known``: the caller's copy of the row. The relations in ``related`` that it already
    holds are not read again: the lock covers only this row, so they are as current as a
    join would be. A relation the locked row no longer points to is left to load on use."""
    reuse, load = _already_loaded(known, pk, related)
    qs = model._default_manager.select_for_update(of=tuple(of)).filter(pk=pk)
    if load:
        qs = qs.select_related(*load)
    obj = unique(qs)  # no LIMIT: see sanyi.core.queries
    for name in reuse:  # empty unless ``known`` is the row
        relation: Any = model._meta.get_field(name)  # a forward relation: get_cached_value
        held = relation.get_cached_value(known, None)
        if getattr(obj, relation.attname) == (held.pk if held is not None else None):
            relation.set_cached_value(obj, held)
    return obj


def _already_loaded(
    known: models.Model | None, pk: Any, related: Sequence[str]
) -> tuple[list[str], list[str]]:
    """(first relations of ``related`` that ``known`` holds with all that hangs off them,
    the paths still to join)."""
    if known is None or known.pk is None or str(known.pk) != str(pk):
        return [], list(related)
    by_first: dict[str, list[str]] = {}
    for path in related:
        by_first.setdefault(path.split("__", 1)[0], []).append(path)
    reuse = [name for name, paths in by_first.items() if all(_held(known, p) for p in paths)]
    return reuse, [p for p in related if p.split("__", 1)[0] not in reuse]


def _held(obj: models.Model | None, path: str) -> bool:
    """Whether every object along ``path`` is already loaded on ``obj``."""
    for name in path.split("__"):
        if obj is None:
            return True  # an empty nullable relation: nothing further to load
        relation: Any = obj._meta.get_field(name)
        if not relation.is_cached(obj):
            # An empty foreign key has nothing to load either.
            return bool(relation.many_to_one) and getattr(obj, relation.attname) is None
        obj = relation.get_cached_value(obj)
    return True


def require_status(
    obj: models.Model,
    allowed: Collection[str],
    message: str | Callable[[Any], str],
    *,
    field: str | None = "status",
) -> None:
    """Refuse (ValidationError on ``field``, or a plain one when None) unless ``obj.status``
    is one of ``allowed``. ``message`` may be a callable so the text is built only on refusal."""
    if obj.status in allowed:  # type: ignore[attr-defined]
        return
    text = message(obj) if callable(message) else message
    raise ValidationError({field: text} if field else text)


def business_day(
    on: dt.date | None,
    *,
    field: str = "on",
    invalid: str = "日期格式不正确",
    future: str = "日期不能晚于今天",
) -> dt.date:
    """The day an action happened: today by default, a date (not a datetime), never in the
    future. Apps pass their own wording so the messages the pages show stay as they were."""
    today = timezone.localdate()
    if on is None:
        return today
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise ValidationError({field: invalid})
    if on > today:
        raise ValidationError({field: future})
    return on


@dataclass
class Step(Generic[M]):
    """One transition under way: the locked object, and what it has recorded so far."""

    obj: M
    actor: Actor
    audited: bool = False
    changed_nothing: bool = False
    skipped: bool = False
    _after: list[Callable[[], None]] = field(default_factory=list)

    def audit(
        self,
        action: str,
        *,
        changes: dict[str, Any] | None = None,
        note: str = "",
        obj: models.Model | None = None,
    ) -> None:
        """Write the audit row now, in the transaction, naming the step's actor and its
        object (or ``obj``: a record the step made, such as a rating of the locked case)."""
        if _audit_writer is None:
            raise RuntimeError("no audit writer: sanyi.audit must be installed")
        target = self.obj if obj is None else obj
        _audit_writer(actor=self.actor, action=action, obj=target, changes=changes, note=note)
        self.audited = True

    def unchanged(self) -> None:
        """The step found nothing to change (an edit with the same values): it may end
        without an audit row. Call it only when the step saved nothing."""
        self.changed_nothing = True

    def on_commit(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the transaction has committed (never if it rolls back)."""
        self._after.append(fn)


@contextmanager
def transition(
    model: type[M],
    pk: Any,
    *,
    actor: Actor,
    allowed: Collection[str],
    refusal: str | Callable[[M], str],
    related: Sequence[str] = (),
    of: Sequence[str] = (),
    check: Callable[[M], None] | None = None,
    field: str | None = "status",
    skip_if: Callable[[M], bool] | None = None,
    known: M | None = None,
) -> Iterator[Step[M]]:
    """Lock → ``check`` (who may act, before the status is revealed) → require status →
    the caller's change and ledger row → audit row → on-commit side effects.

    ``field`` names the form field a refusal is shown on. ``skip_if`` says the step has
    nothing to do for this object (a retried request already carried out, a record the
    change does not concern): its status is then not required, ``step.skipped`` is set and
    the body returns at once, changing and auditing nothing. ``known``: see ``locked``."""
    if actor is None:
        raise ValueError("every write names its actor")
    with transaction.atomic():
        obj = locked(model, pk, related=related, of=of, known=known)
        if check is not None:
            check(obj)
        step = Step(obj=obj, actor=actor)
        if skip_if is not None and skip_if(obj):
            step.skipped = True
        else:
            require_status(obj, allowed, refusal, field=field)
        yield step
        if not (step.audited or step.changed_nothing or step.skipped):
            raise RuntimeError(f"{model.__name__} transition left no audit row")
        for fn in step._after:
            transaction.on_commit(fn)
