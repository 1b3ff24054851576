"""Reading the audit trail, and checking that nobody rewrote it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import QuerySet

from sanyi.audit.hashing import GENESIS_HASH, LEGACY_KEY_ID, event_hash
from sanyi.audit.keys import verifying_key
from sanyi.audit.models import AuditChainHead, AuditEvent


def audit_history(*, object_type: str, object_id: str | int) -> QuerySet[AuditEvent]:
    """Every audit row of one object, oldest first. Callers check the viewer may see it."""
    return (
        AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id))
        .select_related("actor")
        .order_by("seq")
    )


@dataclass(frozen=True)
class Checkpoint:
    """A record number and hash an operator kept off the machine (see checkpoints.py)."""

    seq: int
    hash: str
    key_id: str = ""
    created_at: str = ""


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    code: str = ""  # stable name of the failure, for alerts and tests
    reason: str = ""  # Chinese
    reason_en: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    last_seq: int = 0  # newest record read
    keys: dict[str, int] = field(default_factory=dict)  # records per key id ("" = legacy)
    checkpoints: int = 0  # checkpoints confirmed

    def as_dict(self) -> dict:
        return asdict(self)


class _Broken(Exception):
    def __init__(self, seq: int, code: str, reason: str, reason_en: str) -> None:
        self.seq, self.code, self.reason, self.reason_en = seq, code, reason, reason_en


def _span(first: int, last: int) -> tuple[str, str]:
    if first == last:
        return f"记录 #{first} 缺失", f"record {first} missing"
    return f"记录 #{first}–#{last} 缺失", f"records {first}–{last} missing"


_FIELDS = (
    "seq",
    "key_id",
    "prev_hash",
    "hash",
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "ip",
    "note",
)


def audit_chain_verify(
    *, checkpoints: list[Checkpoint] | tuple[Checkpoint, ...] = (), batch_size: int = 5000
) -> ChainReport:
    """Recompute the chain in order and compare its end with the chain head.

    Fails on the first record whose hash, link, number or key does not hold, on records
    missing at the end (fewer than the head says) or beyond the head, on a chain of only
    unkeyed records, and on any ``checkpoints`` record that is missing or differs. Reads in
    batches of ``batch_size`` rows, so memory stays flat however long the chain is.
    """
    # The head is read first: a record appended while we read is then beyond it, and a
    # second read of the head at the end tells that apart from a head rolled back.
    start = AuditChainHead.objects.filter(pk=1).values_list("last_seq", "last_hash").first()
    head_seq, head_hash = start or (0, GENESIS_HASH)
    wanted = {cp.seq: cp for cp in checkpoints}
    keys: Counter[str] = Counter()
    key_cache: dict[str, bytes | None] = {}
    prev_seq, prev_hash, keyed_seen, checked = 0, GENESIS_HASH, False, 0
    hash_at_head = GENESIS_HASH if head_seq == 0 else None

    def report(broken: _Broken | None) -> ChainReport:
        return ChainReport(
            ok=broken is None,
            checked=checked,
            broken_seq=broken.seq if broken else None,
            code=broken.code if broken else "",
            reason=broken.reason if broken else "",
            reason_en=broken.reason_en if broken else "",
            head_seq=head_seq,
            head_hash=head_hash,
            last_seq=prev_seq,
            keys=dict(keys),
            checkpoints=len(wanted) if broken is None else 0,
        )

    try:
        while True:
            rows = list(
                AuditEvent.objects.filter(seq__gt=prev_seq)
                .order_by("seq")
                .values_list(*_FIELDS)[:batch_size]
            )
            if not rows:
                break
            for row in rows:
                _check_row(row, prev_seq, prev_hash, keyed_seen, key_cache, wanted)
                seq, key_id, _, digest = row[:4]
                keyed_seen = keyed_seen or key_id != LEGACY_KEY_ID
                keys[key_id] += 1
                if seq == head_seq:
                    hash_at_head = digest
                prev_seq, prev_hash = seq, digest
                checked += 1
        _check_end(prev_seq, keyed_seen, head_seq, head_hash, hash_at_head, wanted)
    except _Broken as broken:
        return report(broken)
    return report(None)


def _check_row(
    row: Sequence[Any],
    prev_seq: int,
    prev_hash: str,
    keyed_seen: bool,
    key_cache: dict[str, bytes | None],
    wanted: Mapping[int, Any],
) -> None:
    """Raise ``_Broken`` for the first thing wrong with one record, read in chain order."""
    (seq, key_id, stored_prev, digest, created_at, actor_id, actor_label, action) = row[:8]
    (object_type, object_id, object_repr, changes, ip, note) = row[8:]
    _check_link(seq, key_id, stored_prev, prev_seq, prev_hash, wanted)
    key = _row_key(seq, key_id, keyed_seen, key_cache)
    expected = event_hash(
        seq=seq,
        key_id=key_id,
        key=key,
        prev_hash=stored_prev,
        created_at=created_at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=changes,
        ip=ip,
        note=note,
    )
    if expected != digest:
        if key is None:
            raise _Broken(
                seq, "hash", "记录内容与其哈希不符", "record content does not match its hash"
            )
        raise _Broken(
            seq,
            "hash",
            f"记录内容与其签名不符（内容被改，或不是用密钥“{key_id}”重算的）",
            f"record content does not match its HMAC (changed, or recomputed without key "
            f"{key_id!r})",
        )
    cp = wanted.get(seq)
    if cp is not None and cp.hash != digest:
        raise _Broken(
            seq,
            "checkpoint_mismatch",
            f"记录 #{seq} 与检查点（{cp.created_at}）记下的哈希不同：此前的链被改写过",
            f"record {seq} differs from the checkpoint taken {cp.created_at}: the chain up "
            f"to it was rewritten",
        )


def _check_link(
    seq: int,
    key_id: str,
    stored_prev: str,
    prev_seq: int,
    prev_hash: str,
    wanted: Mapping[int, Any],
) -> None:
    """The record follows the previous one: no checkpoint, keyed record or link missing."""
    # Checkpoints between the previous record and this one were deleted.
    gone = [s for s in wanted if prev_seq < s < seq] if seq > prev_seq + 1 else ()
    if gone:
        text, text_en = _span(prev_seq + 1, seq - 1)
        raise _Broken(
            prev_seq + 1,
            "checkpoint_missing",
            f"{text}（检查点记录 #{min(gone)} 已不在链中）",
            f"{text_en} (checkpoint record {min(gone)} is no longer in the chain)",
        )
    if key_id != LEGACY_KEY_ID and seq != prev_seq + 1:
        # Keyed records are numbered without gaps (from the head), so a gap is a deletion.
        text, text_en = _span(prev_seq + 1, seq - 1)
        raise _Broken(prev_seq + 1, "gap", text, text_en)
    if stored_prev != prev_hash:
        if seq != prev_seq + 1:
            text, text_en = _span(prev_seq + 1, seq - 1)
            raise _Broken(
                prev_seq + 1,
                "gap",
                f"{text}（记录 #{seq} 与上一条记录的链接断开）",
                f"{text_en} (record {seq} no longer links to the one before it)",
            )
        raise _Broken(
            seq, "link", "与上一条记录的链接断开", "link to the previous record is broken"
        )


def _row_key(
    seq: int, key_id: str, keyed_seen: bool, key_cache: dict[str, bytes | None]
) -> bytes | None:
    """The key the record was signed with (None for a legacy, unkeyed record)."""
    if key_id == LEGACY_KEY_ID:
        if keyed_seen:
            raise _Broken(
                seq,
                "unkeyed_after_keyed",
                "带密钥的记录之后出现了无密钥的记录（链可能被无密钥地重算）",
                "unkeyed record after keyed records (the chain may have been recomputed "
                "without the key)",
            )
        return None
    if key_id not in key_cache:
        key_cache[key_id] = verifying_key(key_id)
    key = key_cache[key_id]
    if key is None:
        raise _Broken(
            seq,
            "unknown_key",
            f"记录的密钥编号“{key_id}”未配置（SANYI_AUDIT_KEY / SANYI_AUDIT_OLD_KEYS）",
            f"key id {key_id!r} is not configured (SANYI_AUDIT_KEY / SANYI_AUDIT_OLD_KEYS)",
        )
    return key


def _check_end(
    last_seq: int,
    keyed_seen: bool,
    head_seq: int,
    head_hash: str,
    hash_at_head: str | None,
    wanted: Mapping[int, Any],
) -> None:
    beyond = sorted(s for s in wanted if s > last_seq)
    if beyond:
        text, text_en = _span(last_seq + 1, max(beyond[-1], head_seq))
        raise _Broken(
            last_seq + 1,
            "checkpoint_missing",
            f"{text}（检查点记录 #{beyond[0]} 已不在链中，链止于 #{last_seq}）",
            f"{text_en} (checkpoint record {beyond[0]} is no longer in the chain, which ends "
            f"at {last_seq})",
        )
    if last_seq < head_seq:
        text, text_en = _span(last_seq + 1, head_seq)
        raise _Broken(
            last_seq + 1,
            "tail_missing",
            f"{text}（链头记到 #{head_seq}，链止于 #{last_seq}）",
            f"{text_en} (the head is at {head_seq}, the chain ends at {last_seq})",
        )
    if hash_at_head != head_hash:
        raise _Broken(
            head_seq,
            "head_mismatch",
            f"链头记下的记录 #{head_seq} 不在链中，或哈希不同",
            f"record {head_seq} named by the chain head is not in the chain or has another hash",
        )
    if last_seq > head_seq:
        now = AuditChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
        if now < last_seq:
            raise _Broken(
                now + 1,
                "beyond_head",
                f"记录 #{now + 1}–#{last_seq} 在链头 #{now} 之后（链头被回退过）",
                f"records {now + 1}–{last_seq} lie beyond the chain head at {now} "
                f"(the head was rolled back)",
            )
    if last_seq and not keyed_seen:
        # Legacy rows are only trusted as a prefix sealed by a keyed record (migration
        # 0004 appends one on upgrade); a chain of only unkeyed rows was rebuilt without it.
        raise _Broken(
            last_seq,
            "unsealed",
            "链中没有带密钥的记录：整条链可能被无密钥地重算",
            "no keyed record in the chain: it may have been recomputed without the key",
        )
