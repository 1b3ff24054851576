"""The workbook's columns (Chinese headers, one sheet per kind of row) and the conversion
of each cell to and from the document's values.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sanyi.catalog.choices import (
    Channel,
    HandlingType,
    ImplementerNature,
    ItemLevel,
    ItemType,
    LegalBasisKind,
    LifeEventAudience,
    LimitUnit,
    MaterialForm,
    MaterialNecessity,
    MaterialReuse,
    MaterialSource,
    MaterialType,
    OnlineDepth,
    PowerSource,
    ResultType,
    ServiceObject,
    StepUnitLevel,
    VersionStatus,
)
from sanyi.catalog.eligibility.format import tests_from_text, tests_text
from sanyi.catalog.guide import (
    CHILD_KEYS,
)
from sanyi.orgs.models import Role


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # path inside the item / child row, e.g. "statutory_limit.value"
    kind: str = "text"  # text, int, bool, date, choice, multi, list, json, tests
    choices: Any = None
    help: str = ""
    # Added after workbooks were in use: a workbook without the column still imports
    # (the value is left out, i.e. the default).
    optional: bool = False


ITEM_COLUMNS = [
    Column("事项编号", "_key", help="本文件内唯一，材料、收费等工作表用它关联事项；可填实施编码"),
    Column("基本编码", "base_code", help="不填则按编码规则生成"),
    Column("实施编码", "implementation_code", help="不填则按编码规则生成"),
    Column("事项名称", "name"),
    Column("事项类型", "item_type", "choice", ItemType),
    Column("主项", "main_item", help="子项填写主项的名称或基本编码"),
    Column("实施主体", "implementing_unit", help="区划代码、统一社会信用代码或单位全称"),
    Column("行使层级", "level", "choice", ItemLevel),
    Column("权力来源", "power_source", "choice", PowerSource),
    Column("实施主体性质", "implementer_nature", "choice", ImplementerNature),
    Column("委托部门", "entrusting_body"),
    Column("下放单位", "delegated_from", help="下放事项填写下放的单位"),
    Column("受理条件", "acceptance_conditions"),
    Column("法定办结时限", "statutory_limit.value", "int"),
    Column("法定时限单位", "statutory_limit.unit", "choice", LimitUnit),
    Column("法定时限说明", "statutory_limit.note"),
    Column("承诺办结时限", "promised_limit.value", "int"),
    Column("承诺时限单位", "promised_limit.unit", "choice", LimitUnit),
    Column("承诺时限说明", "promised_limit.note"),
    Column("办件类型", "handling_type", "choice", HandlingType),
    Column("到办事现场次数", "visits", "int"),
    Column("办理形式", "channels", "multi", Channel),
    Column("网办深度", "online_depth", "multi", OnlineDepth),
    Column("网办地址", "online_url"),
    Column("网上支付", "online_payment", "bool"),
    Column("办理地点", "place"),
    Column("办理时间", "hours"),
    Column("咨询电话", "consultation_phone"),
    Column("监督投诉电话", "complaint_phone"),
    Column("服务对象", "service_objects", "multi", ServiceObject),
    Column("面向自然人主题", "themes_person", "list"),
    Column("面向法人主题", "themes_business", "list"),
    Column("所属一件事", "life_events", "list"),
    Column("审批结果名称", "result.name"),
    Column("审批结果类型", "result.type", "choice", ResultType),
    Column("审批结果样本", "result.sample"),
    Column("中介服务", "intermediary_services"),
    Column("联办机构", "joint_agencies", "list"),
    Column("特别程序", "special_procedures"),
    Column("状态", "status", "choice", VersionStatus, help="草稿或已发布；不填为已发布"),
    Column("生效日期", "effective_on", "date"),
]
ITEM_KEY = Column("事项编号", "_key", help="对应“事项”工作表的事项编号")
CHILD_SHEETS: dict[str, tuple[str, list[Column]]] = {
    "materials": (
        "材料",
        [
            ITEM_KEY,
            Column("材料名称", "name"),
            Column("材料类型", "type", "choice", MaterialType),
            Column("材料形式", "form", "choice", MaterialForm),
            Column("必要性", "necessity", "choice", MaterialNecessity),
            Column("份数", "copies", "int"),
            Column("规格", "specification"),
            Column("来源渠道", "source", "choice", MaterialSource),
            Column("来源说明", "source_note"),
            Column("要求提供材料的依据", "legal_basis"),
            Column("受理标准", "acceptance_standard"),
            Column("填报须知", "notes"),
            Column(
                "复用期限",
                "reuse",
                "choice",
                MaterialReuse,
                help="审核合格的材料以后可复用多久；不填按平台默认期限",
                optional=True,
            ),
            Column(
                "复用天数",
                "reuse_days",
                "int",
                help="复用期限为“受理审核后若干天内”时填写天数",
                optional=True,
            ),
            Column(
                "审查要点",
                "review_points",
                help="业务手册：窗口人员收件时核对什么",
                optional=True,
            ),
            Column("常见问题", "common_mistakes", help="业务手册：申请人常出的差错", optional=True),
        ],
    ),
    "fees": (
        "收费",
        [
            ITEM_KEY,
            Column("收费项目名称", "name"),
            Column("收费标准", "standard"),
            Column("收费依据", "basis"),
            Column("是否允许减免", "reducible", "bool"),
            Column("减免依据", "reduction_basis"),
        ],
    ),
    "steps": (
        "流程",
        [
            ITEM_KEY,
            Column("环节名称", "name"),
            Column("办理人员", "actor"),
            Column("办理内容", "description"),
            Column("环节时限（工作日）", "days", "int"),
            Column("办理层级", "unit_level", "choice", StepUnitLevel),
            Column("办理角色", "role", "choice", Role),
            Column(
                "办理要点",
                "handling_points",
                help="业务手册：本环节工作人员做什么、看什么",
                optional=True,
            ),
        ],
    ),
    "legal_bases": (
        "依据",
        [
            ITEM_KEY,
            Column("法律法规名称", "title"),
            Column("条款", "article"),
            Column("链接", "url"),
            Column("依据类别", "kind", "choice", LegalBasisKind),
        ],
    ),
    "handling_variants": (
        "业务办理项",
        [
            ITEM_KEY,
            Column("业务办理项名称", "name"),
            Column("业务办理项编码", "code"),
            Column("说明", "note"),
        ],
    ),
    "eligibility_rules": (
        "受理条件规则",
        [
            ITEM_KEY,
            Column("规则名称", "name"),
            Column(
                "判断规则（JSON Logic）",
                "logic",
                "json",
                help='如 {">=": [{"var": "age"}, 60]}；可用字段见 docs/catalog.md 的字段表',
            ),
            Column("不符合时的说明", "reason"),
            Column(
                "测试用例",
                "tests",
                "tests",
                help="每行一个：字段=值；字段=值 → 符合（或不符合），如 age=59 → 不符合",
            ),
        ],
    ),
}
# A workbook without the 受理条件规则 sheet (an older template) keeps the items' rules.
RULES_KEY = "eligibility_rules"
EVENT_COLUMNS = [
    Column("名称", "name"),
    Column("说明", "description"),
    Column("面向对象", "audience", "choice", LifeEventAudience),
    Column("包含事项", "items", "list", help="事项名称，用“、”分隔"),
]
LIST_SEPARATORS = "、,，;；\n"
OPTIONAL_CHILD_COLUMNS = {key: set(CHILD_KEYS[key][1]) for key in CHILD_KEYS}
OPTIONAL_CHILD_COLUMNS["eligibility_rules"] = set()


class UnreadableCell(str):
    """A cell the workbook reader could not turn into a value: the text is the plain
    message, reported at the cell (a JSON expression or test case that does not parse)."""


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _cell_out(column: Column, value: Any) -> Any:
    if column.kind == "choice":
        return column.choices(value).label if value in column.choices.values else value
    if column.kind == "multi":
        return "、".join(column.choices(v).label for v in value)
    if column.kind == "list":
        return "、".join(value)
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if column.kind == "tests":
        return tests_text(value or [])
    return value


def _get(data: dict, key: str) -> Any:
    head, _, tail = key.partition(".")
    value = data.get(head)
    return value.get(tail) if tail and isinstance(value, dict) else value


def _choice_in(column: Column, value: Any) -> Any:
    """A cell's label or code → the code; anything else goes through unchanged so the
    validation names it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
        for candidate in (text, text.zfill(2)):
            if candidate in column.choices.values:
                return candidate
        return text
    text = str(value).strip()
    if text in column.choices.values:
        return text
    by_label = {label: code for code, label in column.choices.choices}
    if text in by_label:
        return by_label[text]
    head = text.split(" ")[0].split("（")[0]
    if head in column.choices.values:
        return head
    return text


