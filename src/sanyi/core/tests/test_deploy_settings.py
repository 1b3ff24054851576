"""Production settings, checked the way an operator starts the app: in a fresh process with
the environment docs/deploy.md documents."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY_DOC = Path(__file__).resolve().parents[4] / "docs" / "deploy.md"
CHECK_ID = re.compile(r"^\?: \(([\w.]+)\)", re.MULTILINE)


def documented_production_env() -> dict[str, str]:
    """The variables in docs/deploy.md's production block, placeholders filled in."""
    text = DEPLOY_DOC.read_text(encoding="utf-8")
    block = text.split("<!-- production-env -->", 1)[1].split("<!-- /production-env -->", 1)[0]
    env = {}
    for line in block.splitlines():
        name, sep, value = line.partition("=")
        if sep and re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            env[name] = value
    assert env, "docs/deploy.md has no production environment block"
    return env


def _run(args: list[str], env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    # Only what a service manager would pass: none of the test run's own settings
    # (SANYI_ENV=test, DJANGO_ALLOW_ASYNC_UNSAFE …) may leak into the production process.
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "PYTHONPATH") if k in os.environ}
    env = {
        **base,
        **env,
        "SANYI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "sanyi.settings",
    }
    if env.get("SECRET_KEY", "").startswith("<"):
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
    if env.get("SANYI_AUDIT_KEY", "").startswith("<"):
        env["SANYI_AUDIT_KEY"] = f"test:{secrets.token_urlsafe(48)}"
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120
    )


def _deploy_check_ids(env, tmp_path) -> set[str]:
    result = _run(["-m", "sanyi", "check", "--deploy"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    return set(CHECK_ID.findall(result.stdout + result.stderr))


def test_the_documented_production_environment_warns_only_about_the_console_sms(tmp_path):
    env = documented_production_env()

    assert _deploy_check_ids(env, tmp_path) == {"sanyi.notify.W001"}


def test_production_refuses_debug_at_start(tmp_path):
    env = {**documented_production_env(), "DEBUG": "true"}

    result = _run(["-m", "sanyi", "check"], env, tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG=true is not allowed with SANYI_ENV=production" in (
        result.stderr
    )


def _settings(names: list[str], env, tmp_path) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(*[getattr(settings, n) for n in {names!r}], sep='|')"
    )
    result = _run(["-c", code], env, tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("|")


def test_production_sends_hsts_for_a_year_with_subdomains(tmp_path):
    names = ["SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"]

    assert _settings(names, documented_production_env(), tmp_path) == [
        "31536000",
        "True",
        "False",
    ]


def test_a_production_worker_loads_the_word_segmenter_before_its_first_request(tmp_path):
    # What gunicorn does in each worker: import the WSGI module. No database here: the
    # search warm-up's own lookups fail, are logged, and the worker starts anyway.
    code = "import sanyi.wsgi; from sanyi.search import text; print(text._tokenizer is not None)"

    result = _run(["-c", code], documented_production_env(), tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_tests_and_development_load_the_segmenter_only_when_first_used(tmp_path):
    env = {**documented_production_env(), "SANYI_ENV": "development"}

    assert _settings(["SANYI_WARM_UP"], env, tmp_path) == ["False"]


def test_hsts_can_be_turned_off_and_the_deploy_check_then_says_so(tmp_path):
    env = {**documented_production_env(), "SECURE_HSTS_SECONDS": "0"}

    assert _settings(["SECURE_HSTS_SECONDS"], env, tmp_path) == ["0"]
    assert _deploy_check_ids(env, tmp_path) == {"sanyi.notify.W001", "security.W004"}


@pytest.mark.parametrize("value", ["127.0.0.1,nginx", "10.0.0.0/33"])
def test_an_unreadable_trusted_proxy_list_stops_the_start(tmp_path, value):
    env = {**documented_production_env(), "SANYI_TRUSTED_PROXIES": value}

    result = _run(["-m", "sanyi", "check"], env, tmp_path)

    assert result.returncode != 0
    assert "SANYI_TRUSTED_PROXIES must be comma-separated IP addresses or networks" in (
        result.stderr
    )
