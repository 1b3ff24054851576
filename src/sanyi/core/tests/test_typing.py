"""The type check in CI (scripts/test.sh, ``mypy``) rejects an untyped or mistyped actor.

The full run over the configured modules takes too long for the test suite; here mypy runs
with the project's strictness flags (read from pyproject.toml) on small snippets, so a
change that loosens the configuration fails this test.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parents[4]
STRICT = (
    "disallow_untyped_defs",
    "disallow_incomplete_defs",
    "check_untyped_defs",
    "no_implicit_optional",
    "warn_unused_ignores",
)


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def _check(tmp_path: Path, source: str) -> tuple[str, int]:
    """Run mypy on ``source`` with the strictness flags the project config sets."""
    config = _config()
    snippet = tmp_path / "snippet.py"
    snippet.write_text(source, encoding="utf-8")
    flags = [f"--{name.replace('_', '-')}" for name in STRICT if config.get(name)]
    # A bare config (no Django plugin) keeps this to a few seconds; the snippets need none.
    bare = tmp_path / "mypy.ini"
    bare.write_text(f"[mypy]\nmypy_path = {ROOT / 'src'}\n", encoding="utf-8")
    out, err, status = mypy_api.run(
        [
            "--config-file",
            str(bare),
            *flags,
            "--cache-dir",
            # One cache for the module: the stubs are analysed once, not per test.
            str(tmp_path.parent / "mypy-cache"),
            "--python-version",
            "3.11",
            "--no-error-summary",
            "--follow-imports",
            "silent",
            str(snippet),
        ]
    )
    return out + err, status


def test_config_checks_services_and_selectors_strictly() -> None:
    config = _config()
    for name in STRICT:
        assert config.get(name) is True, name
    files = " ".join(config["files"])
    for part in ("src/sanyi/core", "src/sanyi/orgs", "src/sanyi/cases/se", "src/sanyi/audit"):
        assert part in files
    assert "mypy_django_plugin.main" in config["plugins"]


def test_a_service_without_an_actor_type_fails(tmp_path: Path) -> None:
    out, status = _check(
        tmp_path,
        "def thing_close(*, actor, note: str) -> None:\n    pass\n",
    )
    assert status == 1
    assert "no-untyped-def" in out


def test_a_number_as_actor_fails(tmp_path: Path) -> None:
    out, status = _check(
        tmp_path,
        "from sanyi.core.actors import Actor\n\n"
        "def thing_close(*, actor: Actor, note: str) -> None:\n    pass\n\n"
        "thing_close(actor=123, note='')\n",
    )
    assert status == 1
    assert "arg-type" in out and '"actor"' in out


def test_a_typed_service_passes(tmp_path: Path) -> None:
    out, status = _check(
        tmp_path,
        "from sanyi.core.actors import SCHEDULER, Actor\n\n"
        "def thing_close(*, actor: Actor, note: str) -> None:\n    pass\n\n"
        "thing_close(actor=SCHEDULER, note='')\nthing_close(actor='系统：导入', note='')\n",
    )
    assert status == 0, out


def test_no_checked_module_may_skip_annotations() -> None:
    """No override may switch off the annotation rule or ignore a module's errors (the
    type-debt list is gone; docs/typing.md): in every checked module an untyped actor must
    fail."""
    for override in _config().get("overrides", []):
        assert "no-untyped-def" not in override.get("disable_error_code", []), override
        assert not override.get("ignore_errors"), override
        for name in STRICT:
            assert override.get(name, True) is True, (name, override)
