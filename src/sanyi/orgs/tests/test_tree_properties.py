"""Properties of the materialised path under any sequence of moves."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.orgs import selectors, services
from sanyi.orgs.models import OrgKind, OrgUnit
from sanyi.orgs.tests import factories
from sanyi.orgs.tree import segment

pytestmark = pytest.mark.django_db

UNIT_KEYS = ["sub1", "sub2", "comm1", "comm2", "grid1", "grid2", "dept", "station"]


def _assert_paths_consistent():
    units = {u.pk: u for u in OrgUnit.objects.all()}
    for u in units.values():
        parent = units.get(u.parent_id)
        expected = (parent.path if parent else "") + segment(u.pk)
        assert u.path == expected
        assert u.depth == (parent.depth + 1 if parent else 0)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    moves=st.lists(st.tuples(st.sampled_from(UNIT_KEYS), st.sampled_from(UNIT_KEYS)), max_size=6)
)
def test_paths_stay_consistent_under_any_moves(moves):
    with transaction.atomic():
        tree = factories.tree()
        tree["station"] = factories.unit(tree["sub1"], OrgKind.STATION)
        for unit_key, target_key in moves:
            # Refused moves (cycles, kind rules) must leave the tree as it was.
            with contextlib.suppress(ValidationError):
                services.org_unit_move(
                    actor="测试", unit=tree[unit_key], new_parent=tree[target_key]
                )
            _assert_paths_consistent()
        # The subtree query finds exactly the units whose ancestor chain holds the unit.
        for key in UNIT_KEYS:
            unit = OrgUnit.objects.get(pk=tree[key].pk)
            found = {u.pk for u in selectors.org_subtree(unit)}
            expected = {u.pk for u in OrgUnit.objects.all() if unit.pk in u.ancestor_ids}
            assert found == expected
        transaction.set_rollback(True)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plan")
def test_subtree_query_uses_the_path_index_on_sqlite():
    tree = factories.tree()
    plan = selectors.org_subtree(tree["sub1"]).explain()
    assert "USING INDEX" in plan and "path>" in plan
