"""The rule editor of a draft (受理条件规则): adding, changing and deleting a rule through
the services and the staff pages, refused with plain Chinese messages on the field when
lint's L018/L019 would refuse it, audited, and only on drafts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanyi.audit.models import AuditEvent
from sanyi.catalog import services
from sanyi.catalog.eligibility import rules_of
from sanyi.catalog.tests import factories as catalog_factories
from sanyi.catalog.tests.staff_support import catalog_world, login, url
from sanyi.catalog.web.rule_forms import as_simple, simple_logic
from sanyi.core.tests.error_summary import assert_error_summary

pytestmark = pytest.mark.django_db

AGE_60 = {
    "name": "年满60周岁",
    "logic": {">=": [{"var": "age"}, 60]},
    "reason": "须年满60周岁。",
    "tests": [{"facts": {"age": 60}, "expected": True}, {"facts": {"age": 59}, "expected": False}],
}


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


@pytest.fixture
def world():
    return catalog_world()


@pytest.fixture
def draft(world):
    return catalog_factories.item(unit=world["sub_dept"], author=world["author"], name="优待证")


def _post_data(**overrides):
    data = {
        "name": "年满60周岁",
        "mode": "simple",
        "field": "age",
        "operator": ">=",
        "value": "60",
        "logic": "",
        "reason": "老年人优待证发给年满60周岁的老年人。",
        "tests-TOTAL_FORMS": "3",
        "tests-INITIAL_FORMS": "0",
        "tests-0-facts": "age=60",
        "tests-0-expected": "1",
        "tests-1-facts": "age=59",
        "tests-1-expected": "0",
        "tests-2-facts": "",
        "tests-2-expected": "",
    }
    data.update(overrides)
    return data


# --- services ---------------------------------------------------------------------------


def test_save_adds_replaces_and_delete_removes_with_an_audit_row_each(world, draft):
    services.eligibility_rule_save(actor=world["author"], version=draft, rule=AGE_60)
    person = {
        "name": "个人申请",
        "logic": {"==": [{"var": "applicant_kind"}, "person"]},
        "reason": "由个人申请。",
        "tests": [{"facts": {"applicant_kind": "person"}, "expected": True}],
    }
    services.eligibility_rule_save(actor=world["author"], version=draft, rule=person)
    assert [r["name"] for r in rules_of(draft)] == ["年满60周岁", "个人申请"]

    changed = {**AGE_60, "name": "年满65周岁", "logic": {">=": [{"var": "age"}, 65]}}
    changed["tests"] = [{"facts": {"age": 65}, "expected": True}]
    services.eligibility_rule_save(actor=world["author"], version=draft, rule=changed, position=1)
    assert rules_of(draft)[0]["logic"] == {">=": [{"var": "age"}, 65]}

    services.eligibility_rule_delete(actor=world["author"], version=draft, position=1)
    assert [r["name"] for r in rules_of(draft)] == ["个人申请"]
    events = AuditEvent.objects.filter(action="catalog_item.eligibility_rule")
    assert events.count() == 4
    assert events.order_by("pk").last().changes["eligibility_rules[0]"][1] is None


@pytest.mark.parametrize(
    ("rule", "field", "text"),
    [
        ({"logic": {">=": [{"var": "income"}, 1]}}, "logic", "未知字段“income”"),
        ({"logic": {"log": [1]}}, "logic", "不认识的运算“log”"),
        ({"tests": []}, "tests", "测试用例"),
        (
            {"tests": [{"facts": {"age": 30}, "expected": True}]},
            "tests",
            "预期“符合”，实际“不符合”",
        ),
        ({"name": ""}, "name", "规则名称不能为空"),
        ({"reason": " "}, "reason", "不符合时的说明不能为空"),
    ],
)
def test_a_rule_lint_would_refuse_is_refused_on_its_field(world, draft, rule, field, text):
    with pytest.raises(ValidationError) as refused:
        services.eligibility_rule_save(
            actor=world["author"], version=draft, rule={**AGE_60, **rule}
        )

    assert any(text in message for message in refused.value.message_dict[field])
    assert rules_of(draft) == []
    assert not AuditEvent.objects.filter(action="catalog_item.eligibility_rule").exists()


def test_two_rules_may_not_share_a_name(world, draft):
    services.eligibility_rule_save(actor=world["author"], version=draft, rule=AGE_60)
    with pytest.raises(ValidationError) as refused:
        services.eligibility_rule_save(actor=world["author"], version=draft, rule=AGE_60)
    assert "已有名为“年满60周岁”的规则" in refused.value.message_dict["name"][0]


def test_only_drafts_and_only_their_admins(world, draft):
    published = catalog_factories.item(
        unit=world["sub_dept"], status="published", reviewer=world["reviewer"]
    )
    with pytest.raises(ValidationError, match="不能修改受理条件规则"):
        services.eligibility_rule_save(actor=world["author"], version=published, rule=AGE_60)
    with pytest.raises(PermissionDenied):
        services.eligibility_rule_save(actor=world["dept_admin"], version=draft, rule=AGE_60)


def test_the_form_builds_and_reads_back_simple_rules():
    assert simple_logic("in_district", "==", "是") == {"==": [{"var": "in_district"}, True]}
    assert simple_logic("subdistrict", "in", "S1、S2") == {
        "in": [{"var": "subdistrict"}, ["S1", "S2"]]
    }
    assert as_simple({">=": [{"var": "age"}, 60]}) == ("age", ">=", "60")
    assert as_simple({"and": [{"var": "age"}, 1]}) is None
    with pytest.raises(ValueError, match="应是数字"):
        simple_logic("age", ">=", "六十")


# --- pages ------------------------------------------------------------------------------


def test_admin_adds_a_simple_rule_on_the_page(client, world, draft):
    login(client, world["author"])
    edit_page = client.get(url("catalog_version_edit", draft.pk)).content.decode()
    assert url("catalog_rules", draft.pk) in edit_page
    assert "受理条件规则字段表" in client.get(url("catalog_rules", draft.pk)).content.decode()

    response = client.post(url("catalog_rules", draft.pk), _post_data())

    assert response.status_code == 302
    [rule] = rules_of(draft)
    assert rule["logic"] == {">=": [{"var": "age"}, 60]}
    assert rule["tests"] == AGE_60["tests"]
    page = client.get(url("catalog_rules", draft.pk)).content.decode()
    assert "age=59 → 不符合" in page


def test_a_failing_test_case_is_shown_and_nothing_is_saved(client, world, draft):
    login(client, world["author"])

    response = client.post(url("catalog_rules", draft.pk), _post_data(**{"tests-1-expected": "1"}))

    assert response.status_code == 400
    assert_error_summary(response, texts=["第2个测试用例预期“符合”，实际“不符合”"])
    assert rules_of(draft) == []


def test_advanced_json_and_bad_values_get_plain_errors_on_their_field(client, world, draft):
    login(client, world["author"])

    bad_json = client.post(
        url("catalog_rules", draft.pk), _post_data(mode="advanced", logic='{">=": [')
    )
    bad_value = client.post(url("catalog_rules", draft.pk), _post_data(value="六十"))
    unknown = client.post(
        url("catalog_rules", draft.pk),
        _post_data(mode="advanced", logic='{">=": [{"var": "income"}, 1]}'),
    )

    assert_error_summary(bad_json, {"id_logic": "不是有效的 JSON"})
    assert_error_summary(bad_value, {"id_value": "应是数字"})
    assert_error_summary(unknown, {"id_logic": "未知字段“income”"})
    assert rules_of(draft) == []


def test_admin_edits_and_deletes_a_rule(client, world, draft):
    services.eligibility_rule_save(actor=world["author"], version=draft, rule=AGE_60)
    login(client, world["author"])

    form = client.get(url("catalog_rule_edit", draft.pk, 1)).content.decode()
    assert 'value="年满60周岁"' in form and 'value="age=59"' in form

    client.post(
        url("catalog_rule_edit", draft.pk, 1),
        _post_data(**{"value": "65", "tests-0-facts": "age=65", "tests-1-facts": "age=64"}),
    )
    assert rules_of(draft)[0]["logic"] == {">=": [{"var": "age"}, 65]}

    client.post(url("catalog_rule_delete", draft.pk, 1))
    assert rules_of(draft) == []


def test_a_published_version_has_no_rule_editor(client, world):
    published = catalog_factories.item(
        unit=world["sub_dept"], status="published", reviewer=world["reviewer"]
    )
    login(client, world["author"])

    response = client.post(url("catalog_rules", published.pk), _post_data())

    assert response.status_code == 302
    assert rules_of(published) == []
