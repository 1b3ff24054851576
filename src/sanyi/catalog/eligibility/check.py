"""Checking an applicant against an item's eligibility rules ("看看我能不能办").

Facts come from two places: the server (fact sources other apps register: the cases app
works out age, area, applicant kind, e-licences and open cases for a known applicant) and
the resident's answers to the questions left over. A rule whose facts are all known passes
or fails; a rule missing a fact is left open and its question is asked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_noop

from sanyi.catalog.eligibility.logic import evaluate, fields_read, logic_problems
from sanyi.catalog.eligibility.vocabulary import QUESTIONS, field_of
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.orgs.areas import area_by_code

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
OUTSIDE = "outside"  # the area answer of a resident who does not live in the district
APPLICANT_KINDS = {"person": gettext_noop("个人"), "organisation": gettext_noop("企业或其他组织")}
MAX_AGE = 150

FactSource = Callable[[HttpRequest, ImplementationItem], dict[str, Any]]
_SOURCES: list[FactSource] = []
# A chosen applicant (by id) for staff: (the applicant's masked name, the facts), or None
# when there is no such applicant.
ApplicantSource = Callable[[int, ItemVersion], "tuple[str, dict[str, Any]] | None"]
_APPLICANT_SOURCES: list[ApplicantSource] = []


def register_fact_source(source: FactSource) -> None:
    """Let an app add the facts it knows about the person behind a request (once, from
    its ``ready()``)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def request_facts(request: HttpRequest, item: ImplementationItem) -> dict[str, Any]:
    """What the server knows about the person behind the request (empty when nobody is
    signed in)."""
    facts: dict[str, Any] = {}
    for source in _SOURCES:
        facts.update(source(request, item))
    return facts


def register_applicant_source(source: ApplicantSource) -> None:
    """Let the app that knows applicants work out a chosen applicant's facts (once, from
    its ``ready()``)."""
    if source not in _APPLICANT_SOURCES:
        _APPLICANT_SOURCES.append(source)


def applicant_facts_by_id(
    applicant_id: int, version: ItemVersion
) -> tuple[str, dict[str, Any]] | None:
    """The masked name and the facts of applicant ``applicant_id`` for ``version``'s rules
    (None when no app knows the applicant). The caller checks who may ask."""
    for source in _APPLICANT_SOURCES:
        found = source(applicant_id, version)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class RuleResult:
    name: str
    reason: str
    status: str  # PASS, FAIL or UNKNOWN
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Eligibility:
    results: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool | None:
        """False when a rule fails, True when every rule passes, None while one is open."""
        if any(r.status == FAIL for r in self.results):
            return False
        return True if all(r.status == PASS for r in self.results) else None

    @property
    def reasons(self) -> list[str]:
        return [r.reason for r in self.results if r.status == FAIL]

    @property
    def questions(self) -> list[str]:
        """The questions (keys of QUESTIONS) that would settle the open rules."""
        wanted = set()
        for result in self.results:
            for name in result.missing:
                field = field_of(name)
                if field is not None and field.question:
                    wanted.add(field.question)
        return [key for key in QUESTIONS if key in wanted]

    @property
    def unchecked(self) -> list[str]:
        """Open rules no question can settle: checked when the applicant applies."""
        return [
            r.name
            for r in self.results
            if r.status == UNKNOWN
            and all(not getattr(field_of(n), "question", "") for n in r.missing)
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "reasons": self.reasons,
            "questions": self.questions,
            "unchecked": self.unchecked,
            "rules": [
                {"name": r.name, "status": r.status, "reason": r.reason, "missing": r.missing}
                for r in self.results
            ],
        }


def rules_of(version: ItemVersion) -> list[dict[str, Any]]:
    """The version's rules in the exchange format (uses the prefetched rows if any)."""
    rows = sorted(version.eligibility_rules.all(), key=lambda row: row.position)
    return [{"name": r.name, "logic": r.logic, "reason": r.reason, "tests": r.tests} for r in rows]


def check_rules(rules: list[dict[str, Any]], facts: Mapping[str, Any]) -> Eligibility:
    """Every rule against the facts known so far."""
    results = []
    for rule in rules:
        logic = rule["logic"]
        missing = tuple(name for name in fields_read(logic) if facts.get(name) is None)
        if missing or logic_problems(logic):
            results.append(RuleResult(rule["name"], rule["reason"], UNKNOWN, missing))
            continue
        try:
            passed = evaluate(logic, dict(facts))
        except Exception:  # lint keeps broken rules from being published; stay open
            results.append(RuleResult(rule["name"], rule["reason"], UNKNOWN))
            continue
        results.append(RuleResult(rule["name"], rule["reason"], PASS if passed else FAIL))
    return Eligibility(tuple(results))


def facts_from_answers(answers: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The facts a resident's answers give, and a plain message for each answer that
    cannot be read (by question key). Blank answers give no fact."""
    facts: dict[str, Any] = {}
    errors: dict[str, str] = {}
    kind = _answer(answers, "applicant_kind")
    if kind:
        if kind in APPLICANT_KINDS:
            facts["applicant_kind"] = kind
        else:
            errors["applicant_kind"] = "请选择以个人还是以企业（单位）身份办理"
    age = _answer(answers, "age")
    if age:
        if age.isdigit() and int(age) <= MAX_AGE:
            facts["age"] = int(age)
        else:
            errors["age"] = f"年龄请填写0到{MAX_AGE}之间的整数（周岁）"
    area = _answer(answers, "area")
    if area == OUTSIDE:
        facts.update(in_district=False, subdistrict="", community="")
    elif area:
        found = area_by_code(area)
        if found is None:
            errors["area"] = "没有找到这个街道或社区，请从列表中选择"
        else:
            facts.update(area_facts(found.subdistrict.code, found.community))
    return facts, errors


def area_facts(subdistrict_code: str, community: Any) -> dict[str, Any]:
    return {
        "in_district": True,
        "subdistrict": subdistrict_code,
        "community": community.code if community is not None else "",
    }


def _answer(answers: Mapping[str, Any], key: str) -> str:
    value = answers.get(key)
    return str(value).strip()[:40] if value is not None else ""
