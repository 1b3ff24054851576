import datetime as dt
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64


def to_json_value(value):
    """Make a value JSON-safe the same way on write and on verify."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def event_hash(
    *,
    prev_hash,
    created_at,
    actor_id,
    actor_label,
    action,
    object_type,
    object_id,
    object_repr,
    changes,
    ip,
    note,
) -> str:
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
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
