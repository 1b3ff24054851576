"""The demo catalogue goes through the real importer into a tree with the demo unit names."""

import pytest

from sanyi.catalog.demo.build_items import DEPARTMENTS, DRAFT_PROBLEMS, SUBDISTRICTS, build_document
from sanyi.catalog.exchange import catalog_import
from sanyi.catalog.guide import guide_of, versions_with_children
from sanyi.catalog.lint import Severity, lint_guide
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.catalog.readability import THRESHOLD as READABILITY_THRESHOLD
from sanyi.catalog.readability import guide_readability
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_tree():
    district = org_factories.district(name="示范区")
    for name in DEPARTMENTS:
        org_factories.unit(
            district, OrgKind.DEPARTMENT, name=name, uscc=org_factories.unique_uscc()
        )
    for name, info in SUBDISTRICTS.items():
        sub = org_factories.unit(
            district,
            OrgKind.SUBDISTRICT,
            name=name,
            is_rural=name.endswith("镇"),
            uscc=org_factories.unique_uscc(),
        )
        org_factories.unit(
            sub,
            OrgKind.COMMUNITY,
            name=info["community"],
            is_rural=info["community"].endswith("村"),
        )
    return district


# One import takes most of this test's time, so one test checks everything it produced.
def test_demo_catalogue_imports_cleanly_into_the_demo_tree(demo_tree):
    document = build_document()

    # when
    result = catalog_import(actor="系统：测试", document=document, publish_without_review=True)

    # then every item is created and no published guide was held back by lint errors
    assert len(result.created) == len(document["items"])
    assert result.kept_as_draft == []
    assert sorted(result.life_events) == sorted(e["name"] for e in document["life_events"])
    drafts = ItemVersion.objects.filter(status="draft").select_related(
        "implementation_item__base_item"
    )
    assert sorted(v.implementation_item.base_item.name for v in drafts) == sorted(DRAFT_PROBLEMS)

    # and the product's own lint finds errors in every draft and none in published guides
    errors = {}
    versions = versions_with_children(
        ItemVersion.objects.select_related("implementation_item__base_item")
    )
    for version in versions:
        base = version.implementation_item.base_item
        findings = lint_guide(guide_of(version), item_type=base.item_type)
        key = (base.name, version.implementation_item.implementing_unit_id, version.status)
        errors[key] = [f.code for f in findings if f.severity == Severity.ERROR]
    assert {key: codes for key, codes in errors.items() if key[2] == "published" and codes} == {}
    # and every published guide is plain enough (L022's threshold)
    scores = {
        v.implementation_item.base_item.name: guide_readability(guide_of(v)).score
        for v in versions
        if v.status == "published"
    }
    assert {name: s for name, s in scores.items() if s < READABILITY_THRESHOLD} == {}
    assert all(codes for key, codes in errors.items() if key[2] == "draft")

    # and one base item serves every subdistrict that implements a delegated service
    births = ImplementationItem.objects.filter(base_item__name="生育登记").select_related(
        "implementing_unit", "delegated_from"
    )
    assert {i.implementing_unit.name for i in births} == set(SUBDISTRICTS)
    assert len({i.base_item_id for i in births}) == 1
    assert {i.delegated_from.name for i in births} == {"区卫生健康委员会"}

    # and sub-items hang under their main item
    marriage = ImplementationItem.objects.select_related("base_item__main_item").get(
        base_item__name="婚姻登记（结婚登记）"
    )
    assert marriage.base_item.main_item.name == "婚姻登记"
