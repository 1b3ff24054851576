"""The form of the rule editor (受理条件规则) in the staff draft editor.

A simple rule is written by picking a known field, an operator and a value; anything else
is written as JSON Logic in the advanced box. Test cases are rows of facts ("age=65；
in_district=是") and the expected answer. The form only turns the page into the rule of
the exchange format; ``services.rule_problems`` (the shape and lint's L018/L019) decides
whether it is right, and its messages are put back on the fields.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms

from sanyi.catalog.eligibility import LICENCE_PREFIX, vocabulary
from sanyi.catalog.eligibility.format import (
    facts_from_text,
    facts_text,
    shown_value,
    typed_value,
)

SIMPLE, ADVANCED = "simple", "advanced"
OPERATORS = {
    "==": "等于",
    "!=": "不等于",
    ">=": "大于或等于",
    ">": "大于",
    "<=": "小于或等于",
    "<": "小于",
    "in": "是下列之一",
}
LICENCE = "has_licence"
LIST_SPLIT = re.compile(r"[、,，]")


def _field_choices() -> list[tuple[str, str]]:
    choices = [(f.name, f"{f.name}：{f.label}") for f in vocabulary() if f.name in _plain()]
    return [("", "请选择字段"), *choices, (LICENCE, f"{LICENCE_PREFIX}证照名称：持有电子证照")]


def _plain() -> set[str]:
    return {f.name for f in vocabulary() if not f.name.startswith(LICENCE_PREFIX)}


def simple_logic(name: str, operator: str, value: str) -> dict[str, Any]:
    """The JSON Logic of "field operator value"; ValueError with a plain message."""
    if operator == "in":
        values = [typed_value(name, part) for part in LIST_SPLIT.split(value) if part.strip()]
        if not values:
            raise ValueError("请填写至少一个值，多个用“、”分隔")
        return {"in": [{"var": name}, values]}
    return {operator: [{"var": name}, typed_value(name, value)]}


def as_simple(logic: Any) -> tuple[str, str, str] | None:
    """(field, operator, value text) when ``logic`` is a simple rule the form can show."""
    if not isinstance(logic, dict) or len(logic) != 1:
        return None
    operator, args = next(iter(logic.items()))
    if operator not in OPERATORS or not isinstance(args, list) or len(args) != 2:
        return None
    var, value = args
    if not (isinstance(var, dict) and set(var) == {"var"} and isinstance(var["var"], str)):
        return None
    if operator == "in" and not isinstance(value, list):
        return None
    values = value if isinstance(value, list) else [value]
    if any(isinstance(v, (dict, list)) for v in values):
        return None
    return var["var"], operator, "、".join(shown_value(v) for v in values)


class RuleForm(forms.Form):
    name = forms.CharField(label="规则名称", max_length=100, help_text="如：年满60周岁")
    mode = forms.ChoiceField(
        label="写法",
        choices=[(SIMPLE, "按字段填写（简单规则）"), (ADVANCED, "直接写 JSON Logic（复杂规则）")],
        widget=forms.RadioSelect,
        initial=SIMPLE,
    )
    field = forms.ChoiceField(label="字段", choices=(), required=False)
    licence = forms.CharField(
        label="证照名称", max_length=60, required=False, help_text="字段选“持有电子证照”时填写"
    )
    operator = forms.ChoiceField(label="比较", choices=list(OPERATORS.items()), required=False)
    value = forms.CharField(
        label="值",
        max_length=200,
        required=False,
        help_text="是/否的字段填“是”或“否”；“是下列之一”的多个值用“、”分隔",
    )
    logic = forms.CharField(
        label="判断规则（JSON Logic）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='如 {">=": [{"var": "age"}, 60]}，字段名只能用字段表里的',
    )
    reason = forms.CharField(
        label="不符合时的说明",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="给办事群众看的话，如：老年人优待证发给年满60周岁的老年人。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["field"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _field_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == ADVANCED:
            data["rule_logic"] = self._advanced()
        elif data.get("mode") == SIMPLE:
            data["rule_logic"] = self._simple()
        return data

    def _advanced(self) -> Any:
        text = self.cleaned_data.get("logic", "").strip()
        if not text:
            self.add_error("logic", "请填写判断规则（JSON Logic）")
            return None
        try:
            return json.loads(text)
        except ValueError as exc:
            self.add_error("logic", f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列附近有错")  # type: ignore[attr-defined]
            return None

    def _simple(self) -> Any:
        name = self.cleaned_data.get("field", "")
        if not name:
            self.add_error("field", "请选择字段")
            return None
        if name == LICENCE:
            licence = self.cleaned_data.get("licence", "").strip()
            if not licence:
                self.add_error("licence", "请填写证照名称")
                return None
            name = LICENCE_PREFIX + licence
        try:
            return simple_logic(
                name, self.cleaned_data.get("operator") or "==", self.cleaned_data.get("value", "")
            )
        except ValueError as exc:
            self.add_error("value", str(exc))
            return None

    @classmethod
    def initial_of(cls, rule: dict[str, Any]) -> dict[str, Any]:
        initial = {
            "name": rule["name"],
            "reason": rule["reason"],
            "logic": json.dumps(rule["logic"], ensure_ascii=False),
            "mode": ADVANCED,
        }
        simple = as_simple(rule["logic"])
        if simple is not None:
            name, operator, value = simple
            if name.startswith(LICENCE_PREFIX):
                initial.update(field=LICENCE, licence=name[len(LICENCE_PREFIX) :])
            else:
                initial["field"] = name
            initial.update(operator=operator, value=value, mode=SIMPLE)
        return initial


class RuleTestForm(forms.Form):
    facts = forms.CharField(
        label="情况",
        max_length=500,
        required=False,
        help_text="字段=值，多个用“；”分隔，如 age=65；in_district=是",
    )
    expected = forms.TypedChoiceField(
        label="预期结果",
        choices=[("", "—"), ("1", "符合"), ("0", "不符合")],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("facts") or "").strip()
        if not text and data.get("expected") is None:
            return data
        if data.get("expected") is None:
            self.add_error("expected", "请选择预期结果")
        facts: dict[str, Any] = {}
        try:
            facts = facts_from_text(text)
        except ValueError as exc:
            self.add_error("facts", str(exc))
        data["case"] = {"facts": facts, "expected": data.get("expected")}
        return data


RuleTestFormSet = forms.formset_factory(RuleTestForm, extra=0, max_num=30, validate_max=True)


def test_rows(data: Any = None, tests: list[dict[str, Any]] | None = None) -> Any:
    """The test-case rows: the rule's cases and three blank rows."""
    if data is not None:
        return RuleTestFormSet(data, prefix="tests")
    initial = [
        {"facts": facts_text(t["facts"]), "expected": "1" if t["expected"] else "0"}
        for t in tests or []
    ]
    return RuleTestFormSet(initial=initial + [{}] * 3, prefix="tests")


def posted_rule(form: RuleForm, tests: Any) -> dict[str, Any]:
    """The rule of a valid form and its valid test rows, in the exchange format."""
    cases = [f.cleaned_data["case"] for f in tests.forms if "case" in f.cleaned_data]
    return {
        "name": form.cleaned_data["name"],
        "logic": form.cleaned_data["rule_logic"],
        "reason": form.cleaned_data["reason"],
        "tests": cases,
    }
