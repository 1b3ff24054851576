"""How an audit record and a checkpoint are sealed.

A record written with a key (``key_id`` not empty) carries HMAC-SHA256 of its content, its
sequence number, its key id and the previous record's hash, under the audit key of that
id. Without the key nobody can recompute a valid chain after changing a record.

Records written before keys existed (``key_id == ""``) carry the plain SHA-256 of the
older payload (no sequence number, no key id); they are still checked, but only as a
prefix of the chain that a keyed record seals (docs/adr/0005-audit-hash-chain.md).
"""

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64
LEGACY_KEY_ID = ""


def to_json_value(value: Any) -> Any:
    """Make a value JSON-safe the same way on write and on verify."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def canonical_json(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def event_hash(
    *,
    seq: int,
    key_id: str,
    key: bytes | None,
    prev_hash: str,
    created_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    changes: Any,
    ip: str | None,
    note: str,
) -> str:
    """The hash stored on a record: HMAC-SHA256 under ``key``, or legacy SHA-256 when
    ``key_id`` is empty (then ``seq`` and ``key`` are not used, as before keys existed)."""
    payload = {
        "prev": prev_hash,
        "at": created_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor": actor_label,
        "action": action,
        "type": object_type,
        "id": str(object_id),
        "repr": object_repr,
        "changes": changes,
        "ip": ip,
        "note": note,
    }
    if key_id == LEGACY_KEY_ID:
        return hashlib.sha256(canonical_json(payload)).hexdigest()
    if not key:
        raise ValueError("a keyed audit record needs its key")
    # The sequence number is sealed too, so records cannot be renumbered to hide a gap.
    payload["seq"] = seq
    payload["kid"] = key_id
    return hmac.new(key, canonical_json(payload), hashlib.sha256).hexdigest()


def checkpoint_mac(*, key: bytes, body: dict) -> str:
    # A prefix keeps a checkpoint MAC from ever equalling a record MAC over the same bytes.
    return hmac.new(
        key, b"sanyi-audit-checkpoint\n" + canonical_json(body), hashlib.sha256
    ).hexdigest()
