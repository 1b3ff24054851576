"""Eligibility rules (受理条件规则): machine-checkable conditions of an item, stored with
the item version as JSON Logic, checked on the guide page ("看看我能不能办"), when a
resident applies online and at the window (docs/catalog.md, "Eligibility rules";
docs/adr/0016-eligibility-rules.md).

This package is the public surface: the vocabulary of known fields, the format checks,
the evaluator and the check of an applicant's facts against a version's rules.
"""

from sanyi.catalog.eligibility.check import (
    FAIL,
    OUTSIDE,
    PASS,
    UNKNOWN,
    Eligibility,
    RuleResult,
    applicant_facts_by_id,
    area_facts,
    check_rules,
    facts_from_answers,
    register_applicant_source,
    register_fact_source,
    request_facts,
    rules_of,
)
from sanyi.catalog.eligibility.format import clean_rules
from sanyi.catalog.eligibility.logic import (
    evaluate,
    failing_tests,
    fields_read,
    logic_problems,
    unknown_fields,
)
from sanyi.catalog.eligibility.vocabulary import (
    FIELDS,
    LICENCE_PREFIX,
    QUESTIONS,
    Field,
    field_of,
    vocabulary,
)

__all__ = [
    "FAIL",
    "FIELDS",
    "LICENCE_PREFIX",
    "OUTSIDE",
    "PASS",
    "QUESTIONS",
    "UNKNOWN",
    "Eligibility",
    "Field",
    "RuleResult",
    "applicant_facts_by_id",
    "area_facts",
    "check_rules",
    "clean_rules",
    "evaluate",
    "facts_from_answers",
    "failing_tests",
    "field_of",
    "fields_read",
    "logic_problems",
    "register_applicant_source",
    "register_fact_source",
    "request_facts",
    "rules_of",
    "unknown_fields",
    "vocabulary",
]
