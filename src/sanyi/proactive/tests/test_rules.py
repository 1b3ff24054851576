"""Writing and publishing rules: four eyes and the rule's own test cases."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanyi.proactive.choices import RuleStatus
from sanyi.proactive.services import proactive_rule_publish, rule_test_failures
from sanyi.proactive.tests.factories import rule

pytestmark = pytest.mark.django_db
AGE_80 = {">=": [{"var": "age"}, 80]}


def test_author_cannot_publish_own_rule(pw):
    draft = rule(pw, publish=False)
    with pytest.raises(PermissionDenied):
        proactive_rule_publish(rule=draft, actor=pw["proactive_author"])


def test_rule_test_cases_run_with_the_eligibility_evaluator(pw):
    draft = rule(
        pw,
        publish=False,
        condition=AGE_80,
        tests=[{"facts": {"age": 80}, "expected": True}, {"facts": {"age": 79}, "expected": True}],
    )
    assert rule_test_failures(draft) == ["第2个测试用例：测试用例预期“符合”，实际“不符合”"]


def test_failing_test_case_blocks_publishing(pw):
    draft = rule(
        pw, publish=False, condition=AGE_80, tests=[{"facts": {"age": 60}, "expected": True}]
    )
    with pytest.raises(ValidationError, match="测试用例未通过"):
        proactive_rule_publish(rule=draft, actor=pw["clerk"])
    draft.refresh_from_db()
    assert draft.status == RuleStatus.DRAFT


def test_passing_rule_is_published_and_retires_the_previous_version(pw):
    first = rule(pw, condition=AGE_80, tests=[{"facts": {"age": 81}, "expected": True}])
    second = rule(pw, condition=AGE_80)
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == (
        RuleStatus.RETIRED,
        RuleStatus.PUBLISHED,
        2,
    )


def test_unknown_trigger_parameters_are_refused_naming_the_field(pw):
    with pytest.raises(ValidationError) as info:
        rule(pw, trigger_params={"years": 80}, publish=False)
    assert "trigger_params" in info.value.message_dict
