"""Checking an import document and planning each item before anything is written: every
problem is collected, with its JSON path or workbook cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from sanyi.catalog import codes
from sanyi.catalog.choices import (
    ImplementerNature,
    ItemLevel,
    ItemType,
    LifeEventAudience,
    PowerSource,
    VersionStatus,
)
from sanyi.catalog.exchange._common import (
    FORMAT_NAME,
    FORMAT_VERSION,
    IDENTITY_KEYS,
    REQUIRED_IDENTITY,
    ImportProblem,
    PlannedItem,
    UnitIndex,
)
from sanyi.catalog.guide import (
    FieldError,
    clean_guide,
    parse_date,
)
from sanyi.catalog.lint import Severity, lint_guide


def _check_document(document: Any) -> list[ImportProblem]:
    if not isinstance(document, dict):
        return [ImportProblem("", "文件内容应为一个JSON对象")]
    problems = []
    unknown = sorted(set(document) - {"format", "version", "items", "life_events"})
    problems += [ImportProblem(k, f"未知字段“{k}”") for k in unknown]
    if document.get("format") != FORMAT_NAME:
        problems.append(ImportProblem("format", f"format应为“{FORMAT_NAME}”"))
    if document.get("version") != FORMAT_VERSION:
        problems.append(ImportProblem("version", f"本系统读取第{FORMAT_VERSION}版格式"))
    if not isinstance(document.get("items"), list):
        problems.append(ImportProblem("items", "items应为事项列表"))
    if not isinstance(document.get("life_events", []), list):
        problems.append(ImportProblem("life_events", "life_events应为列表"))
    return problems


@dataclass
class _FieldReader:
    """Reads one raw item's scalar fields, listing each bad value in ``errors``."""

    raw: dict
    errors: list[FieldError]

    def text(self, key: str, label: str, max_length: int = 200) -> str:
        value = self.raw.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.errors.append(FieldError(key, f"{label}应为文字"))
            return ""
        value = value.strip()
        if len(value) > max_length:
            self.errors.append(FieldError(key, f"{label}最多{max_length}个字"))
        return value

    def code(self, key: str, label: str, choices) -> str:
        value = self.raw.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value not in choices.values:
            if key in self.raw:
                allowed = "、".join(f"{v}（{lbl}）" for v, lbl in choices.choices)
                self.errors.append(
                    FieldError(key, f"{label}“{value}”不在代码表中，可选：{allowed}")
                )
            return ""
        return value


def _plan_item(
    index: int, raw: Any, units: UnitIndex, as_draft: bool
) -> tuple[PlannedItem, list[FieldError]]:
    """Plan one raw item without writing anything: its identity, status, life events and
    cleaned guide, with every problem as a ``FieldError`` on its field path."""
    plan = PlannedItem(index=index, raw=raw if isinstance(raw, dict) else {})
    errors: list[FieldError] = []
    if not isinstance(raw, dict):
        return plan, [FieldError("", "事项应为对象")]
    guide_keys = set(clean_guide({})[0])
    for key in sorted(set(raw) - set(IDENTITY_KEYS) - guide_keys):
        errors.append(FieldError(key, f"未知字段“{key}”（请核对拼写）"))
    for key in REQUIRED_IDENTITY:
        if key not in raw:
            errors.append(FieldError(key, f"缺少字段“{key}”"))

    read = _FieldReader(raw, errors)
    _plan_identity(plan, read, units)
    status = raw.get("status", VersionStatus.PUBLISHED)
    if status not in (VersionStatus.DRAFT, VersionStatus.PUBLISHED):
        errors.append(FieldError("status", "状态只能是draft（草稿）或published（已发布）"))
    plan.status = VersionStatus.DRAFT if as_draft else status
    plan.effective_on = parse_date(raw.get("effective_on"), "effective_on", "生效日期", errors)
    events = raw.get("life_events", [])
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        errors.append(FieldError("life_events", "所属“一件事”应为名称列表"))
    else:
        plan.life_events = list(dict.fromkeys(e.strip() for e in events if e.strip()))
    guide, guide_errors = clean_guide(
        {k: v for k, v in raw.items() if k in guide_keys}, require_all=True
    )
    plan.guide = guide
    errors += guide_errors
    if not guide_errors and plan.item_type:
        findings = lint_guide(guide, item_type=plan.item_type)
        plan.lint_errors = any(f.severity == Severity.ERROR for f in findings)
    return plan, errors


