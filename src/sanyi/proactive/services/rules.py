"""Writing, testing and publishing proactive rules. A rule's extra condition is an
eligibility rule expression (JSON Logic, catalog.eligibility) and its test cases are run
by the same ``failing_tests`` the catalogue's lint uses (docs/proactive.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.catalog.eligibility import failing_tests, logic_problems, unknown_fields
from sanyi.catalog.models import ImplementationItem
from sanyi.core.actors import Actor, actor_user
from sanyi.proactive.choices import OfferAction, RuleStatus, TriggerKind
from sanyi.proactive.models import ProactiveRule

# The parameter each trigger needs, and a plain Chinese description for messages.
REQUIRED_PARAMS: dict[str, tuple[str, str]] = {
    TriggerKind.AGE_REACHED: ("age", "年龄（周岁）"),
    TriggerKind.LIFE_EVENT_MEMBER_CONCLUDED: ("life_event", "一件事名称"),
    TriggerKind.LICENCE_EXPIRING: ("days", "到期前天数（如 [90, 30]）"),
    TriggerKind.CASE_CONCLUDED_OF_ITEM: ("item_code", "触发事项的实施编码或基本编码"),
    TriggerKind.GRID_EVENT_ABOUT_RESIDENT: ("", ""),
}


def params_problems(trigger_kind: str, params: Any) -> dict[str, str]:
    """Field errors of the trigger parameters (empty when they fit the trigger)."""
    if trigger_kind not in TriggerKind.values:
        return {"trigger_kind": "不认识的触发条件"}
    if not isinstance(params, dict):
        return {"trigger_params": "触发参数应为 JSON 对象"}
    key, label = REQUIRED_PARAMS[trigger_kind]
    if key and key not in params:
        return {"trigger_params": f"缺少触发参数“{key}”（{label}）"}
    if trigger_kind == TriggerKind.AGE_REACHED:
        age = params["age"]
        if not isinstance(age, int) or not 1 <= age <= 120:
            return {"trigger_params": "年龄应为1到120之间的整数"}
    if trigger_kind == TriggerKind.LICENCE_EXPIRING:
        days = params["days"]
        if (
            not isinstance(days, list)
            or not days
            or not all(isinstance(d, int) and 0 < d <= 366 for d in days)
        ):
            return {"trigger_params": "到期前天数应为1到366之间的整数列表，如 [90, 30]"}
    return {}


def rule_test_failures(rule: ProactiveRule) -> list[str]:
    """Why the rule's own test cases fail, one line each (empty when all pass)."""
    if rule.condition in (None, {}):
        return ["测试用例需要附加条件才能运行"] if rule.tests else []
    problems = logic_problems(rule.condition)
    problems += [f"附加条件用到未知字段“{name}”" for name in unknown_fields(rule.condition)]
    if problems:
        return problems
    if not isinstance(rule.tests, list):
        return ["测试用例应为列表"]
    return [
        f"第{index + 1}个测试用例：{problem}"
        for index, problem in failing_tests({"logic": rule.condition, "tests": rule.tests})
    ]


@transaction.atomic
def proactive_rule_create(
    *,
    code: str,
    name: str,
    item: ImplementationItem,
    trigger_kind: str,
    trigger_params: dict[str, Any],
    reason: str,
    actor: Actor,
    condition: dict[str, Any] | None = None,
    action: str = OfferAction.NOTIFY,
    tests: list[dict[str, Any]] | None = None,
    confirm_required: bool = True,
) -> ProactiveRule:
    """A new draft version of the rule ``code`` (version 1, or one past the last)."""
    if not code.strip():
        raise ValidationError({"code": "规则编码不能为空"})
    _check_fields(trigger_kind, trigger_params, name=name, reason=reason, action=action)
    last = ProactiveRule.objects.filter(code=code).aggregate(v=Max("version"))["v"] or 0
    rule = ProactiveRule.objects.create(
        code=code.strip(),
        version=last + 1,
        name=name.strip(),
        item=item,
        trigger_kind=trigger_kind,
        trigger_params=trigger_params,
        condition=condition,
        reason=reason.strip(),
        action=action,
        tests=tests or [],
        confirm_required=confirm_required,
        author=actor_user(actor),
    )
    audit_record(actor=actor, action="proactive.rule_create", obj=rule)
    return rule


