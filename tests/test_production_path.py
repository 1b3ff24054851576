"""The production path, exercised end to end in separate processes: migrate, collectstatic,
gunicorn serving pages and whitenoise static files, and the django-tasks database worker
running a queued task. On the PostgreSQL run the processes use a fresh PostgreSQL database."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

BIN = Path(sys.executable).parent


@pytest.fixture
def prod_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        SANYI_ENV="production",
        SECRET_KEY=uuid.uuid4().hex * 2,
        SANYI_AUDIT_KEY=f"test:{uuid.uuid4().hex * 2}",
        ALLOWED_HOSTS="127.0.0.1",
        SANYI_DATA_DIR=str(tmp_path),
        SANYI_TASKS_BACKEND="database",
        DJANGO_SETTINGS_MODULE="sanyi.settings",
    )
    env.pop("DATABASE_TEST_NAME", None)
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.settings_dict
        name = f"sanyi_prod_{uuid.uuid4().hex[:10]}"
        admin = f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = admin.rsplit("/", 1)[0] + f"/{name}"
        yield env
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
        yield env


def run(env, *args, timeout=300):
    result = subprocess.run(
        [str(BIN / "sanyi"), *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_pages_and_whitenoise_serves_static_files(prod_env):
    run(prod_env, "migrate", "--no-input", "-v", "0")
    run(prod_env, "collectstatic", "--no-input", "-v", "0")
    manifest = json.loads(
        (Path(prod_env["SANYI_DATA_DIR"]) / "static" / "staticfiles.json").read_text()
    )
    hashed_css = next(v for k, v in manifest["paths"].items() if k.endswith(".css"))
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "sanyi.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        env=prod_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                home = urllib.request.urlopen(base + "/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer: " + server.stderr.read1().decode()[-2000:])
        assert home.status == 200
        assert "Content-Security-Policy" in home.headers
        css = urllib.request.urlopen(f"{base}/static/{hashed_css}", timeout=5)
        assert css.status == 200
        assert "max-age=315360000" in css.headers["Cache-Control"]  # whitenoise, immutable
        # The phone workbench's service worker names the hashed files, and every file it
        # precaches is served: one missing file and the worker never installs.
        sw = urllib.request.urlopen(f"{base}/workbench/sw.js", timeout=5)
        assert sw.headers["Content-Type"].startswith("text/javascript")
        text = sw.read().decode()
        config = json.loads(
            text[text.index("var CONFIG = ") + 13 : text.index(";\n", text.index("var CONFIG = "))]
        )
        assert config["shell"] and any(url.startswith("/static/") for url in config["shell"])
        for url in config["shell"]:
            if url.startswith("/static/"):
                assert url.removeprefix("/static/") in manifest["paths"].values(), url
            assert urllib.request.urlopen(base + url, timeout=5).status == 200, url
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_database_worker_runs_queued_tasks(prod_env):
    run(prod_env, "migrate", "--no-input", "-v", "0")
    enqueue = "from sanyi.audit.tasks import audit_chain_verify_task as t; print(t.enqueue().id)"
    task_id = run(prod_env, "shell", "-c", enqueue).strip().splitlines()[-1]
    run(prod_env, "db_worker", "--batch", "--no-startup-delay")
    check = (
        "from django_tasks_db.models import DBTaskResult as R; "
        f"r = R.objects.get(id='{task_id}'); print(r.status, r.return_value)"
    )
    out = run(prod_env, "shell", "-c", check).strip().splitlines()[-1]
    assert out.startswith("SUCCESSFUL"), out
    assert "'ok': True" in out


def test_gunicorn_is_installed_with_the_project():
    assert shutil.which("gunicorn", path=str(BIN))
