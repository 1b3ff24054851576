"""The known fields (事实) an eligibility rule may read, in plain words.

A rule's JSON Logic reads facts with ``{"var": "<field>"}``. Only the fields listed here
exist; lint reports any other name as an error. Facts come from the server when it knows
the applicant (signed in online, or the applicant at the window) and otherwise from the
resident's answers to the questions below (docs/catalog.md, "Eligibility rules").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

# A rule may ask whether the applicant holds a valid e-licence of a given name:
# ``has_licence:食品经营许可证``.
LICENCE_PREFIX = "has_licence:"


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # plain Chinese, for messages and the documentation
    kind: str  # "number", "text" or "boolean"
    # The question that asks for it when the server cannot work it out ("" = never asked:
    # only the server knows, e.g. the applicant's own cases).
    question: str
    source: str  # where the server takes it from


FIELDS: dict[str, Field] = {
    field.name: field
    for field in (
        Field(
            "age",
            "年龄（周岁）",
            "number",
            "age",
            "自然人申请人身份证号码中的出生日期，按申请当天计算",
        ),
        Field(
            "applicant_kind",
            "申请人类型：person（个人）或 organisation（企业或其他组织）",
            "text",
            "applicant_kind",
            "申请人档案的类型",
        ),
        Field(
            "in_district",
            "是否住在本区（是/否）",
            "boolean",
            "area",
            "申请人联系地址中的街道或社区名称",
        ),
        Field(
            "subdistrict",
            "所在街道的单位编码",
            "text",
            "area",
            "申请人联系地址中的街道或社区名称",
        ),
        Field(
            "community",
            "所在社区的单位编码（不知道社区时为空）",
            "text",
            "area",
            "申请人联系地址中的社区名称",
        ),
        Field(
            "has_open_case",
            "同一事项是否有尚未办结的办件（是/否）",
            "boolean",
            "",
            "申请人本人在办的办件",
        ),
    )
}

LICENCE_FIELD = Field(
    LICENCE_PREFIX + "<证照名称>",
    "是否持有该名称的有效电子证照（是/否）",
    "boolean",
    "",
    "申请人持有的电子证照",
)

# The questions a resident may be asked, in the order the page shows them.
# Plain strings (the API sends them as they are); marked so the page can translate them.
QUESTIONS: dict[str, str] = {
    "applicant_kind": gettext_noop("您是以个人还是以企业（单位）身份办理？"),
    "age": gettext_noop("您今年多少周岁？"),
    "area": gettext_noop("您住在哪个街道、社区？"),
}


def field_of(name: str) -> Field | None:
    """The field a variable name stands for, or None when no such field exists."""
    if name.startswith(LICENCE_PREFIX):
        return LICENCE_FIELD if name[len(LICENCE_PREFIX) :].strip() else None
    return FIELDS.get(name)


def vocabulary() -> list[Field]:
    """Every field, for the documentation and the API."""
    return [*FIELDS.values(), LICENCE_FIELD]
