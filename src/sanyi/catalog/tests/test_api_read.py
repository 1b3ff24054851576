"""Public reading of the catalogue through the API: published items, history, diff, search,
life events and the reduction report."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.api.tests.problems import fields_of, problem_of
from sanyi.catalog import services
from sanyi.catalog.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def units():
    return f.org()


def published(units, **kwargs):
    return f.item(
        unit=kwargs.pop("unit", units["dept"]),
        author=units["author"],
        reviewer=units["reviewer"],
        status="published",
        **kwargs,
    )


def api_url(name, *args):
    return reverse(f"api:{name}", args=args)


def test_list_shows_published_items_only(api, units):
    shown = published(units, name="食品经营许可")
    f.item(unit=units["dept"], author=units["author"], name="还在编写的事项")
    response = api.get(api_url("catalog-item-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["implementation_code"] == shown.implementation_item.implementation_code
    assert row["name"] == "食品经营许可"
    assert row["implementing_unit"] == {"id": units["dept"].pk, "name": units["dept"].name}
    assert row["promised_limit"] == {"value": 10, "unit": "working_day", "note": ""}


def test_list_filters(api, units):
    licence = published(units, name="许可事项", item_type="01")
    service = published(units, unit=units["sub_dept"], name="服务事项", item_type="20")

    def codes(**params):
        body = api.get(api_url("catalog-item-list"), params).json()
        return {r["implementation_code"] for r in body["results"]}

    code = {v.pk: v.implementation_item.implementation_code for v in (licence, service)}
    assert codes(item_type="20") == {code[service.pk]}
    assert codes(unit=units["sub_dept"].pk) == {code[service.pk]}
    assert codes(q="许可") == {code[licence.pk]}
    assert codes(unit=units["district"].pk) == set(code.values())


def test_list_bad_filter_is_a_problem_naming_the_parameter(api, units):
    problem = problem_of(api.get(api_url("catalog-item-list"), {"item_type": "99"}), 400)
    assert "item_type" in fields_of(problem)
    problem = problem_of(api.get(api_url("catalog-item-list"), {"unit": 999999}), 400)
    assert "unit" in fields_of(problem)


def test_list_query_count_is_bounded(api, units, django_assert_max_num_queries):
    for _ in range(8):
        published(units)
    with django_assert_max_num_queries(3):
        response = api.get(api_url("catalog-item-list"))
    assert response.json()["count"] == 8


def test_detail_has_the_whole_guide(api, units, django_assert_max_num_queries):
    version = published(units, name="食品经营许可")
    code = version.implementation_item.implementation_code
    with django_assert_max_num_queries(8):
        response = api.get(api_url("catalog-item-detail", code))
    assert response.status_code == 200
    body = response.json()
    guide = body["guide"]
    assert [m["name"] for m in guide["materials"]] == ["申请书", "营业执照"]
    assert [s["name"] for s in guide["steps"]] == ["受理", "审批"]
    assert guide["legal_bases"][0]["title"] == "《中华人民共和国行政许可法》"
    assert guide["fees"] == []
    assert body["version_number"] == 1


def test_detail_of_a_draft_only_code_is_404(api, units):
    draft = f.item(unit=units["dept"], author=units["author"])
    response = api.get(
        api_url("catalog-item-detail", draft.implementation_item.implementation_code)
    )
    problem_of(response, 404)


def test_versions_hide_drafts_from_the_public_but_not_from_admins_in_scope(api, units):
    version = published(units)
    code = version.implementation_item.implementation_code
    services.item_version_new_draft(
        actor=units["author"], implementation_item=version.implementation_item
    )
    anonymous = api.get(api_url("catalog-item-versions", code)).json()
    assert [v["status"] for v in anonymous] == ["published"]
    api.force_authenticate(units["dept_admin"])
    admin = api.get(api_url("catalog-item-versions", code)).json()
    assert [v["status"] for v in admin] == ["published", "draft"]
    api.force_authenticate(f.org_factories.staff(units["sub_dept"], "catalog_admin"))
    outsider = api.get(api_url("catalog-item-versions", code)).json()
    assert [v["status"] for v in outsider] == ["published"]


def test_diff_between_two_published_versions(api, units):
    old = f.item(
        unit=units["dept"], author=units["author"], reviewer=units["reviewer"], status="superseded"
    )
    code = old.implementation_item.implementation_code
    response = api.get(api_url("catalog-item-diff", code), {"old": 1, "new": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["old_number"] == 1 and body["new_number"] == 2
    assert [c["field"] for c in body["fields"]] == ["hours"]
    assert body["children"]["materials"] == {"added": [], "removed": [], "changed": []}


def test_diff_shows_materials_added_removed_changed(api, units):
    version = published(units)
    item = version.implementation_item
    draft = services.item_version_new_draft(actor=units["author"], implementation_item=item)
    guide = f.good_guide()
    guide["materials"][0]["copies"] = 2
    guide["materials"][1] = {**guide["materials"][0], "name": "身份证", "copies": 1}
    services.item_version_update(actor=units["author"], version=draft, guide=guide)
    services.item_version_submit(actor=units["author"], version=draft)
    services.item_version_review(actor=units["reviewer"], version=draft, approve=True)
    services.item_version_publish(actor=units["author"], version=draft)
    body = api.get(api_url("catalog-item-diff", item.implementation_code)).json()
    materials = body["children"]["materials"]
    assert materials["added"] == ["身份证"]
    assert materials["removed"] == ["营业执照"]
    assert materials["changed"] == [{"name": "申请书", "changes": {"copies": [1, 2]}}]


def test_diff_with_unknown_version_is_a_problem(api, units):
    version = published(units)
    code = version.implementation_item.implementation_code
    problem = problem_of(api.get(api_url("catalog-item-diff", code), {"old": 7}), 400)
    assert "old" in fields_of(problem)


def test_search_finds_published_items(api, units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the index follows on commit
        published(units, name="食品经营许可")
    response = api.get(api_url("catalog-search"), {"q": "食品经营"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 1
    assert body["results"][0]["title"].startswith("食品经营许可")


def test_search_too_long_is_a_problem(api, units):
    problem = problem_of(api.get(api_url("catalog-search"), {"q": "长" * 101}), 400)
    assert "q" in fields_of(problem)


def test_life_events_with_merged_guide(api, units):
    a = published(units, name="生育登记")
    b = published(units, name="出生医学证明")
    event = services.life_event_save(
        actor=f.SYSTEM, name="出生", items=[a.implementation_item, b.implementation_item]
    )
    listing = api.get(api_url("catalog-life-event-list")).json()
    assert [(e["name"], e["item_count"]) for e in listing["results"]] == [("出生", 2)]
    detail = api.get(api_url("catalog-life-event-detail", event.pk)).json()
    assert {i["name"] for i in detail["items"]} == {"生育登记", "出生医学证明"}
    application = next(m for m in detail["materials"] if m["text"] == "申请书")
    assert sorted(application["items"]) == ["出生医学证明", "生育登记"]
    problem_of(api.get(api_url("catalog-life-event-detail", 999999)), 404)


def test_reduction_report_json(api, units):
    published(units)
    published(units, unit=units["sub_dept"], guide=f.good_guide(visits=0))
    body = api.get(api_url("catalog-reduction-report")).json()
    assert body["total"]["items"] == 2
    assert body["total"]["visits_0"] == 1
    assert body["target_ratio"] == 0.5
    scoped = api.get(api_url("catalog-reduction-report"), {"unit": units["sub_dept"].pk}).json()
    assert scoped["total"]["items"] == 1
    assert json.dumps(body, ensure_ascii=False)


def test_life_event_detail_query_count(api, units, django_assert_max_num_queries):
    items = [published(units).implementation_item for _ in range(4)]
    event = services.life_event_save(actor=f.SYSTEM, name="开办企业", items=items)
    with django_assert_max_num_queries(10):
        response = api.get(api_url("catalog-life-event-detail", event.pk))
    assert len(response.json()["items"]) == 4
