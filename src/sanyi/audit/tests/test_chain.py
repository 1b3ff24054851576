import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from sanyi.audit.models import AuditChainHead, AuditEvent
from sanyi.audit.selectors import audit_chain_verify, audit_history
from sanyi.audit.services import audit_record, diff
from sanyi.audit.tasks import audit_chain_verify_task
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db


def test_every_org_write_leaves_a_linked_audit_row():
    d = factories.district(name="链测试区")
    rows = list(audit_history(object_type="orgs.orgunit", object_id=d.pk))
    assert [r.action for r in rows] == ["org_unit.create"]
    assert rows[0].changes["name"] == [None, "链测试区"]
    assert audit_chain_verify().ok


def test_rows_link_to_the_previous_hash():
    a = audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=1)
    b = audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=2)
    assert b.prev_hash == a.hash


def test_tampered_content_is_found_and_named(capsys):
    first = audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=1)
    audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=2)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditevent SET object_repr = %s WHERE seq = %s", ["篡改", first.seq]
        )
    report = audit_chain_verify()
    assert not report.ok
    assert report.broken_seq == first.seq
    with pytest.raises(CommandError, match=f"#{first.seq}"):
        call_command("audit", "verify")


def test_a_deleted_row_is_named_as_missing():
    audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=1)
    middle = audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=2)
    audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=3)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq = %s", [middle.seq])
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq, report.code) == (False, middle.seq, "gap")


def test_rows_are_numbered_from_the_head_and_signed_with_the_current_key(settings):
    rows = [
        audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=n)
        for n in range(3)
    ]
    assert [r.seq for r in rows] == [1, 2, 3]
    assert {r.key_id for r in rows} == {settings.SANYI_AUDIT_KEY_ID}
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_seq, head.last_hash) == (3, rows[-1].hash)


def test_a_rolled_back_write_leaves_no_gap_in_the_numbers():
    audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=1)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=2)
        1 / 0  # noqa: B018
    again = audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=3)
    assert again.seq == 2
    assert audit_chain_verify().ok


def test_the_nightly_task_returns_the_whole_report():
    audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=1)
    result = audit_chain_verify_task.call()
    assert result["ok"] is True
    assert result["checked"] == result["head_seq"] == result["last_seq"] == 1
    assert {"broken_seq", "code", "reason", "reason_en", "keys"} <= set(result)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq = 1")
    result = audit_chain_verify_task.call()
    assert (result["ok"], result["broken_seq"], result["code"]) == (False, 1, "tail_missing")


def test_verify_command_prints_ok(capsys):
    audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=1)
    call_command("audit", "verify")
    assert capsys.readouterr().out.startswith("ok")


def test_rows_cannot_be_changed_through_the_orm():
    row = audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=1)
    with pytest.raises(RuntimeError):
        row.save()
    with pytest.raises(RuntimeError):
        row.delete()
    assert AuditEvent.objects.count() >= 1


def test_a_write_without_an_actor_is_refused():
    with pytest.raises(ValueError, match="actor"):
        audit_record(actor=None, action="x.test", object_type="t", object_id=1)


def test_diff_keeps_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}
