"""Seal the records written before the audit chain had a key.

Those records carry a plain SHA-256 that anyone can recompute. Appending one keyed record
after them ties their last hash to an HMAC only the key holder can make, so rewriting them
is detected from now on; verify also refuses a chain with no keyed record at all.

The keyed hash is written out here rather than imported: a migration must keep doing what
it did when it was written (this is version 1 of the keyed payload, see audit/hashing.py).
"""

import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations
from django.utils import timezone

ACTOR = "系统：审计链启用密钥"


def _keyed_hash(key_id, key, seq, prev_hash, f):
    payload = {
        "prev": prev_hash,
        "at": f["created_at"].astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": None,
        "actor": f["actor_label"],
        "action": f["action"],
        "type": f["object_type"],
        "id": f["object_id"],
        "repr": f["object_repr"],
        "changes": f["changes"],
        "ip": None,
        "note": f["note"],
        "seq": seq,
        "kid": key_id,
    }
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, data.encode("utf-8"), hashlib.sha256).hexdigest()


def seal_unkeyed_records(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None or head.last_seq == 0:
        return  # empty chain: its first record will be keyed
    last = AuditEvent.objects.filter(seq=head.last_seq).first()
    if last is not None and last.key_id:
        return  # already sealed
    key_id = settings.SANYI_AUDIT_KEY_ID
    key = settings.SANYI_AUDIT_KEYS[key_id].encode("utf-8")
    seq = head.last_seq + 1
    fields = {
        "created_at": timezone.now(),
        "actor_label": ACTOR,
        "action": "audit.chain_keyed",
        "object_type": "audit.chain",
        "object_id": str(head.last_seq),
        "object_repr": f"审计链 #1–#{head.last_seq}",
        "changes": {"sealed_seq": head.last_seq, "sealed_hash": head.last_hash},
        "note": "此前的记录没有密钥签名，由本条带密钥的记录封存",
    }
    digest = _keyed_hash(key_id, key, seq, head.last_hash, fields)
    AuditEvent.objects.create(
        seq=seq, prev_hash=head.last_hash, hash=digest, key_id=key_id, ip=None, **fields
    )
    head.last_seq, head.last_hash = seq, digest
    head.save(update_fields=["last_seq", "last_hash"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_auditevent_key_id")]
    # Going back leaves the sealing record: records are never deleted, and the older code
    # reads it as one more row (its hash then no longer checks, as for every keyed row).
    operations = [migrations.RunPython(seal_unkeyed_records, migrations.RunPython.noop)]
