"""Signed checkpoints: the chain's head written to a file operators keep off the machine.

Someone who can write to the database can delete the newest records and roll the chain
head back with them; nothing left in the database then shows it. A checkpoint taken
earlier still names a record number and its hash, and ``sanyi audit verify --checkpoint``
proves the chain still holds that prefix. The file is HMAC-signed with the audit key, so
an edited checkpoint is refused rather than trusted.
"""

from __future__ import annotations

import hmac
import json

from django.utils import timezone

from sanyi.audit.hashing import checkpoint_mac
from sanyi.audit.keys import signing_key, verifying_key
from sanyi.audit.selectors import ChainReport, Checkpoint

FORMAT = "sanyi-audit-checkpoint/1"


class CheckpointError(ValueError):
    """A checkpoint file that cannot be trusted; the message says why, in Chinese."""


def checkpoint_document(*, report: ChainReport) -> dict:
    """A signed checkpoint of the head a successful verify just confirmed."""
    if not report.ok:
        raise CheckpointError(f"审计链在记录 #{report.broken_seq} 处断开，不能写检查点")
    key_id, key = signing_key()
    body = {
        "format": FORMAT,
        "seq": report.head_seq,
        "hash": report.head_hash,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "key_id": key_id,
    }
    return {**body, "mac": checkpoint_mac(key=key, body=body)}


def checkpoint_parse(*, text: str, source: str = "检查点文件") -> Checkpoint:
    """Read and check a checkpoint file's signature; raise CheckpointError if it fails."""
    try:
        doc = json.loads(text)
    except ValueError:
        raise CheckpointError(f"{source}不是有效的 JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise CheckpointError(f"{source}不是审计链检查点（format 应为 {FORMAT}）")
    missing = [name for name in ("seq", "hash", "created_at", "key_id", "mac") if name not in doc]
    if missing:
        raise CheckpointError(f"{source}缺少字段：{'、'.join(missing)}")
    seq, digest, key_id, mac = doc["seq"], doc["hash"], doc["key_id"], doc["mac"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise CheckpointError(f"{source}的 seq 应为非负整数")
    if not all(isinstance(v, str) for v in (digest, key_id, mac, doc["created_at"])):
        raise CheckpointError(f"{source}的 hash、created_at、key_id、mac 应为文字")
    key = verifying_key(key_id)
    if key is None:
        raise CheckpointError(
            f"{source}由密钥“{key_id}”签名，本机未配置该密钥（SANYI_AUDIT_KEY / "
            "SANYI_AUDIT_OLD_KEYS）"
        )
    body = {name: doc[name] for name in ("format", "seq", "hash", "created_at", "key_id")}
    if not hmac.compare_digest(checkpoint_mac(key=key, body=body), mac):
        raise CheckpointError(f"{source}的签名不符：文件被改过，或不是本系统签发的")
    return Checkpoint(seq=seq, hash=digest, key_id=key_id, created_at=doc["created_at"])
