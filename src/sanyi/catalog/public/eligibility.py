"""The "看看我能不能办" panel of a guide page: the item's rules for the browser, what the
server already knows about the resident, the questions left over and the answer so far."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sanyi.catalog.eligibility import (
    OUTSIDE,
    QUESTIONS,
    Eligibility,
    check_rules,
    facts_from_answers,
    field_of,
    fields_read,
    rules_of,
)
from sanyi.catalog.eligibility.check import APPLICANT_KINDS
from sanyi.catalog.models import ItemVersion
from sanyi.orgs.areas import AREA_KINDS
from sanyi.orgs.models import OrgKind, OrgUnit


@dataclass(frozen=True)
class AreaOption:
    code: str  # what the form sends: a unit code, or OUTSIDE
    label: str
    subdistrict: str  # the facts the browser sets for it
    community: str


@dataclass
class EligibilityPanel:
    # Without their test cases, with the fields each reads: what the browser evaluates.
    rules: list[dict[str, Any]]
    facts: dict[str, Any]  # what the server knows (signed in) plus the answers read
    result: Eligibility
    questions: list[dict[str, Any]]  # {key, text}: every question a rule may need
    answers: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    known: dict[str, Any] = field(default_factory=dict)  # the server's facts alone

    @property
    def asked(self) -> list[str]:
        """The question keys still to answer."""
        return self.result.questions


def eligibility_panel(
    version: ItemVersion,
    *,
    known: Mapping[str, Any],
    answers: Mapping[str, Any] | None = None,
) -> EligibilityPanel | None:
    """The panel for a version with rules (None without): ``known`` are the server's facts
    about the resident, ``answers`` what the resident typed (the form without JS)."""
    rules = rules_of(version)
    if not rules:
        return None
    answered, errors = facts_from_answers(answers or {})
    # What the server knows wins over what is typed: answers only fill the gaps.
    facts = {**answered, **{k: v for k, v in known.items() if v is not None}}
    result = check_rules(rules, facts)
    wanted = set(check_rules(rules, dict(known)).questions)
    return EligibilityPanel(
        rules=[_for_browser(rule) for rule in rules],
        facts=facts,
        result=result,
        questions=[{"key": key, "text": text} for key, text in QUESTIONS.items() if key in wanted],
        answers={k: str(v) for k, v in (answers or {}).items() if k in QUESTIONS},
        errors=errors,
        known=dict(known),
    )


def _for_browser(rule: dict[str, Any]) -> dict[str, Any]:
    """A rule as the page's script reads it: the fields it reads, and which of them a
    question can settle (the others wait for the application)."""
    fields = fields_read(rule["logic"])
    return {
        "name": rule["name"],
        "logic": rule["logic"],
        "reason": rule["reason"],
        "fields": fields,
        "asked": [name for name in fields if getattr(field_of(name), "question", "")],
    }


def applicant_kind_options() -> list[tuple[str, str]]:
    return list(APPLICANT_KINDS.items())


def area_options() -> list[AreaOption]:
    """Every active subdistrict and its communities, in tree order, then "not in the
    district"."""
    units = list(
        OrgUnit.objects.filter(kind__in=AREA_KINDS, is_active=True)
        .only("id", "code", "name", "kind", "parent_id", "path")
        .order_by("path")
    )
    by_id = {unit.pk: unit for unit in units}
    options = []
    for unit in units:
        if unit.kind == OrgKind.SUBDISTRICT:
            options.append(AreaOption(unit.code, unit.name, unit.code, ""))
        elif unit.parent_id in by_id:
            parent = by_id[unit.parent_id]
            label = f"{parent.name} {unit.name}"
            options.append(AreaOption(unit.code, label, parent.code, unit.code))
    options.append(AreaOption(OUTSIDE, "不在本区", "", ""))
    return options
