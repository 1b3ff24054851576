"""Writing the eligibility rules (受理条件规则) of a draft one at a time, from the rule
editor of the staff draft editor (docs/catalog.md, "Eligibility rules").

A rule is saved only when its shape is right and lint's rule checks pass for it (L018: an
expression both evaluators run alike, reading only known fields; L019: it has test cases
and each gives its expected answer), so a rule written here never blocks the submission.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sanyi.audit.services import audit_record
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.eligibility import clean_rules
from sanyi.catalog.eligibility.check import rules_of
from sanyi.catalog.lint import EligibilityRuleTests, InvalidEligibilityRule, LintContext
from sanyi.catalog.models import EligibilityRule, ItemVersion
from sanyi.catalog.services._common import (
    _note_editor,
    _reload,
    _require_editor,
    _require_status,
)
from sanyi.core.actors import Actor


def rule_problems(rule: dict[str, Any]) -> dict[str, list[str]]:
    """What is wrong with one rule, by field (name, logic, reason, tests): its shape, then
    lint's own L018 and L019 run on it. Empty when the rule may be saved."""
    cleaned, problems = clean_rules([rule])
    errors: dict[str, list[str]] = {}
    for path, message in problems:
        errors.setdefault(_field_of_path(path), []).append(message)
    if errors:
        return errors
    guide, ctx = {"eligibility_rules": cleaned}, LintContext(item_type="", options={})
    for lint_rule in (InvalidEligibilityRule(), EligibilityRuleTests()):
        for path, message in lint_rule.check(guide, ctx):
            errors.setdefault(_field_of_path(path), []).append(message)
        if errors:  # tests of an expression that cannot run say nothing more
            break
    return errors


def _field_of_path(path: str) -> str:
    """ "eligibility_rules[0].tests[1].facts" → "tests" (the rule form's field)."""
    field = path.removeprefix("eligibility_rules[0]").lstrip(".").split("[")[0].split(".")[0]
    return field if field in ("name", "logic", "reason") else "tests"


def _draft_for_rules(actor: Actor, version: ItemVersion, doing: str) -> ItemVersion:
    version = _reload(version, lock=True)
    _require_editor(actor, version.implementation_item.implementing_unit)
    _require_status(version, VersionStatus.DRAFT, doing=doing)
    return version


def _store(version: ItemVersion, rules: list[dict[str, Any]]) -> None:
    version.eligibility_rules.all().delete()
    EligibilityRule.objects.bulk_create(
        EligibilityRule(version=version, position=i + 1, **rule) for i, rule in enumerate(rules)
    )


@transaction.atomic
def eligibility_rule_save(
    *, actor: Actor, version: ItemVersion, rule: dict[str, Any], position: int | None = None
) -> ItemVersion:
    """Add a rule to a draft (``position`` None) or replace its rule at ``position``
    (1-based). Refuses with errors by field when the rule is not valid."""
    version = _draft_for_rules(actor, version, "修改受理条件规则")
    rules = rules_of(version)
    if position is not None and not 1 <= position <= len(rules):
        raise ValidationError(f"第{position}条受理条件规则不存在")
    errors = rule_problems(rule)
    cleaned = clean_rules([rule])[0][0] if not errors else {}
    others = [r["name"] for i, r in enumerate(rules, start=1) if i != position]
    if cleaned and cleaned["name"] in others:
        errors.setdefault("name", []).append(f"已有名为“{cleaned['name']}”的规则，请换一个名称")
    if errors:
        raise ValidationError(errors)
    before = rules[position - 1] if position is not None else None
    if position is None:
        rules.append(cleaned)
        position = len(rules)
    else:
        rules[position - 1] = cleaned
    _store(version, rules)
    _note_editor(actor, version)
    audit_record(
        actor=actor,
        action="catalog_item.eligibility_rule",
        obj=version,
        changes={f"eligibility_rules[{position - 1}]": [before, cleaned]},
    )
    return version


@transaction.atomic
def eligibility_rule_delete(*, actor: Actor, version: ItemVersion, position: int) -> ItemVersion:
    """Remove the draft's rule at ``position`` (1-based); later rules move up."""
    version = _draft_for_rules(actor, version, "删除受理条件规则")
    rules = rules_of(version)
    if not 1 <= position <= len(rules):
        raise ValidationError(f"第{position}条受理条件规则不存在")
    removed = rules.pop(position - 1)
    _store(version, rules)
    _note_editor(actor, version)
    audit_record(
        actor=actor,
        action="catalog_item.eligibility_rule",
        obj=version,
        changes={f"eligibility_rules[{position - 1}]": [removed, None]},
    )
    return version
