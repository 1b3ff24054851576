import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sanyi.audit.models import AuditEvent
from sanyi.audit.selectors import audit_chain_verify, audit_history
from sanyi.audit.services import audit_record, diff
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


def test_deleted_row_breaks_the_link():
    audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=1)
    middle = audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=2)
    last = audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=3)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE seq = %s", [middle.seq])
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, last.seq)


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
