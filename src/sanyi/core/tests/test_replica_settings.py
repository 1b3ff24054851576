"""The replica and pooling settings, read the way the app starts: in a fresh process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]
PRIMARY = "postgres://sanyi@db1.example:5432/sanyi"
REPLICA_A = "postgres://sanyi@db2.example:5432/sanyi"
REPLICA_B = "postgres://sanyi@db3.example:5432/sanyi"
SHOW = (
    "import json; from django.conf import settings as s;"
    "print(json.dumps({'replicas': s.SANYI_READ_REPLICAS, 'databases': s.DATABASES}))"
)


def _settings(tmp_path, **env: str) -> subprocess.CompletedProcess:
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "SANYI_REPLICA"))
    }
    environ.update(
        PYTHONPATH=str(SRC),
        SANYI_ENV="test",
        SANYI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="sanyi.settings",
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", SHOW], env=environ, capture_output=True, text=True, timeout=60
    )


def _loaded(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_each_replica_url_becomes_an_alias_that_mirrors_default_in_tests(tmp_path):
    loaded = _loaded(
        _settings(
            tmp_path,
            DATABASE_URL=PRIMARY,
            DATABASE_REPLICA_URLS=f"{REPLICA_A}, {REPLICA_B}",
            DATABASE_CONN_MAX_AGE="30",
        )
    )

    dbs = loaded["databases"]
    assert loaded["replicas"] == ["replica_1", "replica_2"]
    assert [dbs["replica_1"]["HOST"], dbs["replica_2"]["HOST"]] == ["db2.example", "db3.example"]
    assert dbs["replica_1"]["TEST"] == {"MIRROR": "default"}
    assert {dbs[a]["CONN_MAX_AGE"] for a in ("default", "replica_1", "replica_2")} == {30}


def test_the_older_single_replica_variable_still_works(tmp_path):
    loaded = _loaded(
        _settings(tmp_path, DATABASE_URL=PRIMARY, SANYI_REPLICA_DATABASE_URL=REPLICA_A)
    )

    assert loaded["replicas"] == ["replica_1"]
    assert loaded["databases"]["replica_1"]["HOST"] == "db2.example"


def test_without_replicas_there_is_only_the_primary(tmp_path):
    loaded = _loaded(_settings(tmp_path, DATABASE_URL=PRIMARY))

    assert loaded["replicas"] == []
    assert list(loaded["databases"]) == ["default"]


def test_both_replica_variables_at_once_stop_the_start(tmp_path):
    result = _settings(
        tmp_path,
        DATABASE_URL=PRIMARY,
        DATABASE_REPLICA_URLS=REPLICA_A,
        SANYI_REPLICA_DATABASE_URL=REPLICA_B,
    )

    assert result.returncode != 0
    assert "Set DATABASE_REPLICA_URLS only" in result.stderr


def test_a_replica_that_is_not_postgresql_stops_the_start(tmp_path):
    result = _settings(
        tmp_path,
        DATABASE_URL=PRIMARY,
        DATABASE_REPLICA_URLS=f"sqlite:///{tmp_path / 'copy.sqlite3'}",
    )

    assert result.returncode != 0
    assert "PostgreSQL streaming replicas" in result.stderr


def test_transaction_pooling_turns_off_server_side_cursors_everywhere(tmp_path):
    loaded = _loaded(
        _settings(
            tmp_path,
            DATABASE_URL=PRIMARY,
            DATABASE_REPLICA_URLS=REPLICA_A,
            DATABASE_DISABLE_SERVER_SIDE_CURSORS="true",
            DATABASE_CONN_HEALTH_CHECKS="true",
        )
    )

    for alias in ("default", "replica_1"):
        db = loaded["databases"][alias]
        assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert db["CONN_HEALTH_CHECKS"] is True
