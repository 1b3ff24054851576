import pytest

from sanyi.orgs import selectors
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db


def test_subtree_is_one_query_and_stays_inside(django_assert_num_queries):
    tree = factories.tree()
    with django_assert_num_queries(1):
        units = list(selectors.org_subtree(tree["sub1"]))
    assert units == [tree["sub1"], tree["comm1"], tree["grid1"]]
    assert tree["sub1"] not in selectors.org_subtree(tree["sub1"], include_self=False)


def test_subtree_does_not_catch_units_whose_id_shares_a_prefix():
    # Zero-padded segments: unit 1's path is not a prefix of unit 10's.
    tree = factories.tree()
    paths = [u.path for u in selectors.org_subtree(tree["comm1"])]
    assert all(p.startswith(tree["comm1"].path) for p in paths)
    assert tree["comm2"].path not in paths


def test_ancestors_from_the_top_in_one_query(django_assert_num_queries):
    tree = factories.tree()
    with django_assert_num_queries(1):
        ancestors = list(selectors.org_ancestors(tree["grid1"]))
    assert ancestors == [tree["district"], tree["sub1"], tree["comm1"]]


def test_tree_for_display_nests_in_one_query(django_assert_num_queries):
    tree = factories.tree()
    factories.unit(tree["sub1"], OrgKind.COMMUNITY, name="甲社区", sort_order=0)
    with django_assert_num_queries(1):
        root = selectors.org_tree_for_display(tree["district"])
    assert root.unit == tree["district"]
    assert root.size == 9
    sub1 = next(n for n in root.children if n.unit == tree["sub1"])
    assert {n.unit.name for n in sub1.children} == {tree["comm1"].name, "甲社区"}


def test_service_centers_for_prefetches_windows(django_assert_num_queries):
    tree = factories.tree()
    factories.center(tree["sub1"], windows=3)
    factories.center(tree["comm1"], windows=2)
    with django_assert_num_queries(2):
        centers = list(selectors.service_centers_for(tree["sub1"], include_subtree=True))
        counts = [len(c.windows.all()) for c in centers]
    assert counts == [3, 2]


def test_unit_for_viewer_hides_units_outside_scope():
    tree = factories.tree()
    admin = factories.staff(tree["sub1"], Role.SYSTEM_ADMIN)
    assert selectors.org_unit_for_viewer(viewer=admin, pk=tree["grid1"].pk) == tree["grid1"]
    assert selectors.org_unit_for_viewer(viewer=admin, pk=tree["grid2"].pk) is None


def test_staff_visible_to_admin_by_scope():
    tree = factories.tree()
    admin = factories.staff(tree["sub1"], Role.SYSTEM_ADMIN)
    inside = factories.staff(tree["comm1"], Role.GRID_OFFICER)
    outside = factories.staff(tree["comm2"], Role.GRID_OFFICER)
    visible = set(selectors.staff_visible(viewer=admin))
    assert inside in visible and admin in visible
    assert outside not in visible
