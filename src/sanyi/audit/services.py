"""Writing the audit trail. Every service that changes data calls ``audit_record`` inside
its own transaction, so the change and its audit row commit or roll back together."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from sanyi.audit.hashing import GENESIS_HASH, event_hash, to_json_value
from sanyi.audit.keys import signing_key
from sanyi.audit.models import AuditChainHead, AuditEvent
from sanyi.core.actors import Actor, SystemActor
from sanyi.core.request_context import current_client_ip

# Actor (sanyi.core.actors): a staff User, or work done by the system itself (imports from
# the command line, the demo loader, scheduled jobs) as a SystemActor or its plain str label.


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The current values of ``fields`` on ``obj`` (foreign keys as their ids)."""
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise ValueError(f"{obj._meta.label}.{name} is a relation, not a stored field")
        values[name] = getattr(obj, field.attname)
    return to_json_value(values)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Only the fields that changed, as ``{field: [before, after]}``."""
    before, after = to_json_value(before), to_json_value(after)
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    note: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit row, linked to the previous one by its HMAC under the audit key.

    ``changes`` is ``{field: [before, after]}`` (see ``diff``) or any JSON-able detail.
    Must run inside the caller's transaction.
    """
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)[:200]
    if not action or not object_type:
        raise ValueError("audit_record needs an action and an object")
    actor_user, actor_label = _actor_parts(actor)

    # No savepoint of its own: an audit row that fails must take the caller's change with
    # it, and two statements fewer on every write.
    with transaction.atomic(savepoint=False):
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH}
        )
        created_at = timezone.now()
        fields = {
            "created_at": created_at,
            "actor_label": actor_label[:100],
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "object_repr": object_repr[:200],
            "changes": to_json_value(changes or {}),
            "ip": ip if ip is not None else current_client_ip(),
            "note": note[:500],
        }
        return _chain_append(head, actor_user, fields)


def _chain_append(head: AuditChainHead, actor_user: Any, fields: dict[str, Any]) -> AuditEvent:
    """Write the next record after the locked ``head``, signed and linked, and move the head."""
    # Numbered from the head rather than the database sequence: PostgreSQL sequences
    # skip numbers on rollback, and verify must read a gap as a deleted record.
    seq = head.last_seq + 1
    key_id, key = signing_key()
    digest = event_hash(
        seq=seq,
        key_id=key_id,
        key=key,
        prev_hash=head.last_hash,
        actor_id=actor_user.pk if actor_user else None,
        **fields,
    )
    event = AuditEvent.objects.create(
        seq=seq,
        actor=actor_user,
        prev_hash=head.last_hash,
        hash=digest,
        key_id=key_id,
        **fields,
    )
    head.last_seq = event.seq
    head.last_hash = digest
    head.save(update_fields=["last_seq", "last_hash"])
    return event


def _actor_parts(actor: Actor) -> tuple[Any, str]:
    """The staff user (or None) and the label an audit row keeps for ``actor``."""
    if isinstance(actor, SystemActor):
        return None, actor.label
    if isinstance(actor, str):
        return None, actor
    if actor is None:
        raise ValueError("every write names its actor")
    return actor, actor.get_username()