def _split(value: Any) -> list[str]:
    text = str(value)
    for sep in LIST_SEPARATORS[1:]:
        text = text.replace(sep, LIST_SEPARATORS[0])
    return [part.strip() for part in text.split(LIST_SEPARATORS[0]) if part.strip()]


def _cell_in(column: Column, value: Any) -> Any:
    empty = value is None or (isinstance(value, str) and not value.strip())
    if column.kind == "text":
        if empty:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()
    if column.kind == "int":
        if empty:
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        return value
    if column.kind == "bool":
        if empty:
            return False
        if isinstance(value, bool):
            return value
        return {"是": True, "否": False}.get(str(value).strip(), str(value))
    if column.kind == "date":
        if empty:
            return None
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        return value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    if column.kind == "choice":
        return "" if empty else _choice_in(column, value)
    if column.kind == "multi":
        return [] if empty else [_choice_in(column, part) for part in _split(value)]
    if column.kind == "list":
        return [] if empty else _split(value)
    if column.kind == "json":
        try:
            return None if empty else json.loads(str(value))
        except ValueError as exc:
            where = f"第{exc.lineno}行第{exc.colno}列附近"  # type: ignore[attr-defined]
            return UnreadableCell(f"不是有效的 JSON：{where}有错")
    if column.kind == "tests":
        try:
            return [] if empty else tests_from_text(str(value))
        except ValueError as exc:
            return UnreadableCell(str(exc))
    raise ValueError(column.kind)


def _set(data: dict, key: str, value: Any) -> None:
    head, _, tail = key.partition(".")
    if tail:
        data.setdefault(head, {})[tail] = value
    else:
        data[head] = value
