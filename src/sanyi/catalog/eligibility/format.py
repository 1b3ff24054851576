"""The ``eligibility_rules`` of a guide in the exchange format (docs/catalog-format.md):
its shape is checked here, when a guide is saved or imported; whether the expression is
valid and its test cases pass is lint's business (``catalog.lint``, L018 and L019), so a
draft may hold a rule still being written.
"""

from __future__ import annotations

import re
from typing import Any

from sanyi.catalog.eligibility.vocabulary import field_of

RULE_KEYS = ("name", "logic", "reason", "tests")
TEST_KEYS = ("facts", "expected")
NAME_MAX = 100
REASON_MAX = 300


def clean_rules(
    value: Any, path: str = "eligibility_rules"
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The rules in their stored shape, and (path, message) for each problem."""
    errors: list[tuple[str, str]] = []
    if not isinstance(value, list):
        return [], [(path, "受理条件规则应为列表")]
    rules: list[dict[str, Any]] = []
    for index, row in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(row, dict):
            errors.append((where, f"第{index + 1}条规则应为对象"))
            continue
        for key in sorted(set(row) - set(RULE_KEYS)):
            errors.append((f"{where}.{key}", f"未知字段“{key}”（请核对拼写）"))
        name = _text(row.get("name"), f"{where}.name", "规则名称", NAME_MAX, errors)
        reason = _text(row.get("reason"), f"{where}.reason", "不符合时的说明", REASON_MAX, errors)
        if "logic" not in row:
            errors.append((f"{where}.logic", "缺少判断规则（logic）"))
        tests = _tests(row.get("tests", []), f"{where}.tests", errors)
        rules.append({"name": name, "logic": row.get("logic"), "reason": reason, "tests": tests})
    names = [str(rule["name"]) for rule in rules if rule["name"]]
    for twice in sorted({n for n in names if names.count(n) > 1}):
        errors.append((path, f"规则名称“{twice}”重复"))
    return rules, errors


def _text(value: Any, path: str, label: str, limit: int, errors: list) -> str:
    if not isinstance(value, str) or not value.strip():
        errors.append((path, f"{label}不能为空"))
        return value.strip() if isinstance(value, str) else ""
    value = value.strip()
    if len(value) > limit:
        errors.append((path, f"{label}最多{limit}个字，现在是{len(value)}个字"))
    return value


def _tests(value: Any, path: str, errors: list) -> list[dict]:
    if not isinstance(value, list):
        errors.append((path, "测试用例应为列表"))
        return []
    tests = []
    for index, case in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(case, dict) or set(case) != set(TEST_KEYS):
            errors.append((where, '测试用例应为 {"facts": {…}, "expected": true 或 false}'))
            continue
        if not isinstance(case["facts"], dict):
            errors.append((f"{where}.facts", "测试用例的 facts 应为对象（字段名 → 值）"))
            continue
        if not isinstance(case["expected"], bool):
            errors.append((f"{where}.expected", "测试用例的 expected 应为 true 或 false"))
            continue
        tests.append({"facts": case["facts"], "expected": case["expected"]})
    return tests


# --- test cases as text: "age=60；in_district=是 → 符合", one case a line (the rule editor
# and the Excel sheet 受理条件规则) ----------------------------------------------------------

YES, NO = {"是", "true", "True", "1", "有"}, {"否", "false", "False", "0", "无", "没有"}
FACT_SPLIT = re.compile(r"[；;，,]")
EXPECTED = {"符合": True, "不符合": False}


def typed_value(name: str, text: str) -> Any:
    """A value typed as the field's kind (number, yes/no or text); ValueError with a plain
    message when it is not one."""
    field = field_of(name)
    text = text.strip()
    if field is None:
        raise ValueError(f"没有名为“{name}”的字段")
    if field.kind == "number":
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"“{name}”的值应是数字，“{text}”不是") from None
        return int(number) if number.is_integer() else number
    if field.kind == "boolean":
        if text in YES:
            return True
        if text in NO:
            return False
        raise ValueError(f"“{name}”的值应填“是”或“否”")
    return text


def shown_value(value: Any) -> str:
    return "是" if value is True else "否" if value is False else str(value)


def facts_text(facts: dict[str, Any]) -> str:
    return "；".join(f"{name}={shown_value(value)}" for name, value in facts.items())


def facts_from_text(text: str) -> dict[str, Any]:
    """ "age=60；in_district=是" → {"age": 60, "in_district": True}; ValueError if unreadable."""
    facts: dict[str, Any] = {}
    for part in FACT_SPLIT.split(text):
        if not part.strip() or part.strip() == "（无）":
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"“{part.strip()}”应写成 字段=值")
        facts[name.strip()] = typed_value(name.strip(), value)
    return facts


def tests_text(tests: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{facts_text(t['facts']) or '（无）'} → {'符合' if t['expected'] else '不符合'}"
        for t in tests
    )


def tests_from_text(text: str) -> list[dict[str, Any]]:
    """One case a line, "字段=值；字段=值 → 符合" (or 不符合); ValueError naming the line."""
    tests = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        facts, sep, expected = line.replace("->", "→").rpartition("→")
        if not sep or expected.strip() not in EXPECTED:
            raise ValueError(f"第{number}个测试用例应写成“字段=值；字段=值 → 符合”（或“不符合”）")
        try:
            tests.append({"facts": facts_from_text(facts), "expected": EXPECTED[expected.strip()]})
        except ValueError as exc:
            raise ValueError(f"第{number}个测试用例：{exc}") from None
    return tests
