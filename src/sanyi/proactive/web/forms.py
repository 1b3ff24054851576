"""The rule editor of the workbench: JSON fields are parsed here (errors in Chinese,
naming the field); every rule check stays in ``proactive.services.rules``."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.models import ImplementationItem
from sanyi.core.forms import DateInput
from sanyi.proactive.choices import OfferAction, TriggerKind
from sanyi.proactive.models import ProactiveRule

JSON_HELP = {
    "trigger_params": (
        '例如年满规定年龄：{"age": 80}；证照到期：{"days": [90, 30], "licence": "食品经营许可证"}'
    ),
    "condition": (
        '受理条件规则格式（JSON Logic），例如 {">=": [{"var": "age"}, 80]}；不填则不加条件'
    ),
    "tests": '例如 [{"facts": {"age": 80}, "expected": true}]',
}


def _json_field(label: str, name: str, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=JSON_HELP[name],
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "mono"}),
    )


class RuleForm(forms.Form):
    code = forms.CharField(
        label="规则编码", max_length=40, help_text="字母、数字和连字符，如 elderly-80"
    )
    name = forms.CharField(label="规则名称", max_length=100)
    item_code = forms.CharField(
        label="推送的事项", max_length=40, help_text="事项的实施编码，须有正在施行的办事指南"
    )
    trigger_kind = forms.ChoiceField(label="触发条件", choices=TriggerKind.choices)
    trigger_params = _json_field("触发参数", "trigger_params", required=True)
    condition = _json_field("附加条件", "condition", required=False)
    reason = forms.CharField(
        label="推送理由",
        max_length=200,
        help_text="写给居民看的一句话，可用 {age}、{item}、{licence}、{days}、{trigger_item}",
    )
    action = forms.ChoiceField(
        label="推送方式", choices=OfferAction.choices, widget=forms.RadioSelect
    )
    confirm_required = forms.BooleanField(
        label="免申即享须居民确认",
        required=False,
        initial=True,
        help_text="勾选时先为居民建好申请，居民一键确认后才提交；不勾选则直接提交（事项材料须全部来自数据共享）",
    )
    tests = _json_field("测试用例", "tests", required=False)

    def __init__(self, *args, rule: ProactiveRule | None = None, **kwargs):
        if rule is not None:
            kwargs.setdefault("initial", initial_of(rule))
        super().__init__(*args, **kwargs)
        if rule is not None:  # the code names the rule across versions: fixed once written
            self.fields["code"].disabled = True

    def _json(self, name: str, label: str) -> Any:
        text = self.cleaned_data.get(name, "").strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(f"{label}不是有效的 JSON，请检查括号、引号和逗号") from None

    def clean_trigger_params(self):
        return self._json("trigger_params", "触发参数")

    def clean_condition(self):
        value = self._json("condition", "附加条件")
        if value is not None and not isinstance(value, dict):
            raise forms.ValidationError('附加条件应为 JSON 对象，如 {">=": [{"var": "age"}, 80]}')
        return value

    def clean_tests(self):
        value = self._json("tests", "测试用例")
        if value is not None and not isinstance(value, list):
            raise forms.ValidationError("测试用例应为 JSON 列表")
        return value or []

    def clean_item_code(self):
        code = self.cleaned_data["item_code"].strip()
        item = (
            ImplementationItem.objects.filter(
                implementation_code=code, versions__status=VersionStatus.PUBLISHED
            )
            .select_related("base_item")
            .first()
        )
        if item is None:
            raise forms.ValidationError("推送的事项：没有找到这个实施编码，或它没有正在施行的指南")
        return item

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["item"] = data.pop("item_code")
        data.pop("code", None)
        return data


def initial_of(rule: ProactiveRule) -> dict[str, Any]:
    def dump(value: Any) -> str:
        return "" if value in (None, [], {}) else json.dumps(value, ensure_ascii=False)

    return {
        "code": rule.code,
        "name": rule.name,
        "item_code": rule.item.implementation_code,
        "trigger_kind": rule.trigger_kind,
        "trigger_params": dump(rule.trigger_params) or "{}",
        "condition": dump(rule.condition),
        "reason": rule.reason,
        "action": rule.action,
        "confirm_required": rule.confirm_required,
        "tests": dump(rule.tests),
    }


class PreviewForm(forms.Form):
    on = forms.DateField(label="预演日期", widget=DateInput)
