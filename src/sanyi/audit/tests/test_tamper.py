"""Each way of rewriting the audit chain is detected, and the first broken record named.

Rows are append-only in the ORM, so the tampering goes through queryset.update and raw
SQL, as someone with database access would do it.
"""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sanyi.audit.checkpoints import CheckpointError, checkpoint_document, checkpoint_parse
from sanyi.audit.hashing import GENESIS_HASH, event_hash
from sanyi.audit.models import AuditChainHead, AuditEvent
from sanyi.audit.selectors import audit_chain_verify
from sanyi.audit.services import audit_record

pytestmark = pytest.mark.django_db

WRONG_KEY = b"not-the-audit-key-but-long-enough-to-pass"


def append(count: int, start: int = 1) -> list[AuditEvent]:
    return [
        audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=n)
        for n in range(start, start + count)
    ]


def rehash(row: AuditEvent, *, prev_hash: str, key_id: str, key: bytes | None) -> str:
    return event_hash(
        seq=row.seq,
        key_id=key_id,
        key=key,
        prev_hash=prev_hash,
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


def recompute_from(seq: int, *, key_id: str, key: bytes | None, until: int | None = None) -> None:
    """What a forger does after editing record ``seq``: rehash it and every later record
    (up to ``until``) with the means at hand, and move the head along."""
    before = AuditEvent.objects.filter(seq__lt=seq).order_by("-seq").first()
    prev = before.hash if before else GENESIS_HASH
    rows = AuditEvent.objects.filter(seq__gte=seq).order_by("seq")
    if until is not None:
        rows = rows.filter(seq__lte=until)
    for row in rows:
        digest = rehash(row, prev_hash=prev, key_id=key_id, key=key)
        AuditEvent.objects.filter(seq=row.seq).update(prev_hash=prev, hash=digest, key_id=key_id)
        prev = digest
    last = AuditEvent.objects.order_by("-seq").first()
    AuditChainHead.objects.filter(pk=1).update(last_seq=last.seq, last_hash=last.hash)


def edit(seq: int, text: str = "篡改") -> None:
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET object_repr = %s WHERE seq = %s", [text, seq])


def delete(*seqs: int) -> None:
    with connection.cursor() as cur:
        for seq in seqs:
            cur.execute("DELETE FROM audit_auditevent WHERE seq = %s", [seq])


def roll_head_back_to(seq: int) -> None:
    row = AuditEvent.objects.get(seq=seq)
    AuditChainHead.objects.filter(pk=1).update(last_seq=row.seq, last_hash=row.hash)


def insert_legacy(count: int) -> list[AuditEvent]:
    """Rows as the code before keys wrote them: plain SHA-256, no key id."""
    rows = append(count)
    recompute_from(rows[0].seq, key_id="", key=None)
    return list(AuditEvent.objects.filter(seq__gte=rows[0].seq).order_by("seq"))


def checkpoint_file(tmp_path, name: str = "cp.json"):
    path = tmp_path / name
    path.write_text(json.dumps(checkpoint_document(report=audit_chain_verify())))
    return path


def assert_broken(code: str, seq: int) -> None:
    """verify fails with ``code`` at record ``seq``, and the command says so and exits 1."""
    report = audit_chain_verify()
    assert (report.ok, report.code, report.broken_seq) == (False, code, seq), report
    assert report.reason and report.reason_en
    with pytest.raises(CommandError, match=f"broken at record #{seq}:"):
        call_command("audit", "verify")


# --- edits and deletions -------------------------------------------------------------


def test_an_edit_in_the_middle_names_that_record():
    rows = append(5)
    edit(rows[2].seq)
    assert_broken("hash", rows[2].seq)


def test_a_deletion_in_the_middle_names_the_missing_record():
    rows = append(5)
    delete(rows[2].seq)
    report = audit_chain_verify()
    assert (report.code, report.broken_seq) == ("gap", rows[2].seq)
    assert report.reason_en == f"record {rows[2].seq} missing"
    assert_broken("gap", rows[2].seq)


def test_truncating_the_tail_names_the_missing_records():
    rows = append(8)
    delete(*(r.seq for r in rows[5:]))
    report = audit_chain_verify()
    assert (report.code, report.broken_seq) == ("tail_missing", rows[5].seq)
    assert report.reason_en.startswith(f"records {rows[5].seq}–{rows[7].seq} missing")
    with pytest.raises(CommandError, match=f"#{rows[5].seq}–#{rows[7].seq} 缺失"):
        call_command("audit", "verify")


def test_truncating_the_tail_and_the_head_is_caught_only_by_a_checkpoint(tmp_path):
    rows = append(8)
    cp = checkpoint_file(tmp_path)
    delete(*(r.seq for r in rows[5:]))
    roll_head_back_to(rows[4].seq)
    assert audit_chain_verify().ok  # nothing left in the database shows it
    report = audit_chain_verify(checkpoints=[checkpoint_parse(text=cp.read_text())])
    assert (report.ok, report.code, report.broken_seq) == (
        False,
        "checkpoint_missing",
        rows[5].seq,
    )
    with pytest.raises(CommandError, match=f"#{rows[5].seq}–#{rows[7].seq} 缺失"):
        call_command("audit", "verify", "--checkpoint", str(cp))


def test_a_head_rolled_back_behind_the_records_is_detected():
    rows = append(6)
    roll_head_back_to(rows[3].seq)
    assert_broken("beyond_head", rows[4].seq)


def test_a_head_with_another_hash_is_detected():
    rows = append(3)
    AuditChainHead.objects.filter(pk=1).update(last_hash="f" * 64)
    assert_broken("head_mismatch", rows[2].seq)


def test_swapping_the_numbers_of_two_records_is_detected():
    rows = append(4)
    a, b = rows[1].seq, rows[2].seq
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [-1, a])
        cur.execute("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [a, b])
        cur.execute("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [b, -1])
    assert_broken("link", a)


# --- recomputing the chain -----------------------------------------------------------


def test_recomputing_with_the_plain_hash_after_an_edit_is_detected():
    # Before keys, this forgery passed: the project's own hash function rebuilt the chain.
    rows = append(5)
    edit(rows[2].seq)
    recompute_from(rows[2].seq, key_id="", key=None)
    assert_broken("unkeyed_after_keyed", rows[2].seq)


def test_recomputing_the_whole_chain_without_a_key_is_detected():
    rows = append(5)
    edit(rows[0].seq)
    recompute_from(rows[0].seq, key_id="", key=None)
    assert_broken("unsealed", rows[4].seq)


def test_recomputing_under_the_same_key_id_with_a_wrong_key_is_detected():
    rows = append(5)
    edit(rows[2].seq)
    recompute_from(rows[2].seq, key_id="local", key=WRONG_KEY)
    assert_broken("hash", rows[2].seq)


def test_recomputing_under_an_invented_key_id_is_detected():
    rows = append(5)
    edit(rows[2].seq)
    recompute_from(rows[2].seq, key_id="forged", key=WRONG_KEY)
    assert_broken("unknown_key", rows[2].seq)


def test_a_chain_rewritten_with_the_key_is_caught_by_an_earlier_checkpoint(tmp_path, settings):
    rows = append(5)
    cp = checkpoint_file(tmp_path)
    edit(rows[1].seq)
    key = settings.SANYI_AUDIT_KEYS["local"].encode()
    recompute_from(rows[1].seq, key_id="local", key=key)
    assert audit_chain_verify().ok  # whoever holds the key can rebuild the chain
    with pytest.raises(CommandError, match=f"broken at record #{rows[4].seq}:.*检查点"):
        call_command("audit", "verify", "--checkpoint", str(cp))


# --- checkpoints ---------------------------------------------------------------------


def test_a_checkpoint_of_an_intact_chain_holds(tmp_path, capsys):
    append(3)
    cp = checkpoint_file(tmp_path)
    append(2, start=4)
    call_command("audit", "verify", "--checkpoint", str(cp))
    assert "checkpoint #3 holds" in capsys.readouterr().out


def test_the_checkpoint_command_writes_a_file_verify_accepts(tmp_path, capsys):
    append(3)
    out = tmp_path / "nightly.json"
    call_command("audit", "checkpoint", "--output", str(out))
    doc = json.loads(out.read_text())
    assert (doc["seq"], doc["key_id"]) == (3, "local")
    assert doc["hash"] == AuditEvent.objects.get(seq=3).hash
    call_command("audit", "verify", "--checkpoint", str(out))
    assert capsys.readouterr().out.startswith("ok (3 records")


def test_no_checkpoint_is_written_for_a_broken_chain(tmp_path):
    rows = append(3)
    edit(rows[1].seq)
    out = tmp_path / "cp.json"
    with pytest.raises(CommandError, match=f"#{rows[1].seq}"):
        call_command("audit", "checkpoint", "--output", str(out))
    assert not out.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("seq", 2), ("hash", "a" * 64), ("created_at", "2020-01-01T00:00:00+08:00")],
)
def test_a_tampered_checkpoint_file_is_refused(tmp_path, field, value):
    append(3)
    cp = checkpoint_file(tmp_path)
    doc = json.loads(cp.read_text())
    doc[field] = value
    cp.write_text(json.dumps(doc))
    with pytest.raises(CommandError, match="签名不符"):
        call_command("audit", "verify", "--checkpoint", str(cp))


