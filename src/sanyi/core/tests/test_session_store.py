"""SANYI_SESSION_STORE: sessions in the database, or read from Redis and kept in the database
too (several app nodes, docs/deploy.md "Past one machine"). Settings are read once per
process, so the settings themselves are checked in a fresh one, as an operator starts it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from sanyi.settings.env import session_engine

REDIS_URL = "redis://127.0.0.1:6379/14"


def test_sessions_are_kept_in_the_database_by_default():
    assert session_engine("db", "") == "django.contrib.sessions.backends.db"


def test_cached_db_reads_sessions_from_the_shared_cache():
    engine = session_engine("cached_db", REDIS_URL)

    assert engine == "django.contrib.sessions.backends.cached_db"


def test_cached_db_without_a_shared_cache_is_refused_and_says_what_is_missing():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        session_engine("cached_db", "")


@pytest.mark.parametrize("store", ["cache", "redis", ""])
def test_a_store_that_could_lose_sessions_or_is_unknown_is_refused(store):
    # "cache" would keep sessions only in Redis: losing Redis would sign everybody out.
    with pytest.raises(ImproperlyConfigured, match="SANYI_SESSION_STORE must be one of"):
        session_engine(store, REDIS_URL)


def _settings_in_fresh_process(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "PYTHONPATH") if k in os.environ}
    code = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={
            **base,
            "SANYI_ENV": "test",
            "SANYI_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "sanyi.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_setting_follows_the_environment(tmp_path):
    done = _settings_in_fresh_process(
        tmp_path, SANYI_SESSION_STORE="cached_db", CACHE_URL=REDIS_URL
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "django.contrib.sessions.backends.cached_db"


def test_the_app_does_not_start_with_cached_sessions_and_no_cache_url(tmp_path):
    done = _settings_in_fresh_process(tmp_path, SANYI_SESSION_STORE="cached_db", CACHE_URL="")

    assert done.returncode != 0
    assert "SANYI_SESSION_STORE=cached_db needs CACHE_URL" in done.stderr
