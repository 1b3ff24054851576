"""With CACHE_URL, rate limits and the sign-in cap are counted once for all processes.

Each process here is a fresh interpreter, like two gunicorn workers; the counts of the
second continue those of the first. Without CACHE_URL each process counts alone (which
docs/configuration.md and docs/deploy.md say plainly). Needs Redis at 127.0.0.1:6379.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid

import pytest

REDIS = ("127.0.0.1", 6379)
CACHE_URL = "redis://127.0.0.1:6379/14"

WORKER = """
import json, sys
import django
django.setup()
from django.test import RequestFactory
from sanyi.core.ratelimit import hit
from sanyi.core.login_throttle import login_attempt_allowed

ip, scope, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
results = []
for _ in range(n):
    request = RequestFactory().post("/login/", REMOTE_ADDR=ip)
    results.append(
        [login_attempt_allowed(request), hit(request, scope, limit=3, window_minutes=100000)]
    )
print(json.dumps(results))
"""


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def _worker(ip: str, scope: str, n: int, *, cache_url: str, tmp_path) -> list[list[bool]]:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "PYTHONPATH") if k in os.environ}
    env.update(
        SANYI_ENV="test",
        SANYI_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="sanyi.settings",
        SANYI_LOGIN_IP_LIMIT="3",
        SANYI_LOGIN_IP_WINDOW_MINUTES="100000",
        CACHE_URL=cache_url,
    )
    result = subprocess.run(
        [sys.executable, "-c", WORKER, ip, scope, str(n)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _fresh_client() -> tuple[str, str]:
    # A documentation address and scope no other run uses, so the shared Redis needs no
    # clearing.
    tag = uuid.uuid4().hex
    return f"2001:db8::{tag[:4]}:{tag[4:8]}", f"shared-{tag}"


@pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379")
def test_with_cache_url_every_process_counts_against_the_same_limit(tmp_path):
    ip, scope = _fresh_client()

    first = _worker(ip, scope, 2, cache_url=CACHE_URL, tmp_path=tmp_path)
    second = _worker(ip, scope, 2, cache_url=CACHE_URL, tmp_path=tmp_path)

    assert first == [[True, True], [True, True]]
    assert second == [[True, True], [False, False]]


def test_without_cache_url_each_process_counts_alone(tmp_path):
    ip, scope = _fresh_client()

    first = _worker(ip, scope, 2, cache_url="", tmp_path=tmp_path)
    second = _worker(ip, scope, 2, cache_url="", tmp_path=tmp_path)

    assert first == second == [[True, True], [True, True]]
