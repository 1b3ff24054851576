"""Numbers too large for the database: a 400 naming the parameter, or a 404 for ids in the
path, on every endpoint of the committed schema; never a 500."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rest_framework.test import APIClient

from sanyi.api.tests.problems import fields_of, problem_of
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_factories

pytestmark = pytest.mark.django_db

SCHEMA = yaml.safe_load((Path(__file__).parents[1] / "openapi.yaml").read_text(encoding="utf-8"))
HUGE = [str(2**63), str(10**30)]
# Paging parameters are bounded too, but DRF reads a too-large limit as "the maximum".
CLAMPED = {"limit"}


def _operations():
    for path, ops in SCHEMA["paths"].items():
        for method, op in ops.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, op


def _integer_query_params():
    for path, method, op in _operations():
        if method != "get" or "{" in path:
            continue
        for p in op.get("parameters", []):
            if p["in"] == "query" and p["schema"].get("type") == "integer":
                yield path, p["name"]


def _integer_path_params():
    for path, method, op in _operations():
        if any(
            p["in"] == "path" and p["schema"].get("type") == "integer"
            for p in op.get("parameters", [])
        ):
            yield path, method


@pytest.fixture
def staff():
    # Every role at the top of a tree, so staff-only endpoints get past permission checks.
    district = org_factories.district()
    user = org_factories.staff(district, Role.SYSTEM_ADMIN)
    for role in Role.values:
        if role != Role.SYSTEM_ADMIN:
            org_factories.services.role_assign(
                actor=org_factories.SYSTEM, user=user, org_unit=district, role=role
            )
    return user


@pytest.mark.parametrize(("path", "name"), sorted(set(_integer_query_params())))
def test_huge_integer_query_parameters_are_a_400_naming_them(staff, path, name):
    api = APIClient()
    api.force_authenticate(staff)
    for value in HUGE:
        response = api.get(path, {name: value})

        if name in CLAMPED and response.status_code == 200:
            continue
        problem = problem_of(response, 400)
        assert name in fields_of(problem), problem
        assert any(name in message for message in fields_of(problem)[name])


@pytest.mark.parametrize(("path", "method"), sorted(set(_integer_path_params())))
def test_huge_ids_in_the_path_are_not_found(staff, path, method):
    api = APIClient()
    api.force_authenticate(staff)
    for value in HUGE:
        url = re.sub(r"\{[^}]+\}", value, path)

        response = getattr(api, method)(url, {}, format="json")

        # A write may refuse its (empty) body before it looks the id up; never a 500.
        allowed = {404} if method == "get" else {400, 404, 415}
        assert response.status_code in allowed, (url, response.status_code, response.content)


def test_foreign_key_lookups_with_huge_ids_match_nothing():
    from sanyi.orgs.models import OrgUnit

    assert list(OrgUnit.objects.filter(parent_id=2**63)) == []
    assert list(OrgUnit.objects.filter(parent=10**30)) == []
    assert not OrgUnit.objects.filter(parent_id=-(2**64)).exists()
