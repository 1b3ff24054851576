"""Checks on the demo catalogue before the importer sees it.

``format_errors`` holds the file to docs/catalog-format.md (documented keys only, official
code values, known org units, coherent steps and links). ``quality_problems`` applies the
guide-quality rules of the domain standards (STANDARDS.md §1): published demo items must
have none, and each draft must show the problems it was written to show. Run
``python -m sanyi.catalog.demo.checks`` to print the findings for ``items.json``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from typing import Any

from sanyi.catalog.demo.build_items import (
    COMMUNITIES,
    DEPARTMENTS,
    DRAFT_PROBLEMS,
    ITEMS_PATH,
    SUBDISTRICTS,
    unit_names,
)

ITEM_KEYS = {
    "base_code",
    "implementation_code",
    "name",
    "item_type",
    "main_item",
    "handling_variants",
    "implementing_unit",
    "level",
    "power_source",
    "implementer_nature",
    "entrusting_body",
    "delegated_from",
    "legal_bases",
    "acceptance_conditions",
    "statutory_limit",
    "promised_limit",
    "handling_type",
    "visits",
    "channels",
    "online_depth",
    "online_url",
    "steps",
    "place",
    "hours",
    "fees",
    "consultation_phone",
    "complaint_phone",
    "service_objects",
    "themes_person",
    "themes_business",
    "life_events",
    "result",
    "intermediary_services",
    "joint_agencies",
    "special_procedures",
    "status",
    "effective_on",
    "materials",
    "online_payment",
    "eligibility_rules",
}
OPTIONAL_ITEM_KEYS = {
    "base_code",
    "implementation_code",
    "main_item",
    "entrusting_body",
    "delegated_from",
    "online_url",
    "intermediary_services",
    "joint_agencies",
    "special_procedures",
    "status",
    "effective_on",
    "online_payment",
    "eligibility_rules",
}
MATERIAL_KEYS = {
    "name",
    "type",
    "form",
    "necessity",
    "copies",
    "specification",
    "source",
    "source_note",
    "legal_basis",
    "acceptance_standard",
    "notes",
    "reuse",
    "reuse_days",
    "review_points",
    "common_mistakes",
}
OPTIONAL_MATERIAL_KEYS = {
    "specification",
    "source_note",
    "legal_basis",
    "acceptance_standard",
    "notes",
    "reuse",
    "reuse_days",
    "review_points",
    "common_mistakes",
}
ITEM_TYPES = {f"{n:02d}" for n in range(1, 11)} | {"20"}
LEVELS = {"1", "2", "3", "4", "5", "6"}
POWER_SOURCES = {"1", "2", "3", "4", "5", "6"}
NATURES = {"1", "2", "3"}
SERVICE_OBJECTS = {"1", "2", "3", "4", "5", "6", "9"}
CHANNELS = {"window", "online", "post", "self_service"}
ONLINE_DEPTHS = ["consult", "submit", "precheck", "accept", "handle", "result", "elicence"]
LIMIT_UNITS = {"working_day", "natural_day", "month", "none"}
UNIT_LEVELS = {"community", "subdistrict", "district", "department", "grid"}
RESULT_TYPES = {"licence", "approval", "certificate", "other", "none"}
STEP_KEYS = {"name", "actor", "description", "days", "unit_level", "role"}
FEE_KEYS = {"name", "standard", "basis", "reducible", "reduction_basis"}
LIMIT_KEYS = {"value", "unit", "note"}
AUDIENCES = {"person", "business"}

# Catch-all wording the guide rules forbid ("兜底条款"), and a vague "等" list in a name.
CATCH_ALL = re.compile(r"其他(相关)?(材料|资料|证件)|有关部门(规定|要求)的其他")
VAGUE_ETC = re.compile(r"(?<![高中初平同相对])等(?![级同])")
# Documents issued by a government agency that the district platform can fetch itself; an
# applicant should never be asked to bring them (a returned old card, "原…", is not a fetch).
GOVERNMENT_ISSUED = (
    "居民身份证",
    "居民户口簿",
    "营业执照",
    "结婚证",
    "离婚证",
    "不动产权证书",
    "残疾人证",
    "就业创业证",
    "社会保障卡",
    "居住证",
)


def _roles() -> set[str]:
    from sanyi.orgs.models import Role  # needs the app registry, so only when checking

    return {role.value for role in Role}


def _level_for(unit: str) -> str:
    if unit in DEPARTMENTS:
        return "4"
    if unit in SUBDISTRICTS:
        return "5"
    return "6" if unit in COMMUNITIES else ""


def _check_limit(where: str, value: Any) -> list[str]:
    if not isinstance(value, dict) or set(value) != LIMIT_KEYS:
        return [f"{where}：须为含 value、unit、note 的对象"]
    errors = []
    if value["unit"] not in LIMIT_UNITS:
        errors.append(f"{where}：单位“{value['unit']}”不是规定值")
    if not isinstance(value["value"], int) or value["value"] < 0:
        errors.append(f"{where}：时限须为非负整数")
    return errors


def _check_material(where: str, material: dict[str, Any]) -> list[str]:
    errors = [f"{where}：未规定的字段“{key}”" for key in sorted(set(material) - MATERIAL_KEYS)]
    missing = MATERIAL_KEYS - OPTIONAL_MATERIAL_KEYS - set(material)
    errors += [f"{where}：缺少字段“{key}”" for key in sorted(missing)]
    allowed = {
        "type": {"original", "copy", "both"},
        "form": {"paper", "electronic", "both"},
        "necessity": {"required", "optional", "deferrable"},
        "source": {"applicant", "other_agency", "shared_data"},
    }
    for key, values in allowed.items():
        if key in material and material[key] not in values:
            errors.append(f"{where}：{key}“{material[key]}”不是规定值")
    if not isinstance(material.get("copies"), int) or material.get("copies", 0) < 1:
        errors.append(f"{where}：份数须为正整数")
    return errors


def _check_item(item: dict[str, Any], names: set[str]) -> list[str]:
    label = f"事项“{item.get('name', '?')}”（{item.get('implementing_unit', '?')}）"
    errors = [f"{label}：未规定的字段“{key}”" for key in sorted(set(item) - ITEM_KEYS)]
    errors += [
        f"{label}：缺少字段“{key}”" for key in sorted(ITEM_KEYS - OPTIONAL_ITEM_KEYS - set(item))
    ]
    if errors:
        return errors
    codes = [
        ("item_type", ITEM_TYPES),
        ("level", LEVELS),
        ("power_source", POWER_SOURCES),
        ("implementer_nature", NATURES),
        ("handling_type", {"1", "2"}),
    ]
    for key, values in codes:
        if item[key] not in values:
            errors.append(f"{label}：{key}“{item[key]}”不是规定的代码")
    unit = item["implementing_unit"]
    if unit not in unit_names():
        errors.append(f"{label}：实施主体不是演示组织树中的单位")
    elif item["level"] != _level_for(unit):
        errors.append(f"{label}：行使层级与实施主体不符")
    if item["level"] == "6" and item["item_type"] != "20":
        errors.append(f"{label}：村（社区）层级只能实施公共服务")
    if item.get("delegated_from") and item["delegated_from"] not in DEPARTMENTS:
        errors.append(f"{label}：下放部门须为区级部门")
    if item["power_source"] == "2" and not item.get("delegated_from"):
        errors.append(f"{label}：权力来源为上级下放，须写明下放部门")
    if item.get("delegated_from") and item["power_source"] != "2":
        errors.append(f"{label}：有下放部门的，权力来源应为上级下放")
    if item.get("entrusting_body") and item["entrusting_body"] not in unit_names():
        errors.append(f"{label}：委托部门不是演示组织树中的单位")
    if item.get("main_item") and item["main_item"] not in names:
        errors.append(f"{label}：主项“{item['main_item']}”不在目录中")
    if not item["legal_bases"] or not any(b.get("kind") == "setting" for b in item["legal_bases"]):
        errors.append(f"{label}：至少需要一条设定依据")
    for legal_basis in item["legal_bases"]:
        if set(legal_basis) - {"title", "article", "url", "kind"} or legal_basis.get(
            "kind"
        ) not in {"setting", "implementing"}:
            errors.append(f"{label}：依据格式不对：{legal_basis}")
        elif not re.fullmatch(r"《[^《》]+》", legal_basis["title"]):
            errors.append(f"{label}：依据名称须为书名号括起的法律法规名称：{legal_basis['title']}")
    errors += _check_limit(f"{label}法定时限", item["statutory_limit"])
    errors += _check_limit(f"{label}承诺时限", item["promised_limit"])
    promised = item["promised_limit"]
    if item["handling_type"] == "1" and promised.get("value") != 1:
        errors.append(f"{label}：即办件的承诺时限应为1个工作日（当场办结）")
    if item["handling_type"] == "2" and promised.get("unit") == "none":
        errors.append(f"{label}：承诺件须写明承诺时限")
    if not isinstance(item["visits"], int) or item["visits"] < 0:
        errors.append(f"{label}：到现场次数须为非负整数")
    if not set(item["channels"]) <= CHANNELS or not item["channels"]:
        errors.append(f"{label}：办理形式不是规定值")
    if not set(item["online_depth"]) <= set(ONLINE_DEPTHS):
        errors.append(f"{label}：网办深度不是规定值")
    if (
        item["online_depth"]
        and "online" not in item["channels"]
        and item["online_depth"] != ["consult"]
    ):
        errors.append(f"{label}：网办深度超出咨询的，办理形式须含网上办理")
    roles = _roles()
    if not item["steps"]:
        errors.append(f"{label}：缺少办理流程")
    for step in item["steps"]:
        if (
            set(step) - {"handling_points"} != STEP_KEYS
            or step["unit_level"] not in UNIT_LEVELS
            or step["role"] not in roles
        ):
            errors.append(f"{label}：流程环节格式不对：{step.get('name')}")
    if item["steps"] and item["steps"][0]["role"] not in {"window_clerk", "approver"}:
        errors.append(f"{label}：第一个环节须由窗口人员或审批人员办理")
    if item["level"] == "6" and item["steps"] and item["steps"][0]["unit_level"] != "community":
        errors.append(f"{label}：社区（村）事项须由社区（村）受理")
    if promised.get("unit") == "working_day" and sum(
        s.get("days", 0) for s in item["steps"]
    ) > promised.get("value", 0):
        errors.append(f"{label}：各环节用时合计超过承诺时限")
    for fee in item["fees"]:
        if set(fee) != FEE_KEYS:
            errors.append(f"{label}：收费项目格式不对")
    if not item["service_objects"] or not set(item["service_objects"]) <= SERVICE_OBJECTS:
        errors.append(f"{label}：服务对象不是规定的代码")
    if (
        set(item["result"]) - {"name", "type", "sample"}
        or item["result"].get("type") not in RESULT_TYPES
    ):
        errors.append(f"{label}：审批结果格式不对")
    if item.get("status", "published") not in {"draft", "published"}:
        errors.append(f"{label}：状态只能是 draft 或 published")
    for index, material in enumerate(item["materials"], start=1):
        errors += _check_material(f"{label}第{index}项材料", material)
    return errors


def format_errors(document: dict[str, Any]) -> list[str]:
    """Every way the document departs from the exchange format or the demo org tree."""
    errors: list[str] = []
    if set(document) != {"format", "version", "items", "life_events"}:
        errors.append("文件顶层须且只能有 format、version、items、life_events")
        return errors
    if document["format"] != "sanyi-catalog" or document["version"] != 1:
        errors.append("format 须为 sanyi-catalog，version 须为 1")
    names = {item.get("name") for item in document["items"]}
    for item in document["items"]:
        errors += _check_item(item, names)
    pairs = Counter((item.get("name"), item.get("implementing_unit")) for item in document["items"])
    errors += [f"事项“{name}”（{unit}）重复" for (name, unit), n in pairs.items() if n > 1]
    events = {}
    for event in document["life_events"]:
        if (
            not {"name", "description", "audience", "items"} <= set(event)
            or not set(event) <= {"name", "description", "audience", "items", "fields", "steps"}
            or event["audience"] not in AUDIENCES
        ):
            errors.append(f"一件事“{event.get('name')}”格式不对")
            continue
        events[event["name"]] = event
        errors += [
            f"一件事“{event['name']}”的事项“{n}”不在目录中"
            for n in event["items"]
            if n not in names
        ]
        errors += [
            f"一件事“{event['name']}”的办理顺序中“{step.get('item')}”不是它包含的事项"
            for step in event.get("steps", [])
            if step.get("item") not in event["items"]
            or (step.get("after") and step["after"] not in event["items"])
        ]
    for item in document["items"]:
        expected = [name for name, event in events.items() if item["name"] in event["items"]]
        if item.get("life_events") != expected:
            errors.append(f"事项“{item['name']}”的一件事与一件事清单不一致")
    return errors


def _working_days_at_most(limit: dict[str, Any]) -> float | None:
    """The fewest working days a limit can mean, for comparing limits in different units."""
    unit, value = limit["unit"], limit["value"]
    if unit == "working_day":
        return value
    if unit == "natural_day":
        return value * 5 / 7
    if unit == "month":
        return value * 20
    return None


def quality_problems(item: dict[str, Any]) -> list[str]:
    """Guide-quality problems of one item, as codes (see DRAFT_PROBLEMS)."""
    problems: list[str] = []
    names = [material["name"] for material in item["materials"]]
    if any(CATCH_ALL.search(name) for name in names):
        problems.append("catch_all_material")
    if any(VAGUE_ETC.search(name) for name in names):
        problems.append("vague_material")
    if CATCH_ALL.search(item["acceptance_conditions"]) or VAGUE_ETC.search(
        item["acceptance_conditions"]
    ):
        problems.append("vague_conditions")
    if not item["acceptance_conditions"].strip():
        problems.append("empty_conditions")
    if any("证明" in m["name"] and not m.get("legal_basis") for m in item["materials"]):
        problems.append("proof_without_basis")
    if len(set(names)) != len(names):
        problems.append("duplicate_material")
    if any(
        m["source"] != "shared_data"
        and not m["name"].startswith(("原", "《"))
        and any(doc in m["name"] for doc in GOVERNMENT_ISSUED)
        for m in item["materials"]
    ):
        problems.append("other_agency_not_shared")
    statutory = _working_days_at_most(item["statutory_limit"])
    promised = item["promised_limit"]
    if (
        statutory is not None
        and promised["unit"] != "none"
        and (
            promised["value"] > item["statutory_limit"]["value"]
            or (_working_days_at_most(promised) or 0) > statutory
        )
    ):
        problems.append("promised_exceeds_statutory")
    full_online = set(item["online_depth"]) == set(ONLINE_DEPTHS)
    if full_online and item["visits"] > 0:
        problems.append("full_online_with_visits")
    if item["visits"] == 0 and not full_online and "post" not in item["channels"]:
        problems.append("zero_visits_without_route")
    if not item["consultation_phone"] or not item["complaint_phone"]:
        problems.append("missing_phone")
    elif item["consultation_phone"] == item["complaint_phone"]:
        problems.append("same_phones")
    for fee in item["fees"]:
        if not fee["basis"].strip():
            problems.append("fee_without_basis")
        if "online" not in item["channels"]:
            problems.append("fee_without_online_payment")
    return sorted(set(problems))


def document_findings(document: dict[str, Any]) -> list[str]:
    """Format errors, problems in published items, and drafts missing their planted problems."""
    findings = format_errors(document)
    if findings:
        return findings
    for item in document["items"]:
        problems = quality_problems(item)
        label = f"事项“{item['name']}”（{item['implementing_unit']}）"
        if item.get("status", "published") == "published" and problems:
            findings.append(f"{label}：已发布事项有指南质量问题 {problems}")
        if item.get("status") == "draft":
            planted = DRAFT_PROBLEMS.get(item["name"], [])
            missing = sorted(set(planted) - set(problems))
            if not planted or missing:
                findings.append(f"{label}：草稿应带有的问题未出现 {missing or '（未登记）'}")
    return findings


def main() -> int:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
    django.setup()
    document = json.loads(ITEMS_PATH.read_text(encoding="utf-8"))
    findings = document_findings(document)
    for finding in findings:
        print(finding)
    print(f"{len(document['items'])} 个事项，{len(findings)} 个问题")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
