"""JSON Logic (jsonlogic.com) for eligibility rules: checking an expression, the fields it
reads, evaluating it, and running a rule's own test cases.

The server evaluates with ``panzi-json-logic``, which follows the JavaScript reference
implementation (``json-logic-js``, vendored for the guide page), so the browser and the
server give the same answer (docs/adr/0016-eligibility-rules.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from json_logic import jsonLogic

from sanyi.catalog.eligibility.vocabulary import field_of

# The operations both evaluators implement alike. "log" writes to the console: left out.
OPERATIONS = frozenset(
    {
        "==", "===", "!=", "!==", ">", ">=", "<", "<=", "!", "!!", "and", "or", "if", "?:",
        "var", "missing", "missing_some", "in", "cat", "substr", "+", "-", "*", "/", "%",
        "min", "max", "merge", "map", "filter", "reduce", "all", "none", "some",
    }
)  # fmt: skip
# Operations whose later arguments run against each list item, not against the facts.
ITEM_SCOPED = frozenset({"map", "filter", "reduce", "all", "none", "some"})


def logic_problems(logic: Any) -> list[str]:
    """Why an expression is not valid JSON Logic a rule may use (empty when it is)."""
    if not isinstance(logic, dict) or len(logic) != 1:
        return ['判断规则应是只有一个运算的 JSON 对象，如 {">=": [{"var": "age"}, 80]}']
    problems: list[str] = []
    for node in _operations(logic):
        op = next(iter(node))
        if op not in OPERATIONS:
            problems.append(f"不认识的运算“{op}”")
        elif op == "var":
            name = _var_name(node["var"])
            if name is None:
                problems.append("var 只能写字段名（文字），不能由计算得出")
    return problems


def _operations(logic: Any, *, facts_scope: bool = True) -> Iterator[dict]:
    """Every operation node (a one-key dict) in the expression, outermost first."""
    if isinstance(logic, list):
        for item in logic:
            yield from _operations(item, facts_scope=facts_scope)
        return
    if not isinstance(logic, dict) or len(logic) != 1:
        return
    op, args = next(iter(logic.items()))
    if facts_scope or op != "var":
        yield logic
    if op == "var":
        return
    args = args if isinstance(args, list) else [args]
    if op in ITEM_SCOPED:
        yield from _operations(args[:1], facts_scope=facts_scope)
        yield from _operations(args[1:], facts_scope=False)
    else:
        yield from _operations(args, facts_scope=facts_scope)


def _var_name(arg: Any) -> str | None:
    name = arg[0] if isinstance(arg, list) and arg else arg
    if isinstance(name, (int, float)) and not isinstance(name, bool):
        return str(name)
    return name if isinstance(name, str) else None


def fields_read(logic: Any) -> list[str]:
    """The fact names an expression reads, in first-use order (``missing`` counts too)."""
    names: list[str] = []
    for node in _operations(logic):
        op, args = next(iter(node.items()))
        if op == "var":
            found = [_var_name(args)]
        elif op == "missing":
            found = list(args) if isinstance(args, list) else [args]
        elif op == "missing_some" and isinstance(args, list) and len(args) == 2:
            found = list(args[1]) if isinstance(args[1], list) else []
        else:
            continue
        names.extend(n for n in found if isinstance(n, str) and n and n not in names)
    return names


def unknown_fields(logic: Any) -> list[str]:
    return [name for name in fields_read(logic) if field_of(name) is None]


def evaluate(logic: Any, facts: dict[str, Any]) -> bool:
    """The rule's answer for these facts, read as JavaScript reads a truth value."""
    # Plain JSON values only, as the browser has them (a str subclass such as a Django
    # choice would not compare equal inside the evaluator).
    result = jsonLogic(logic, json.loads(json.dumps(facts, default=str)))
    return _truthy(result)


def _truthy(value: Any) -> bool:
    # JSON Logic's truthiness: an empty list is false, unlike in JavaScript.
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, float) and value != value:  # NaN
        return False
    return bool(value)


def failing_tests(rule: dict[str, Any]) -> Iterator[tuple[int, str]]:
    """(index, problem) for each of the rule's test cases that does not give its expected
    answer, or cannot be run."""
    if logic_problems(rule.get("logic")):
        return
    for index, case in enumerate(rule.get("tests") or []):
        facts, expected = case.get("facts") or {}, case.get("expected")
        unknown = [name for name in facts if field_of(name) is None]
        if unknown:
            yield index, "测试用例用到未知字段：" + "、".join(unknown)
            continue
        try:
            got = evaluate(rule["logic"], facts)
        except Exception as exc:  # a rule that crashes on its own example is a broken rule
            yield index, f"测试用例运行出错：{exc}"
            continue
        if got != expected:
            yield index, f"测试用例预期“{_yes_no(expected)}”，实际“{_yes_no(got)}”"


def _yes_no(value: Any) -> str:
    return "符合" if value is True else "不符合" if value is False else str(value)
