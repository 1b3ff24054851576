import pytest

from sanyi.catalog import selectors, services
from sanyi.catalog.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return f.org()


def edit_published(version, **guide):
    draft = services.item_version_new_draft(
        actor=f.SYSTEM, implementation_item=version.implementation_item
    )
    return services.item_version_update(actor=f.SYSTEM, version=draft, guide=guide)


def test_diff_lists_changed_fields_and_materials_added_removed_changed(units):
    published = f.item(unit=units["dept"], status="published")
    materials = f.good_guide()["materials"]
    materials[0]["copies"] = 2  # 申请书 changed
    del materials[1]  # 营业执照 removed
    materials.append({**materials[0], "name": "法定代表人身份证", "copies": 1})  # added
    draft = edit_published(
        published,
        visits=0,
        channels=["online", "post"],
        promised_limit={"value": 5, "unit": "working_day", "note": ""},
        materials=materials,
    )

    diff = selectors.version_diff(viewer=f.SYSTEM, old=published, new=draft)

    changed = {row["field"]: (row["before"], row["after"]) for row in diff.fields}
    assert changed == {
        "visits": (1, 0),
        "channels": (["window", "online"], ["online", "post"]),
        "promised_limit.value": (10, 5),
    }
    m = diff.children["materials"]
    assert m.added == ["法定代表人身份证"]
    assert m.removed == ["营业执照"]
    assert m.changed == [{"name": "申请书", "changes": {"copies": [1, 2]}}]
    assert diff.children["fees"].empty
    assert diff.as_dict()["children"]["materials"]["removed"] == ["营业执照"]


def test_diff_of_identical_versions_is_empty(units):
    published = f.item(unit=units["dept"], status="published")
    draft = services.item_version_new_draft(
        actor=f.SYSTEM, implementation_item=published.implementation_item
    )
    assert selectors.version_diff(viewer=f.SYSTEM, old=published, new=draft).empty


def test_history_lists_every_version_with_reviews_diffs_and_audit(units):
    old = f.item(
        unit=units["dept"], author=units["author"], reviewer=units["reviewer"], status="superseded"
    )

    history = selectors.item_history(viewer=f.SYSTEM, implementation_item=old.implementation_item)

    assert [e.version.number for e in history["versions"]] == [1, 2]
    assert [r.comment for r in history["versions"][0].reviews] == ["同意"]
    second = history["versions"][1].diff_from_previous
    assert [row["field"] for row in second.fields] == ["hours"]
    actions = [e.action for e in history["audit"]]
    assert actions.count("catalog_item.publish") == 2
    assert "catalog_item.new_draft" in actions


def test_drafts_are_hidden_from_the_public_and_other_units(units):
    draft = f.item(unit=units["dept"])
    published = f.item(unit=units["dept"], status="published")
    outsider = org_factories.staff(units["sub_dept"], Role.CATALOG_ADMIN)

    def visible(viewer):
        return set(selectors.visible_versions(viewer).values_list("pk", flat=True))

    assert visible(None) == {published.pk}
    assert visible(outsider) == {published.pk}
    assert visible(units["dept_admin"]) == {draft.pk, published.pk}
    assert visible(units["author"]) == {draft.pk, published.pk}


def test_version_list_filters_by_type_unit_status_and_level(units):
    a = f.item(unit=units["dept"], status="published", item_type="01")
    f.item(unit=units["sub_dept"], status="published", item_type="20", level="4")
    f.item(unit=units["dept"], item_type="01")

    rows = selectors.version_list(
        viewer=None, item_type="01", unit=units["dept"], status="published", level="4"
    )
    assert [v.pk for v in rows] == [a.pk]
    by_district = selectors.version_list(viewer=None, unit=units["district"], include_subunits=True)
    assert len(by_district) == 2


def test_version_list_and_detail_run_a_fixed_number_of_queries(
    units, django_assert_max_num_queries
):
    for _ in range(5):
        f.item(unit=units["dept"], status="published")

    with django_assert_max_num_queries(2):
        rows = list(selectors.version_list(viewer=None))
        names = [v.implementation_item.base_item.name for v in rows]
        units_ = [v.implementation_item.implementing_unit.name for v in rows]
    assert len(names) == len(units_) == 5
    # The version, then one query per child table (six, eligibility rules included).
    with django_assert_max_num_queries(7):
        detail = selectors.version_detail(viewer=None, pk=rows[0].pk)
        assert len(detail.materials.all()) == 2
        assert len(detail.steps.all()) == 2


def merged_item(unit, name, conditions, materials):
    guide = f.good_guide(acceptance_conditions=conditions, materials=materials)
    return f.item(unit=unit, name=name, status="published", guide=guide)


def material(name, copies=1, necessity="required"):
    return {
        "name": name,
        "type": "original",
        "form": "paper",
        "necessity": necessity,
        "copies": copies,
        "source": "applicant",
        "specification": "",
        "source_note": "",
        "legal_basis": "",
        "acceptance_standard": "",
        "notes": "",
    }


def test_life_event_guide_merges_conditions_and_materials_without_duplicates(
    units, django_assert_max_num_queries
):
    a = merged_item(
        units["dept"],
        "食品经营许可",
        "已办理营业执照；有固定经营场所。",
        [material("申请书"), material("法定代表人身份证", necessity="optional")],
    )
    b = merged_item(
        units["sub_dept"],
        "户外招牌设置",
        "有固定经营场所；招牌设计符合规范。",
        [material("法定代表人 身份证", copies=2), material("招牌设计图")],
    )
    event = services.life_event_save(
        actor=f.SYSTEM,
        name="开办餐饮店",
        description="开店",
        items=[a.implementation_item, b.implementation_item],
    )

    with django_assert_max_num_queries(7):
        guide = selectors.life_event_merged_guide(event)

    assert [c.text for c in guide.conditions] == [
        "已办理营业执照",
        "有固定经营场所。",
        "招牌设计符合规范。",
    ]
    place = next(c for c in guide.conditions if c.text.startswith("有固定经营场所"))
    assert place.items == ["食品经营许可", "户外招牌设置"]
    names = [m.text for m in guide.materials]
    assert names == ["申请书", "法定代表人身份证", "招牌设计图"]
    shared = guide.materials[1]
    assert shared.items == ["食品经营许可", "户外招牌设置"]
    assert shared.detail["copies"] == 2 and shared.detail["necessity"] == "required"


def test_quality_summary_counts_by_rule_unit_and_level(units, django_assert_max_num_queries):
    f.item(unit=units["dept"], status="published")
    bad = f.item(unit=units["sub_dept"], guide=f.good_guide(complaint_phone=""))
    services.item_version_update(
        actor=f.SYSTEM, version=bad, guide={"acceptance_conditions": "身份证等"}
    )

    with django_assert_max_num_queries(8):
        summary = selectors.catalog_quality_summary(viewer=f.SYSTEM, status=None)

    assert summary["checked"] == 2 and summary["clean"] == 1
    counts = {row["code"]: row["count"] for row in summary["by_rule"]}
    assert counts["L002"] == 1 and counts["L012"] == 1 and counts["L001"] == 0
    by_unit = {row["unit"]: row["errors"] for row in summary["by_unit"]}
    assert by_unit == {units["sub_dept"].name: 2, units["dept"].name: 0}
    assert summary["by_level"] == [
        {"level": "4", "label": "县级（区）", "errors": 2, "warnings": 0, "versions": 2}
    ]
