"""Audit keys from the environment, and the migration that seals records from before keys."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from sanyi.audit.models import AuditChainHead, AuditEvent
from sanyi.audit.selectors import audit_chain_verify
from sanyi.audit.services import audit_record
from sanyi.settings.env import audit_keys

KEY = "k" * 40


@pytest.fixture
def env(monkeypatch):
    monkeypatch.delenv("SANYI_AUDIT_KEY", raising=False)
    monkeypatch.delenv("SANYI_AUDIT_OLD_KEYS", raising=False)
    return monkeypatch


def test_the_current_and_old_keys_are_read_from_the_environment(env, tmp_path):
    env.setenv("SANYI_AUDIT_KEY", f"2027:{KEY}")
    env.setenv("SANYI_AUDIT_OLD_KEYS", f"2026:{'o' * 40}, 2025:{'p' * 40}")
    assert audit_keys(tmp_path, production=True) == (
        "2027",
        {"2027": KEY, "2026": "o" * 40, "2025": "p" * 40},
    )


def test_production_refuses_to_start_without_an_audit_key(env, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SANYI_AUDIT_KEY must be set"):
        audit_keys(tmp_path, production=True)


def test_outside_production_a_key_is_generated_once_in_the_data_folder(env, tmp_path):
    first = audit_keys(tmp_path, production=False)
    assert first[0] == "local" and len(first[1]["local"]) >= 32
    assert (tmp_path / "audit_key").stat().st_mode & 0o777 == 0o600
    assert audit_keys(tmp_path, production=False) == first


@pytest.mark.parametrize(
    ("current", "old", "message"),
    [
        (KEY, "", "must be '<key id>:<key>'"),
        ("a b:" + KEY, "", "must be '<key id>:<key>'"),
        ("2027:short", "", "at least 32 characters"),
        (f"2027:{KEY}", f"2027:{KEY}", "configured twice"),
        (f"2027:{KEY}", "2026:short", "SANYI_AUDIT_OLD_KEYS"),
    ],
)
def test_bad_audit_keys_are_refused_with_the_variable_named(env, tmp_path, current, old, message):
    env.setenv("SANYI_AUDIT_KEY", current)
    env.setenv("SANYI_AUDIT_OLD_KEYS", old)
    with pytest.raises(ImproperlyConfigured, match=message):
        audit_keys(tmp_path, production=True)


seal_migration = importlib.import_module("sanyi.audit.migrations.0004_seal_unkeyed_records")


@pytest.mark.django_db
def test_the_upgrade_seals_unkeyed_records_with_a_keyed_one():
    from sanyi.audit.tests.test_tamper import insert_legacy

    legacy = insert_legacy(3)
    assert audit_chain_verify().code == "unsealed"
    seal_migration.seal_unkeyed_records(apps, None)
    seal = AuditEvent.objects.get(seq=legacy[-1].seq + 1)
    assert (seal.action, seal.key_id) == ("audit.chain_keyed", "local")
    assert seal.prev_hash == legacy[-1].hash
    assert AuditChainHead.objects.get(pk=1).last_seq == seal.seq
    report = audit_chain_verify()
    assert report.ok, report
    # run twice (or on a chain that is already keyed): nothing more is appended
    seal_migration.seal_unkeyed_records(apps, None)
    audit_record(actor="系统：测试", action="x.test", object_type="t", object_id=9)
    assert AuditEvent.objects.count() == 5
    assert audit_chain_verify().ok


@pytest.mark.django_db
def test_the_upgrade_leaves_an_empty_chain_alone():
    seal_migration.seal_unkeyed_records(apps, None)
    assert not AuditEvent.objects.exists()
