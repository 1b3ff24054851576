"""The authorisation matrix: every endpoint x method x role x scope, in one pass.

Run ``pytest tests/authz -q -s -p no:logging`` to see the totals ("Authorisation matrix:
N cells, 0 violations") and, on failure, every failing cell.
"""

from __future__ import annotations

import re

import pytest
import yaml
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from sanyi.api.schema import __file__ as _schema_module
from tests.authz.engine import Result, run_matrix
from tests.authz.table import API, HISTORY, WB
from tests.authz.world import build_world

SCHEMA = re.sub(r"schema\.py$", "openapi.yaml", _schema_module)


def _names(patterns, namespace: str) -> set[str]:
    """Every URL name below a namespace, with its full namespace path."""
    out: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if p.namespace else namespace
            out |= _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            out.add(f"{namespace}:{p.name}")
    return out


def _namespace_names(namespace: str) -> set[str]:
    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver) and p.namespace == namespace:
            return _names(p.url_patterns, namespace)
    raise AssertionError(f"no URL namespace {namespace}")


def test_every_api_url_has_an_expectation():
    missing = _namespace_names("api") - {s.name for s in API}
    assert not missing, f"API endpoints without a row in tests/authz/table.py: {sorted(missing)}"


def test_every_workbench_page_has_an_expectation():
    missing = _namespace_names("workbench") - {s.name for s in WB}
    assert not missing, f"workbench pages without a row in tests/authz/table.py: {sorted(missing)}"


def test_every_history_type_has_an_expectation():
    from sanyi.workbench.history import registered_types

    missing = set(registered_types()) - set(HISTORY)
    assert not missing, f"history types without a row in tests/authz/table.py: {sorted(missing)}"


def test_every_operation_of_the_schema_has_an_expectation():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    rows = {(s.name, s.method) for s in API}
    missing = []
    for path, ops in schema["paths"].items():
        sample = re.sub(r"\{implementation_code\}", "X1", path)
        name = "api:" + resolve(re.sub(r"\{[a-z_]+\}", "1", sample)).url_name
        for method in ops:
            known = method in ("get", "post", "put", "patch", "delete")
            if known and (name, method.upper()) not in rows:
                missing.append(f"{method.upper()} {path} ({name})")
    assert not missing, f"operations without a row in tests/authz/table.py: {missing}"


@pytest.mark.django_db
def test_authorisation_matrix(settings):
    # The second factor of system admins is tested with the sign-in; here it would only
    # hide what the role may do.
    settings.SANYI_REQUIRE_ADMIN_OTP = False
    world = build_world()  # once: every cell runs in a savepoint that is rolled back
    results = {"api": run_matrix(world, API), "workbench": run_matrix(world, WB)}
    total = Result()
    for table, result in results.items():
        print(f"\n[{table}] " + result.summary())
        for line in result.refused_before_check:
            print("  refused before the permission check:", line)
        total.cells += result.cells
        total.violations += result.violations
        total.refused_before_check += result.refused_before_check
    print(total.summary())
    assert not total.violations, "\n".join(total.violations)
