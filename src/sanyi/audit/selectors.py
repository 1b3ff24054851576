"""Reading the audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from sanyi.audit.hashing import GENESIS_HASH, event_hash
from sanyi.audit.models import AuditEvent


def audit_history(*, object_type: str, object_id: str | int) -> QuerySet[AuditEvent]:
    """Every audit row of one object, oldest first. Callers check the viewer may see it."""
    return (
        AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id))
        .select_related("actor")
        .order_by("seq")
    )


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def audit_chain_verify(*, batch_size: int = 5000) -> ChainReport:
    """Recompute every hash in order; report the first row that does not match."""
    prev = GENESIS_HASH
    checked = 0
    last_seq = 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
        if not rows:
            break
        for row in rows:
            if row.prev_hash != prev:
                return ChainReport(False, checked, row.seq, "与上一条记录的链接断开")
            expected = event_hash(
                prev_hash=row.prev_hash,
                created_at=row.created_at,
                actor_id=row.actor_id,
                actor_label=row.actor_label,
                action=row.action,
                object_type=row.object_type,
                object_id=row.object_id,
                object_repr=row.object_repr,
                changes=row.changes,
                ip=row.ip,
                note=row.note,
            )
            if expected != row.hash:
                return ChainReport(False, checked, row.seq, "记录内容与其哈希不符")
            prev = row.hash
            checked += 1
            last_seq = row.seq
    return ChainReport(True, checked)