def _plan_identity(plan: PlannedItem, read: _FieldReader, units: UnitIndex) -> None:
    """Plan the identity of an item: name, type, level, units, main item and codes."""
    raw, errors = read.raw, read.errors
    plan.name = read.text("name", "事项名称")
    if "name" in raw and not plan.name:
        errors.append(FieldError("name", "事项名称不能为空"))
    plan.item_type = read.code("item_type", "事项类型", ItemType)
    plan.identity = {
        "level": read.code("level", "行使层级", ItemLevel),
        "power_source": read.code("power_source", "权力来源", PowerSource),
        "implementer_nature": read.code("implementer_nature", "实施主体性质", ImplementerNature),
        "entrusting_body": read.text("entrusting_body", "委托部门"),
    }
    if plan.identity["level"] == ItemLevel.COMMUNITY and plan.item_type not in (
        "",
        ItemType.PUBLIC_SERVICE,
    ):
        errors.append(FieldError("level", "村（社区）级只能实施公共服务事项"))
    for key, label in (("implementing_unit", "实施主体"), ("delegated_from", "下放单位")):
        if key == "delegated_from" and raw.get(key) in (None, ""):
            continue
        try:
            setattr(
                plan,
                "unit" if key == "implementing_unit" else key,
                units.resolve(raw.get(key), label),
            )
        except ValidationError as exc:
            errors.append(FieldError(key, exc.messages[0]))
    plan.identity["delegated_from"] = plan.delegated_from
    plan.main_ref = read.text("main_item", "主项")
    plan.base_code = read.text("base_code", "基本编码", 20).upper()
    plan.implementation_code = read.text("implementation_code", "实施编码", 40).upper()
    if plan.base_code and plan.item_type:
        try:
            plan.base_code = codes.validate_base_code(plan.base_code, item_type=plan.item_type)
        except ValidationError as exc:
            errors.append(FieldError("base_code", exc.messages[0]))
    if plan.implementation_code and plan.unit is not None:
        try:
            plan.implementation_code = codes.validate_implementation_code(
                plan.implementation_code, unit=plan.unit
            )
        except ValidationError as exc:
            errors.append(FieldError("implementation_code", exc.messages[0]))


def _check_life_events(raw_events: list, problems: list[ImportProblem]) -> list[dict]:
    events = []
    for i, raw in enumerate(raw_events):
        where = f"life_events[{i}]"
        if not isinstance(raw, dict):
            problems.append(ImportProblem(where, "“一件事”应为对象"))
            continue
        unknown = sorted(set(raw) - {"name", "description", "audience", "items", "fields", "steps"})
        problems += [ImportProblem(f"{where}.{k}", f"未知字段“{k}”") for k in unknown]
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(ImportProblem(f"{where}.name", "“一件事”名称不能为空"))
            continue
        audience = raw.get("audience", LifeEventAudience.PERSON)
        if audience not in LifeEventAudience.values:
            problems.append(ImportProblem(f"{where}.audience", "面向对象应为person或business"))
        items = raw.get("items", [])
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            problems.append(ImportProblem(f"{where}.items", "包含事项应为事项名称列表"))
            items = []
        description = raw.get("description", "")
        if not isinstance(description, str):
            problems.append(ImportProblem(f"{where}.description", "说明应为文字"))
            description = ""
        events.append(
            {
                "index": i,
                "name": name.strip(),
                "description": description.strip(),
                "audience": audience,
                "items": [x.strip() for x in items],
                "fields": raw.get("fields", []),
                "steps": raw.get("steps", []),
            }
        )
    return events