def test_a_checkpoint_signed_with_an_unknown_key_is_refused(tmp_path, settings):
    append(2)
    cp = checkpoint_file(tmp_path)
    settings.SANYI_AUDIT_KEYS = {"local": "x" * 40}  # the key the file was signed with is gone
    with pytest.raises(CheckpointError, match="签名不符"):
        checkpoint_parse(text=cp.read_text())
    doc = json.loads(cp.read_text())
    doc["key_id"] = "elsewhere"
    with pytest.raises(CheckpointError, match="未配置"):
        checkpoint_parse(text=json.dumps(doc))


@pytest.mark.parametrize(
    ("text", "message"),
    [("not json", "JSON"), ("[]", "format"), ('{"format": "sanyi-audit-checkpoint/1"}', "缺少")],
)
def test_a_malformed_checkpoint_file_gets_a_clear_message(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("audit", "verify", "--checkpoint", str(path))


def test_a_missing_checkpoint_file_gets_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="读不了检查点文件"):
        call_command("audit", "verify", "--checkpoint", str(tmp_path / "none.json"))


# --- keys: rotation and records from before keys --------------------------------------


def test_records_under_an_old_and_a_new_key_verify_after_rotation(settings, capsys):
    append(3)
    settings.SANYI_AUDIT_KEYS = {**settings.SANYI_AUDIT_KEYS, "2027": "n" * 40}
    settings.SANYI_AUDIT_KEY_ID = "2027"
    append(2, start=4)
    report = audit_chain_verify()
    assert report.ok, report
    assert report.keys == {"local": 3, "2027": 2}
    call_command("audit", "verify")
    assert "2027: 2, local: 3" in capsys.readouterr().out


