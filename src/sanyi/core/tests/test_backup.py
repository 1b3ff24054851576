"""``sanyi backup``: a consistent SQLite copy that restores with an intact audit trail;
and two scheduler processes sharing one SQLite file (made with it)."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sanyi.orgs.tests import factories

SRC = Path(__file__).resolve().parents[3]


def _verify(database: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(SRC),
        "SANYI_ENV": "test",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "sanyi", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')")
@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_holds_the_data_and_passes_the_audit_check(tmp_path):
    # given data written through the services, each with its audit row
    district = factories.district(name="备份区")
    factories.unit(district, "subdistrict", name="备份街道")
    # when the live database is backed up and the backup restored (copied) elsewhere
    backup = tmp_path / "sanyi-backup.sqlite3"
    call_command("backup", output=str(backup))
    restored = tmp_path / "restored" / "sanyi.sqlite3"
    restored.parent.mkdir()
    shutil.copyfile(backup, restored)
    # then the restored copy holds the rows and its audit chain verifies
    with sqlite3.connect(restored) as db:
        names = {n for (n,) in db.execute("SELECT name FROM orgs_orgunit")}
        audit_rows = db.execute("SELECT count(*) FROM audit_auditevent").fetchone()[0]
    assert {"备份区", "备份街道"} <= names
    assert audit_rows >= 2
    result = _verify(restored)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
    # and a tampered copy does not (the check really reads the restored file)
    with sqlite3.connect(restored) as db:
        first = db.execute("SELECT min(seq) FROM audit_auditevent").fetchone()[0]
        db.execute("UPDATE audit_auditevent SET note = 'x' WHERE seq = ?", [first])
    assert _verify(restored).returncode != 0


@pytest.mark.django_db
def test_backup_never_overwrites_an_existing_file(tmp_path):
    existing = tmp_path / "old.sqlite3"
    existing.write_bytes(b"an older backup")
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", output=str(existing))
    assert existing.read_bytes() == b"an older backup"


@pytest.mark.django_db
def test_backup_on_postgresql_refuses_and_gives_the_pg_dump_procedure(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(CommandError, match="pg_dump") as exc:
        call_command("backup", output=str(tmp_path / "x.dump"))
    assert "WAL" in str(exc.value)
    assert not (tmp_path / "x.dump").exists()


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')")
@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_on_one_sqlite_file_run_each_slot_once(tmp_path):
    # given a real database file (a backup of the test database has the whole schema)
    database = tmp_path / "shared.sqlite3"
    call_command("backup", output=str(database))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(SRC),
        "SANYI_ENV": "test",
        "SANYI_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "sanyi", "scheduler", "run", "--once"]
    # when two scheduler processes tick at the same time
    procs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    # then both finish cleanly and every run either printed is one row, with no slot twice
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    printed = [line for out, _ in outputs for line in out.splitlines()[1:] if line.strip()]
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT job, slot, status FROM core_jobrun").fetchall()
    assert len(printed) == len(rows) > 0
    assert len({(job, slot) for job, slot, _ in rows}) == len(rows)
    assert {status for _, _, status in rows} == {"ok"}
