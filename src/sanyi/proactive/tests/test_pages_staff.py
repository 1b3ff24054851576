"""Workbench pages of proactive rules: who sees and does what, the editor's errors, the
four-eyes publish, retire, and the dry-run preview."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f
from sanyi.proactive.models import ProactiveOffer, ProactiveRule
from sanyi.proactive.tests.factories import born, rule

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"workbench:proactive:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return client


def _post(pw, **overrides):
    data = {
        "code": "elderly-90",
        "name": "年满90周岁",
        "item_code": pw["item"].implementation_code,
        "trigger_kind": "age_reached",
        "trigger_params": '{"age": 90}',
        "condition": '{">=": [{"var": "age"}, 90]}',
        "reason": "您今年满{age}周岁，可以申请{item}",
        "action": "notify",
        "confirm_required": "on",
        "tests": json.dumps([{"facts": {"age": 90}, "expected": True}]),
    }
    data.update(overrides)
    return data


def test_rules_list_shows_counters_to_supervisors_read_only(client, pw):
    rule(pw)
    born(dt.date(1946, 5, 1))
    from sanyi.proactive.services import proactive_run

    proactive_run(on=dt.date(2026, 6, 15), actor="测试")
    page = login(client, pw["supervisor"]).get(url("rules")).content.decode()
    assert "高龄津贴提醒" in page and url("rule_create") not in page
    assert client.get(url("rule_create")).status_code == 403


def test_window_clerk_may_not_see_rules(client, pw):
    assert login(client, pw["clerk"]).get(url("rules")).status_code == 403


def test_catalogue_admin_writes_a_draft(client, pw):
    admin = org_f.staff(pw["district"], Role.CATALOG_ADMIN)
    answer = login(client, admin).post(url("rule_create"), _post(pw))
    made = ProactiveRule.objects.get(code="elderly-90")
    assert answer["Location"] == url("rule", made.pk)
    assert made.status == "draft" and made.trigger_params == {"age": 90}
    assert made.author == admin


def test_editor_errors_name_the_field_in_chinese(client, pw):
    admin = org_f.staff(pw["district"], Role.CATALOG_ADMIN)
    page = login(client, admin).post(
        url("rule_create"), _post(pw, trigger_params="{age: 90", condition="[1]")
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "触发参数不是有效的 JSON" in text and "附加条件应为 JSON 对象" in text
    page = client.post(url("rule_create"), _post(pw, trigger_params='{"age": 300}'))
    assert "年龄应为1到120之间的整数" in page.content.decode()
    assert not ProactiveRule.objects.filter(code="elderly-90").exists()


def test_the_author_cannot_publish_and_is_told_why(client, pw):
    draft = rule(pw, publish=False, condition={">=": [{"var": "age"}, 80]})
    login(client, pw["proactive_author"])
    answer = client.post(url("rule_publish", draft.pk), follow=True)
    assert "编写人不能发布自己编写的规则" in answer.content.decode()
    assert ProactiveRule.objects.get(pk=draft.pk).status == "draft"


def test_a_second_admin_publishes_and_then_retires(client, pw):
    draft = rule(pw, publish=False)
    other = org_f.staff(pw["district"], Role.CATALOG_ADMIN)
    login(client, other).post(url("rule_publish", draft.pk))
    assert ProactiveRule.objects.get(pk=draft.pk).status == "published"
    client.post(url("rule_retire", draft.pk))
    assert ProactiveRule.objects.get(pk=draft.pk).status == "retired"


def test_failing_test_cases_are_shown_and_block_publishing(client, pw):
    draft = rule(
        pw,
        publish=False,
        condition={">=": [{"var": "age"}, 80]},
        tests=[{"facts": {"age": 70}, "expected": True}],
    )
    other = org_f.staff(pw["district"], Role.CATALOG_ADMIN)
    page = login(client, other).get(url("rule", draft.pk)).content.decode()
    assert "未通过" in page and "第1个测试用例" in page
    answer = client.post(url("rule_publish", draft.pk), follow=True)
    assert "测试用例未通过" in answer.content.decode()


def test_preview_lists_masked_residents_and_writes_nothing(client, pw):
    rule(pw)
    resident = born(dt.date(1946, 5, 1))
    admin = org_f.staff(pw["district"], Role.CATALOG_ADMIN)
    page = login(client, admin).get(url("preview"), {"on": "2026-06-15"}).content.decode()
    assert "预演结果：1条" in page and resident.id_number not in page
    assert ProactiveOffer.objects.count() == 0


def test_rules_list_queries_do_not_grow_with_rules(client, pw, django_assert_max_num_queries):
    for n in range(5):
        rule(pw, code=f"r{n}")
    login(client, pw["supervisor"])
    with django_assert_max_num_queries(12):
        assert client.get(url("rules")).status_code == 200