def _check_fields(
    trigger_kind: str, trigger_params: Any, *, name: str, reason: str, action: str
) -> None:
    """Every field error of a rule at once, in Chinese, naming the field."""
    errors = params_problems(trigger_kind, trigger_params)
    if not name.strip():
        errors["name"] = "规则名称不能为空"
    if not reason.strip():
        errors["reason"] = "推送理由不能为空"
    if action not in OfferAction.values:
        errors["action"] = "推送方式只能是消息提醒或免申即享"
    if errors:
        raise ValidationError(errors)


EDITABLE_FIELDS = (
    "name",
    "item",
    "trigger_kind",
    "trigger_params",
    "condition",
    "reason",
    "action",
    "confirm_required",
    "tests",
)


@transaction.atomic
def proactive_rule_update(*, rule: ProactiveRule, actor: Actor, **fields: Any) -> ProactiveRule:
    """Change a draft (only the fields in ``EDITABLE_FIELDS``); a published or retired
    version is never changed: write a new version instead."""
    rule = ProactiveRule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != RuleStatus.DRAFT:
        raise ValidationError({"status": "只有草稿可以修改；已发布的规则请新建一个版本"})
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"不能修改的字段：{sorted(unknown)}")
    before = {name: getattr(rule, name) for name in fields}
    for name, value in fields.items():
        setattr(rule, name, value.strip() if isinstance(value, str) else value)
    _check_fields(
        rule.trigger_kind,
        rule.trigger_params,
        name=rule.name,
        reason=rule.reason,
        action=rule.action,
    )
    rule.save(update_fields=list(fields))
    changed = sorted(name for name in fields if before[name] != getattr(rule, name))
    audit_record(actor=actor, action="proactive.rule_update", obj=rule, changes={"fields": changed})
    return rule


@transaction.atomic
def proactive_rule_retire(*, rule: ProactiveRule, actor: Actor) -> ProactiveRule:
    """Stop a published rule: no more offers from it (offers made stay as they are)."""
    rule = ProactiveRule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != RuleStatus.PUBLISHED:
        raise ValidationError({"status": "只有已发布的规则可以停用"})
    rule.status = RuleStatus.RETIRED
    rule.save(update_fields=["status"])
    audit_record(actor=actor, action="proactive.rule_retire", obj=rule)
    return rule


@transaction.atomic
def proactive_rule_publish(*, rule: ProactiveRule, actor: Actor) -> ProactiveRule:
    """Publish a draft: a second person (not the author), and only when the rule's own
    test cases pass. The published version of the same code before it is retired."""
    rule = ProactiveRule.objects.select_for_update().get(pk=rule.pk)
    user = actor_user(actor)
    if user is None:
        raise PermissionDenied("发布主动服务规则须由工作人员操作")
    if rule.author_id is not None and rule.author_id == user.pk:
        raise PermissionDenied("规则的编写人不能发布自己编写的规则，请由另一位工作人员审核发布")
    if rule.status != RuleStatus.DRAFT:
        raise ValidationError({"status": "只有草稿可以发布"})
    failures = rule_test_failures(rule)
    if failures:
        raise ValidationError({"tests": "测试用例未通过，不能发布：" + "；".join(failures)})
    retired = ProactiveRule.objects.filter(code=rule.code, status=RuleStatus.PUBLISHED)
    for old in retired:
        audit_record(actor=actor, action="proactive.rule_retire", obj=old)
    retired.update(status=RuleStatus.RETIRED)
    rule.status = RuleStatus.PUBLISHED
    rule.published_by = user
    rule.published_at = timezone.now()
    rule.save(update_fields=["status", "published_by", "published_at"])
    audit_record(actor=actor, action="proactive.rule_publish", obj=rule)
    return rule