def test_records_of_a_retired_key_that_is_no_longer_configured_fail(settings):
    rows = append(2)
    settings.SANYI_AUDIT_KEYS = {"2027": "n" * 40}
    settings.SANYI_AUDIT_KEY_ID = "2027"
    append(1, start=3)
    assert_broken("unknown_key", rows[0].seq)


def test_unkeyed_records_before_keyed_ones_still_verify():
    legacy = insert_legacy(3)
    assert all(r.key_id == "" for r in legacy)
    append(2, start=4)
    report = audit_chain_verify()
    assert report.ok, report
    assert report.keys == {"": 3, "local": 2}


def test_an_edit_of_an_unkeyed_record_sealed_by_a_keyed_one_is_detected():
    legacy = insert_legacy(3)
    seal = append(1, start=4)[0]
    edit(legacy[1].seq)
    assert_broken("hash", legacy[1].seq)
    # recomputing the unkeyed records breaks the link of the keyed record sealing them …
    recompute_from(legacy[1].seq, key_id="", key=None, until=legacy[2].seq)
    assert_broken("link", seal.seq)
    # … and recomputing that one too leaves a chain with no keyed record
    recompute_from(legacy[1].seq, key_id="", key=None)
    assert_broken("unsealed", seal.seq)


def test_an_unkeyed_record_appended_after_keyed_ones_is_detected():
    append(3)
    forged = append(1, start=4)[0]
    recompute_from(forged.seq, key_id="", key=None)
    assert_broken("unkeyed_after_keyed", forged.seq)


def test_gaps_between_unkeyed_records_with_intact_links_are_not_deletions():
    # PostgreSQL sequences skipped numbers on rollback before records were numbered from
    # the head; among unkeyed records only a broken link proves a deletion.
    legacy = insert_legacy(3)
    with connection.cursor() as cur:
        for row in reversed(legacy[1:]):
            cur.execute("UPDATE audit_auditevent SET seq = seq + 1 WHERE seq = %s", [row.seq])
    roll_head_back_to(legacy[2].seq + 1)
    append(1, start=4)
    report = audit_chain_verify()
    assert report.ok, report
    delete(legacy[1].seq + 1)
    assert_broken("gap", legacy[1].seq)


def test_a_deleted_checkpoint_record_in_the_middle_is_named(tmp_path):
    append(3)
    cp = checkpoint_parse(text=checkpoint_file(tmp_path).read_text())
    append(2, start=4)
    delete(3)
    report = audit_chain_verify(checkpoints=[cp])
    assert (report.ok, report.code, report.broken_seq) == (False, "checkpoint_missing", 3)
    assert "checkpoint record 3" in report.reason_en
