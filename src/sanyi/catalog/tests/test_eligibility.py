"""Eligibility rules: the evaluator, the format, lint, versioning, the exchange round
trip, and the demo catalogue's own rule tests."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanyi.catalog import exchange, services
from sanyi.catalog.demo.build_items import ITEMS_PATH
from sanyi.catalog.demo.eligibility import RULES_BY_ITEM
from sanyi.catalog.eligibility import (
    FAIL,
    OUTSIDE,
    PASS,
    UNKNOWN,
    check_rules,
    clean_rules,
    evaluate,
    facts_from_answers,
    failing_tests,
    fields_read,
    logic_problems,
    unknown_fields,
)
from sanyi.catalog.guide import clean_guide, guide_of, versions_with_children
from sanyi.catalog.lint import lint_guide
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.test_exchange import wipe_catalogue
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_f

OLD_AGE = RULES_BY_ITEM["高龄津贴申请"]
AGE_RULE = OLD_AGE[0]


# --- evaluator ----------------------------------------------------------------------------


def test_age_rule_passes_at_80_and_fails_at_69():
    assert evaluate(AGE_RULE["logic"], {"age": 80}) is True
    assert evaluate(AGE_RULE["logic"], {"age": 69}) is False


def test_fields_read_skips_the_item_scope_of_list_operations():
    logic = {
        "and": [
            {"some": [{"var": "has_licence:食品经营许可证"}, {"==": [{"var": "x"}, 1]}]},
            {"missing": ["age"]},
            {"var": ["in_district", False]},
        ]
    }
    assert fields_read(logic) == ["has_licence:食品经营许可证", "age", "in_district"]


def test_unknown_operations_and_computed_names_are_problems():
    assert logic_problems({"log": [1]}) == ["不认识的运算“log”"]
    computed = logic_problems({"var": {"cat": ["a", "ge"]}})
    assert computed == ["var 只能写字段名（文字），不能由计算得出"]
    assert logic_problems([1, 2])
    assert logic_problems({">=": [{"var": "age"}, 80]}) == []


def test_unknown_fields_name_only_what_the_vocabulary_lacks():
    logic = {"and": [{"var": "age"}, {"var": "income"}, {"var": "has_licence:营业执照"}]}
    assert unknown_fields(logic) == ["income"]
    assert unknown_fields({"var": "has_licence:"}) == ["has_licence:"]


def test_a_rule_with_a_missing_fact_stays_open_and_asks_its_question():
    result = check_rules(OLD_AGE, {"applicant_kind": "person"})
    assert [r.status for r in result.results] == [UNKNOWN, UNKNOWN, PASS]
    assert result.eligible is None
    assert result.questions == ["age", "area"]


def test_one_failed_rule_decides_with_its_reason():
    facts = {"applicant_kind": "person", "age": 69}
    result = check_rules(OLD_AGE, facts)
    assert result.eligible is False
    assert result.reasons == ["高龄津贴发给年满80周岁的老年人，您还不到80周岁。"]
    assert result.results[0].status == FAIL


def test_server_only_facts_are_left_for_the_application():
    rules = RULES_BY_ITEM["失业保险金申领"]
    result = check_rules(rules, {"applicant_kind": "person"})
    assert result.eligible is None
    assert result.questions == []
    assert result.unchecked == ["没有在办的同一事项"]


# --- answers --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_answers_become_facts():
    district = org_f.district()
    street = org_f.unit(district, OrgKind.SUBDISTRICT, name="城关街道")
    community = org_f.unit(street, OrgKind.COMMUNITY, name="幸福社区")

    facts, errors = facts_from_answers(
        {"applicant_kind": "person", "age": " 81 ", "area": community.code}
    )

    assert errors == {}
    assert facts == {
        "applicant_kind": "person",
        "age": 81,
        "in_district": True,
        "subdistrict": street.code,
        "community": community.code,
    }
    assert facts_from_answers({"area": OUTSIDE})[0]["in_district"] is False


@pytest.mark.django_db
def test_unreadable_answers_are_named():
    facts, errors = facts_from_answers({"age": "八十", "applicant_kind": "x", "area": "nope"})
    assert facts == {}
    assert set(errors) == {"age", "applicant_kind", "area"}
    assert "年龄" in errors["age"]


# --- format and lint --------------------------------------------------------------------


def test_the_format_names_every_malformed_part():
    _, errors = clean_rules(
        [{"name": "", "reason": "r", "tests": [{"facts": {}, "expected": "yes"}], "extra": 1}]
    )
    paths = {path for path, _ in errors}
    assert paths == {
        "eligibility_rules[0].extra",
        "eligibility_rules[0].name",
        "eligibility_rules[0].logic",
        "eligibility_rules[0].tests[0].expected",
    }
    _, errors = clean_guide({"eligibility_rules": "not a list"})
    assert [e.path for e in errors] == ["eligibility_rules"]


def _lint(rules):
    guide, errors = clean_guide(f.good_guide(eligibility_rules=rules))
    assert errors == []
    return [x for x in lint_guide(guide, item_type="20") if x.code in ("L018", "L019")]


def test_lint_accepts_the_demo_rules():
    assert _lint(OLD_AGE) == []


def test_lint_refuses_an_unknown_field_and_invalid_logic():
    rule = {**AGE_RULE, "logic": {">=": [{"var": "income"}, 80]}}
    findings = _lint([rule, {**AGE_RULE, "name": "坏", "logic": {"log": [1]}}])
    messages = [x.message for x in findings if x.code == "L018"]
    assert any("未知字段“income”" in m for m in messages)
    assert any("不认识的运算“log”" in m for m in messages)
    assert all(x.severity == "error" for x in findings)


def test_lint_runs_each_rules_test_cases():
    rule = {**AGE_RULE, "tests": [{"facts": {"age": 70}, "expected": True}]}
    findings = _lint([rule])
    assert [(x.code, x.path) for x in findings] == [("L019", "eligibility_rules[0].tests[0]")]
    assert "预期“符合”，实际“不符合”" in findings[0].message
    assert "没有测试用例" in _lint([{**AGE_RULE, "tests": []}])[0].message


def test_every_rule_of_the_demo_catalogue_passes_its_own_test_cases():
    document = json.loads(ITEMS_PATH.read_text(encoding="utf-8"))
    ruled = [item for item in document["items"] if item.get("eligibility_rules")]
    assert {item["name"] for item in ruled} >= {"高龄津贴申请", "劳务派遣经营许可"}
    for item in ruled:
        for rule in item["eligibility_rules"]:
            assert rule["tests"], (item["name"], rule["name"])
            assert logic_problems(rule["logic"]) == [], (item["name"], rule["name"])
            assert unknown_fields(rule["logic"]) == [], (item["name"], rule["name"])
            assert list(failing_tests(rule)) == [], (item["name"], rule["name"])


# --- versions and exchange ----------------------------------------------------------------


@pytest.fixture
def units(db):
    return f.org()


def _rules(version):
    return guide_of(versions_with_children(ItemVersion.objects).get(pk=version.pk))[
        "eligibility_rules"
    ]


def test_a_new_draft_copies_the_rules_and_an_edit_without_them_keeps_them(units):
    published = f.item(
        unit=units["dept"], status="published", guide=f.good_guide(eligibility_rules=OLD_AGE)
    )
    draft = services.item_version_new_draft(
        actor=f.SYSTEM, implementation_item=published.implementation_item
    )
    assert _rules(draft) == OLD_AGE

    services.item_version_update(actor=f.SYSTEM, version=draft, guide={"hours": "工作日全天"})
    assert _rules(draft) == OLD_AGE
    services.item_version_update(
        actor=f.SYSTEM, version=draft, guide={"eligibility_rules": OLD_AGE[:1]}
    )
    assert _rules(draft) == OLD_AGE[:1]
    assert _rules(published) == OLD_AGE


def test_a_rule_whose_test_fails_blocks_submitting(units):
    broken = [{**AGE_RULE, "tests": [{"facts": {"age": 70}, "expected": True}]}]
    draft = f.item(unit=units["dept"], guide=f.good_guide(eligibility_rules=broken))
    with pytest.raises(ValidationError):
        services.item_version_submit(actor=f.SYSTEM, version=draft)


def test_rules_survive_the_json_round_trip(units):
    f.item(unit=units["dept"], status="published", guide=f.good_guide(eligibility_rules=OLD_AGE))
    before = exchange.catalog_export(viewer=f.SYSTEM)
    assert before["items"][0]["eligibility_rules"] == OLD_AGE
    text = exchange.export_json(before)
    wipe_catalogue()

    exchange.catalog_import(
        actor=exchange.IMPORT_ACTOR,
        document=exchange.read_json(text),
        publish_without_review=True,
    )

    assert exchange.catalog_export(viewer=f.SYSTEM) == before


def test_an_import_without_rules_keeps_the_rules_of_the_item(units):
    f.item(unit=units["dept"], status="published", guide=f.good_guide(eligibility_rules=OLD_AGE))
    document = exchange.catalog_export(viewer=f.SYSTEM)
    del document["items"][0]["eligibility_rules"]

    exchange.catalog_import(actor=exchange.IMPORT_ACTOR, document=document)

    assert exchange.catalog_export(viewer=f.SYSTEM)["items"][0]["eligibility_rules"] == OLD_AGE


def test_a_django_choice_value_compares_as_its_text():
    from sanyi.applicants.models import ApplicantKind

    logic = {"==": [{"var": "applicant_kind"}, "person"]}
    assert evaluate(logic, {"applicant_kind": ApplicantKind.PERSON}) is True


def test_reviewers_read_the_rules_on_the_version_page(client, units):
    draft = f.item(unit=units["dept"], guide=f.good_guide(eligibility_rules=OLD_AGE))
    client.force_login(units["reviewer"])

    page = client.get(reverse("workbench:catalog_version", args=[draft.pk])).content.decode()

    assert "受理条件规则（3条）" in page
    assert "{&quot;&gt;=&quot;: [{&quot;var&quot;: &quot;age&quot;}, 80]}" in page
    assert "高龄津贴发给年满80周岁的老年人，您还不到80周岁。" in page
