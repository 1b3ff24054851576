"""The demo items' eligibility rules (受理条件规则), by item name: only conditions a
resident's own facts settle, each with a plain reason and its own test cases."""

from __future__ import annotations

from typing import Any


def rule(name: str, logic: dict, reason: str, *tests: tuple[dict, bool]) -> dict[str, Any]:
    return {
        "name": name,
        "logic": logic,
        "reason": reason,
        "tests": [{"facts": facts, "expected": expected} for facts, expected in tests],
    }


PERSON_ONLY = rule(
    "个人申请",
    {"==": [{"var": "applicant_kind"}, "person"]},
    "这个事项由个人（本人或家属代办）申请，企业或单位不能申请。",
    ({"applicant_kind": "person"}, True),
    ({"applicant_kind": "organisation"}, False),
)
BUSINESS_ONLY = rule(
    "企业申请",
    {"==": [{"var": "applicant_kind"}, "organisation"]},
    "这个事项由企业或其他组织申请，个人不能申请。",
    ({"applicant_kind": "organisation"}, True),
    ({"applicant_kind": "person"}, False),
)
LIVES_IN_DISTRICT = rule(
    "住在本区",
    {"==": [{"var": "in_district"}, True]},
    "这个事项只受理住在本区的居民的申请。",
    ({"in_district": True, "subdistrict": "S1", "community": ""}, True),
    ({"in_district": False, "subdistrict": "", "community": ""}, False),
)
NO_OPEN_CASE = rule(
    "没有在办的同一事项",
    {"!": [{"var": "has_open_case"}]},
    "您已经有一件同样的申请正在办理，请等它办完后再申请。",
    ({"has_open_case": False}, True),
    ({"has_open_case": True}, False),
)

RULES_BY_ITEM: dict[str, list[dict[str, Any]]] = {
    "高龄津贴申请": [
        rule(
            "年满80周岁",
            {">=": [{"var": "age"}, 80]},
            "高龄津贴发给年满80周岁的老年人，您还不到80周岁。",
            ({"age": 80}, True),
            ({"age": 95}, True),
            ({"age": 79}, False),
            ({"age": 69}, False),
        ),
        LIVES_IN_DISTRICT,
        PERSON_ONLY,
    ],
    "老年人优待证办理": [
        rule(
            "年满60周岁",
            {">=": [{"var": "age"}, 60]},
            "老年人优待证发给年满60周岁的老年人，您还不到60周岁。",
            ({"age": 60}, True),
            ({"age": 88}, True),
            ({"age": 59}, False),
            ({"age": 35}, False),
        ),
        PERSON_ONLY,
    ],
    "劳务派遣经营许可": [BUSINESS_ONLY],
    "失业保险金申领": [PERSON_ONLY, NO_OPEN_CASE],
    "公共租赁住房保障申请": [PERSON_ONLY, LIVES_IN_DISTRICT, NO_OPEN_CASE],
}
