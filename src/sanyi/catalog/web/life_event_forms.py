"""Forms of the staff life-event editor (一件事): the event, its shared fields and its
members, one row each. They only parse the page; ``services.life_event_edit`` checks
everything and its messages name the row."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from sanyi.catalog.choices import LifeEventAudience
from sanyi.catalog.services.life_events import FIELD_KINDS

EXTRA_FIELDS = 2
EXTRA_MEMBERS = 3


class LifeEventForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.ChoiceField(label="面向对象", choices=LifeEventAudience.choices)


class SharedFieldForm(forms.Form):
    """One shared field asked once on the resident's form."""

    name = forms.CharField(label="字段代码", max_length=40, required=False, help_text="英文标识")
    label = forms.CharField(label="问题", max_length=100, required=False)
    kind = forms.ChoiceField(label="类型", choices=list(FIELD_KINDS.items()), required=False)

    def row(self) -> dict[str, str] | None:
        data = self.cleaned_data
        if not data.get("name") and not data.get("label"):
            return None
        return {"name": data["name"], "label": data["label"], "kind": data.get("kind") or "text"}


class MemberForm(forms.Form):
    """One member: its item, place, the member it waits for, what the earlier result
    provides and the answers it applies to (JSON Logic over the shared fields)."""

    item = forms.CharField(
        label="事项实施编码",
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"list": "item-codes"}),
    )
    position = forms.IntegerField(label="顺序", min_value=1, max_value=999, required=False)
    after = forms.CharField(
        label="前序事项（实施编码）",
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"list": "member-codes"}),
    )
    carries = forms.CharField(label="前序结果作为本事项的材料", max_length=300, required=False)
    condition = forms.CharField(
        label="适用条件（JSON Logic，空为都适用）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def row(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("item"):
            return None
        return {
            "item": data["item"],
            "position": data.get("position"),
            "after": data.get("after", ""),
            "carries": data.get("carries", ""),
            "condition": data.get("condition", ""),
        }


SharedFieldFormSet = forms.formset_factory(SharedFieldForm, extra=EXTRA_FIELDS)
MemberFormSet = forms.formset_factory(MemberForm, extra=EXTRA_MEMBERS)


def member_initial(members: list) -> list[dict[str, Any]]:
    """The saved members as rows of the member formset."""
    return [
        {
            "item": m.item.implementation_code,
            "position": m.position,
            "after": m.depends_on.item.implementation_code if m.depends_on else "",
            "carries": m.carries,
            "condition": json.dumps(m.condition, ensure_ascii=False) if m.condition else "",
        }
        for m in members
    ]
