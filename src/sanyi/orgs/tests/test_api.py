"""Public read endpoints of the org tree: /api/v1/org-units/ and /api/v1/service-centers/."""

import pytest
from rest_framework.test import APIClient

from sanyi.api.tests.problems import fields_of, problem_of
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db
UNITS = "/api/v1/org-units/"
CENTERS = "/api/v1/service-centers/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def tree():
    return factories.tree()


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_the_list_is_public_paginated_and_in_tree_order(api, tree):
    response = api.get(UNITS, {"limit": 3})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 8
    assert ids(response) == [tree["district"].pk, tree["sub1"].pk, tree["comm1"].pk]
    assert "offset=3" in body["next"]
    first = body["results"][0]
    assert first["kind"] == "district"
    assert first["kind_display"] == "区"
    assert first["parent"] is None
    assert first["children_count"] == 3  # two subdistricts and a department


def test_list_queries_do_not_grow_with_the_tree(api, django_assert_max_num_queries):
    for _ in range(3):
        factories.tree()

    with django_assert_max_num_queries(2):  # the count and the page
        response = api.get(UNITS)

    assert response.json()["count"] == 24


def test_filter_by_kind(api, tree):
    response = api.get(UNITS, {"kind": "community"})

    assert ids(response) == [tree["comm1"].pk, tree["comm2"].pk]


def test_filter_by_parent_lists_direct_children_only(api, tree):
    response = api.get(UNITS, {"parent": tree["sub1"].pk})

    assert ids(response) == [tree["comm1"].pk]


def test_under_lists_a_whole_subtree_including_its_root(api, tree):
    response = api.get(UNITS, {"under": tree["sub1"].pk})

    assert ids(response) == [tree["sub1"].pk, tree["comm1"].pk, tree["grid1"].pk]


def test_under_keeps_to_its_own_subtree_when_there_are_several_trees(api, tree):
    other = factories.tree()

    response = api.get(UNITS, {"under": other["sub2"].pk})

    assert ids(response) == [other["sub2"].pk, other["comm2"].pk, other["grid2"].pk]


def test_filter_by_is_active(api, tree):
    factories.abolished(tree["grid2"])

    active = api.get(UNITS, {"is_active": "true", "under": tree["sub2"].pk})
    abolished = api.get(UNITS, {"is_active": "false"})

    assert ids(active) == [tree["sub2"].pk, tree["comm2"].pk]
    assert ids(abolished) == [tree["grid2"].pk]


def test_q_searches_name_and_short_name(api, tree):
    named = factories.unit(tree["sub1"], OrgKind.COMMUNITY, name="幸福里社区", short_name="幸福里")
    factories.unit(tree["sub2"], OrgKind.COMMUNITY, name="和平社区", short_name="和平")

    assert ids(api.get(UNITS, {"q": "幸福"})) == [named.pk]
    assert ids(api.get(UNITS, {"q": "福里"})) == [named.pk]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"kind": "village"}, "kind", "单位类别（kind）只能是："),
        ({"parent": "abc"}, "parent", "上级单位编号（parent）应为正整数"),
        ({"under": "1.5"}, "under", "子树根单位编号（under）应为正整数"),
        ({"under": "987654321"}, "under", "找不到编号为 987654321 的单位"),
        ({"is_active": "maybe"}, "is_active", "是否有效（is_active）只能是 true 或 false"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(api, tree, query, field, message):
    problem = problem_of(api.get(UNITS, query), 400)

    assert list(fields_of(problem)) == [field]
    assert fields_of(problem)[field][0].startswith(message)


def test_detail_has_ancestors_from_the_top_and_the_children_count(
    api, tree, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # the unit, its ancestors
        response = api.get(f"{UNITS}{tree['comm1'].pk}/")

    body = response.json()
    assert body["id"] == tree["comm1"].pk
    assert body["kind_display"] == "社区"
    assert body["children_count"] == 1
    assert [a["id"] for a in body["ancestors"]] == [tree["district"].pk, tree["sub1"].pk]
    assert body["ancestors"][1] == {
        "id": tree["sub1"].pk,
        "name": tree["sub1"].name,
        "kind": "subdistrict",
        "kind_display": "街道",
    }


def test_the_top_unit_has_no_ancestors(api, tree):
    assert api.get(f"{UNITS}{tree['district'].pk}/").json()["ancestors"] == []


def test_an_unknown_unit_is_a_404_problem(api):
    problem = problem_of(api.get(f"{UNITS}987654321/"), 404)

    assert problem["instance"] == f"{UNITS}987654321/"


def test_service_centers_of_a_unit_come_with_their_windows(
    api, tree, django_assert_max_num_queries
):
    own = factories.center(tree["sub1"], windows=2)
    factories.center(tree["comm1"], windows=1)  # below sub1: not its own

    with django_assert_max_num_queries(4):  # the unit, the count, the page, the windows
        response = api.get(f"{UNITS}{tree['sub1'].pk}/service-centers/")

    results = response.json()["results"]
    assert [c["id"] for c in results] == [own.pk]
    assert [w["number"] for w in results[0]["windows"]] == ["1", "2"]
    assert results[0]["org_unit"]["id"] == tree["sub1"].pk


def test_service_centers_of_an_unknown_unit_is_a_404(api):
    problem_of(api.get(f"{UNITS}987654321/service-centers/"), 404)


def test_all_service_centers_with_windows_in_bounded_queries(
    api, tree, django_assert_max_num_queries
):
    for unit in ("district", "sub1", "sub2", "comm1", "comm2"):
        factories.center(tree[unit], windows=3)

    with django_assert_max_num_queries(3):  # the count, the page, the windows
        response = api.get(CENTERS)

    body = response.json()
    assert body["count"] == 5
    assert all(len(c["windows"]) == 3 for c in body["results"])
    assert body["results"][0]["org_unit"]["id"] == tree["district"].pk


def test_service_centers_under_a_subtree(api, tree):
    sub_center = factories.center(tree["sub2"])
    community_center = factories.center(tree["comm2"])
    factories.center(tree["sub1"])

    response = api.get(CENTERS, {"under": tree["sub2"].pk})

    assert ids(response) == [sub_center.pk, community_center.pk]


def test_areas_list_subdistricts_with_their_communities(api, tree, django_assert_max_num_queries):
    extra = factories.unit(tree["sub1"], OrgKind.COMMUNITY)
    closed = factories.unit(tree["sub1"], OrgKind.COMMUNITY)
    closed.is_active = False
    closed.save()

    with django_assert_max_num_queries(1):
        response = api.get("/api/v1/areas/")

    assert response.status_code == 200
    body = response.json()
    assert [row["code"] for row in body] == [tree["sub1"].code, tree["sub2"].code]
    first = body[0]
    assert first["name"] == tree["sub1"].name
    assert first["is_rural"] is False
    codes = [c["code"] for c in first["communities"]]
    assert set(codes) == {tree["comm1"].code, extra.code}
    assert closed.code not in codes
    assert tree["grid1"].code not in str(body)
