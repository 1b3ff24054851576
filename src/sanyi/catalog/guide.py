"""The guide content of a version as one plain dict, in the keys of docs/catalog-format.md.

Services, the importer and the diff all speak this shape: ``clean_guide`` checks and
normalises it (every problem with its field path, e.g. ``materials[2].type``),
``write_guide`` stores it on a draft version, ``guide_of`` reads it back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from sanyi.catalog.choices import (
    Channel,
    HandlingType,
    LegalBasisKind,
    LimitUnit,
    MaterialForm,
    MaterialNecessity,
    MaterialReuse,
    MaterialSource,
    MaterialType,
    OnlineDepth,
    ResultType,
    ServiceObject,
    StepUnitLevel,
)
from sanyi.catalog.eligibility.format import clean_rules
from sanyi.catalog.models import (
    EligibilityRule,
    Fee,
    HandlingVariant,
    ItemVersion,
    LegalBasis,
    Material,
    ProcessStep,
)
from sanyi.core.links import link_problem
from sanyi.orgs.models import Role


@dataclass(frozen=True)
class FieldError:
    path: str  # e.g. "materials[2].name"
    message: str  # plain Chinese

    def __str__(self) -> str:
        return f"{self.path}：{self.message}"


class GuideInvalid(Exception):
    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("；".join(str(e) for e in errors))


# Chinese names of the keys, for messages and the Excel columns.
FIELD_LABELS: dict[str, str] = {
    "handling_variants": "业务办理项",
    "legal_bases": "设定依据",
    "acceptance_conditions": "受理条件",
    "statutory_limit": "法定办结时限",
    "promised_limit": "承诺办结时限",
    "handling_type": "办件类型",
    "visits": "到办事现场次数",
    "channels": "办理形式",
    "online_depth": "网办深度",
    "online_url": "网办地址",
    "online_payment": "网上支付",
    "steps": "办理流程",
    "place": "办理地点",
    "hours": "办理时间",
    "fees": "收费",
    "consultation_phone": "咨询电话",
    "complaint_phone": "监督投诉电话",
    "service_objects": "服务对象",
    "themes_person": "面向自然人主题",
    "themes_business": "面向法人主题",
    "result": "审批结果",
    "intermediary_services": "中介服务",
    "joint_agencies": "联办机构",
    "special_procedures": "特别程序",
    "materials": "申请材料",
    "eligibility_rules": "受理条件规则",
}

SCALAR_TEXT = {
    "acceptance_conditions": 20000,
    "online_url": 500,
    "place": 500,
    "hours": 500,
    "consultation_phone": 100,
    "complaint_phone": 100,
    "intermediary_services": 5000,
    "special_procedures": 5000,
}
# Fields holding a link a resident follows from the guide page.
LINK_KEYS = {"online_url"}
CHILD_LINK_KEYS = {("legal_bases", "url")}
OPTIONAL_KEYS = {
    "online_url",
    "online_payment",
    "intermediary_services",
    "joint_agencies",
    "special_procedures",
    "eligibility_rules",
}
GUIDE_KEYS = tuple(FIELD_LABELS)

# Child rows: key → (required keys, optional keys).
CHILD_KEYS = {
    "materials": (
        ("name", "type", "form", "necessity", "copies", "source"),
        (
            "specification",
            "source_note",
            "legal_basis",
            "acceptance_standard",
            "notes",
            "reuse",
            "reuse_days",
            "review_points",
            "common_mistakes",
        ),
    ),
    "fees": (("name", "standard", "basis", "reducible", "reduction_basis"), ()),
    "steps": (("name", "actor", "description", "unit_level", "role"), ("days", "handling_points")),
    "legal_bases": (("title", "article", "kind"), ("url",)),
    "handling_variants": (("name",), ("code", "note")),
}
CHILD_TEXT_LIMITS = {
    "materials": {
        "name": 300,
        "specification": 200,
        "source_note": 500,
        "legal_basis": 500,
        "acceptance_standard": 5000,
        "notes": 5000,
        "review_points": 5000,
        "common_mistakes": 5000,
    },
    "fees": {"name": 200, "standard": 500, "basis": 500, "reduction_basis": 500},
    "steps": {"name": 100, "actor": 100, "description": 5000, "handling_points": 5000},
    "legal_bases": {"title": 300, "article": 2000, "url": 500},
    "handling_variants": {"name": 200, "code": 50, "note": 500},
}
CHILD_CHOICES = {
    ("materials", "type"): MaterialType,
    ("materials", "form"): MaterialForm,
    ("materials", "necessity"): MaterialNecessity,
    ("materials", "source"): MaterialSource,
    ("materials", "reuse"): MaterialReuse,
    ("steps", "unit_level"): StepUnitLevel,
    ("steps", "role"): Role,
    ("legal_bases", "kind"): LegalBasisKind,
}
CHILD_REQUIRED_TEXT = {
    ("materials", "name"),
    ("fees", "name"),
    ("fees", "standard"),
    ("steps", "name"),
    ("legal_bases", "title"),
    ("handling_variants", "name"),
}
# Blank is allowed for these choice fields (a step need not name a level or a role).
CHILD_BLANK_CHOICES = {("steps", "unit_level"), ("steps", "role"), ("materials", "reuse")}
CHILD_MODELS = {
    "materials": Material,
    "fees": Fee,
    "steps": ProcessStep,
    "legal_bases": LegalBasis,
    "handling_variants": HandlingVariant,
}
CHILD_RELATED = {
    "materials": "materials",
    "fees": "fees",
    "steps": "steps",
    "legal_bases": "legal_bases",
    "handling_variants": "variants",
}
# The staff handbook (业务手册) fields: shown to staff, left out of everything public.
HANDBOOK_FIELDS = {
    "materials": ("review_points", "common_mistakes"),
    "steps": ("handling_points",),
}


def public_guide(guide: dict[str, Any]) -> dict[str, Any]:
    """The guide without the staff handbook, for public pages and the public API."""
    out = dict(guide)
    for key, names in HANDBOOK_FIELDS.items():
        out[key] = [{k: v for k, v in row.items() if k not in names} for row in guide[key]]
    return out


# The field a child row is matched by across versions (diff, re-import).
CHILD_IDENTITY = {
    "materials": "name",
    "fees": "name",
    "steps": "name",
    "legal_bases": "title",
    "handling_variants": "name",
}


def empty_guide() -> dict[str, Any]:
    """A draft's guide before anyone wrote it."""
    return {
        "handling_variants": [],
        "legal_bases": [],
        "acceptance_conditions": "",
        "statutory_limit": {"value": None, "unit": LimitUnit.NONE.value, "note": ""},
        "promised_limit": {"value": None, "unit": LimitUnit.NONE.value, "note": ""},
        "handling_type": HandlingType.PROMISED.value,
        "visits": 1,
        "channels": [],
        "online_depth": [],
        "online_url": "",
        "online_payment": False,
        "steps": [],
        "place": "",
        "hours": "",
        "fees": [],
        "consultation_phone": "",
        "complaint_phone": "",
        "service_objects": [],
        "themes_person": [],
        "themes_business": [],
        "result": {"name": "", "type": ResultType.NONE.value, "sample": ""},
        "intermediary_services": "",
        "joint_agencies": [],
        "special_procedures": "",
        "materials": [],
        "eligibility_rules": [],
    }


class _Checker:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def text(
        self, value: Any, path: str, label: str, *, max_length: int, required: bool = False
    ) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.error(path, f"{label}应为文字")
            return ""
        value = value.strip()
        if required and not value:
            self.error(path, f"{label}不能为空")
        if len(value) > max_length:
            self.error(path, f"{label}最多{max_length}个字，现在是{len(value)}个字")
        return value

    def link(self, value: str, path: str, label: str) -> str:
        """A staff-typed link: http(s) or relative only (core.links), checked after text()."""
        problem = link_problem(value)
        if problem:
            self.error(path, f"{label}{problem}")
            return ""
        return value

    def choice(self, value: Any, path: str, label: str, choices, *, blank: bool = False) -> str:
        value = "" if value is None else value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(path, f"{label}应为文字代码")
            return ""
        value = value.strip()
        if blank and not value:
            return ""
        if value not in choices.values:
            allowed = "、".join(f"{v}（{lbl}）" for v, lbl in choices.choices)
            self.error(path, f"{label}“{value}”不在代码表中，可选：{allowed}")
            return ""
        return value

    def integer(
        self,
        value: Any,
        path: str,
        label: str,
        *,
        minimum: int = 0,
        maximum: int = 100000,
        allow_none: bool = False,
    ) -> int | None:
        if value is None and allow_none:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"{label}应为整数")
            return None
        if not minimum <= value <= maximum:
            self.error(path, f"{label}应在{minimum}到{maximum}之间，现在是{value}")
            return None
        return value

    def boolean(self, value: Any, path: str, label: str) -> bool:
        if not isinstance(value, bool):
            self.error(path, f"{label}应为是或否（true/false）")
            return False
        return value

    def code_list(self, value: Any, path: str, label: str, choices) -> list[str]:
        if not isinstance(value, list):
            self.error(path, f"{label}应为列表")
            return []
        out = [self.choice(v, f"{path}[{i}]", label, choices) for i, v in enumerate(value)]
        return list(dict.fromkeys(v for v in out if v))

    def text_list(self, value: Any, path: str, label: str) -> list[str]:
        if not isinstance(value, list):
            self.error(path, f"{label}应为列表")
            return []
        out = [
            self.text(v, f"{path}[{i}]", label, max_length=200, required=True)
            for i, v in enumerate(value)
        ]
        return list(dict.fromkeys(v for v in out if v))

    def keys(self, data: dict, path: str, required: tuple, optional: tuple | set) -> bool:
        unknown = sorted(set(data) - set(required) - set(optional))
        for key in unknown:
            self.error(f"{path}{key}", f"未知字段“{key}”（请核对拼写）")
        missing = [key for key in required if key not in data]
        for key in missing:
            self.error(f"{path}{key}", f"缺少字段“{key}”")
        return not unknown and not missing

    def limit(self, value: Any, path: str, label: str) -> dict:
        if not isinstance(value, dict):
            self.error(path, f"{label}应为{{value, unit, note}}")
            return {"value": None, "unit": LimitUnit.NONE.value, "note": ""}
        self.keys(value, f"{path}.", ("value", "unit"), ("note",))
        unit = self.choice(value.get("unit"), f"{path}.unit", f"{label}单位", LimitUnit)
        note = self.text(value.get("note"), f"{path}.note", f"{label}说明", max_length=500)
        raw = value.get("value")
        if unit == LimitUnit.NONE or not unit:
            if raw not in (None, 0):
                self.error(f"{path}.value", f"{label}单位为“无时限”时不填天数")
            return {"value": None, "unit": unit or LimitUnit.NONE.value, "note": note}
        number = self.integer(raw, f"{path}.value", label, minimum=1, maximum=3650)
        return {"value": number, "unit": unit, "note": note}


def _clean_child(checker: _Checker, key: str, index: int, row: Any) -> dict | None:
    path = f"{key}[{index}]"
    label = FIELD_LABELS[key]
    if not isinstance(row, dict):
        checker.error(path, f"{label}第{index + 1}项应为对象")
        return None
    required, optional = CHILD_KEYS[key]
    checker.keys(row, f"{path}.", required, optional)
    out: dict[str, Any] = {}
    limits = CHILD_TEXT_LIMITS[key]
    for name in (*required, *optional):
        where = f"{path}.{name}"
        value = row.get(name)
        if (key, name) in CHILD_CHOICES:
            out[name] = checker.choice(
                value,
                where,
                _child_label(key, name),
                CHILD_CHOICES[(key, name)],
                blank=(key, name) in CHILD_BLANK_CHOICES,
            )
        elif name in limits:
            out[name] = checker.text(
                value,
                where,
                _child_label(key, name),
                max_length=limits[name],
                required=(key, name) in CHILD_REQUIRED_TEXT,
            )
            if (key, name) in CHILD_LINK_KEYS:
                out[name] = checker.link(out[name], where, label + _child_label(key, name))
        elif name == "copies":
            out[name] = checker.integer(value, where, "份数", minimum=0, maximum=99) or 0
        elif name == "days":
            out[name] = checker.integer(
                value, where, "环节时限", minimum=0, maximum=3650, allow_none=True
            )
        elif name == "reuse_days":
            out[name] = checker.integer(
                value, where, "复用天数", minimum=1, maximum=3650, allow_none=True
            )
        elif name == "reducible":
            out[name] = checker.boolean(value, where, "是否允许减免")
    if key == "materials":
        _check_reuse(checker, path, out)
    return out


def _check_reuse(checker: _Checker, path: str, row: dict) -> None:
    """复用天数 goes with 复用期限 “受理审核后若干天内” and only with it."""
    if row.get("reuse") == MaterialReuse.DAYS and not row.get("reuse_days"):
        checker.error(f"{path}.reuse_days", "复用期限为“受理审核后若干天内”时请填写复用天数")
    elif row.get("reuse") != MaterialReuse.DAYS and row.get("reuse_days") is not None:
        checker.error(f"{path}.reuse_days", "只有复用期限为“受理审核后若干天内”时才填写复用天数")


CHILD_FIELD_LABELS = {
    "name": "名称",
    "type": "材料类型",
    "form": "材料形式",
    "necessity": "必要性",
    "copies": "份数",
    "specification": "规格",
    "source": "来源渠道",
    "source_note": "来源说明",
    "legal_basis": "要求提供材料的依据",
    "acceptance_standard": "受理标准",
    "notes": "填报须知",
    "reuse": "复用期限",
    "reuse_days": "复用天数",
    "standard": "收费标准",
    "basis": "收费依据",
    "reducible": "是否允许减免",
    "reduction_basis": "减免依据",
    "actor": "办理人员",
    "description": "办理内容",
    "days": "环节时限",
    "unit_level": "办理层级",
    "role": "办理角色",
    "title": "法律法规名称",
    "article": "条款",
    "url": "链接",
    "kind": "依据类别",
    "code": "业务办理项编码",
    "note": "说明",
    "review_points": "审查要点",
    "common_mistakes": "常见问题",
    "handling_points": "办理要点",
}


def _child_label(key: str, name: str) -> str:
    label = CHILD_FIELD_LABELS[name]
    if name == "name":
        return {
            "materials": "材料名称",
            "fees": "收费项目名称",
            "steps": "环节名称",
            "handling_variants": "业务办理项名称",
        }.get(key, label)
    return label


def clean_guide(data: Any, *, require_all: bool = False) -> tuple[dict, list[FieldError]]:
    """Check and normalise guide content. Absent keys keep the empty draft's values unless
    ``require_all`` (the importer), where every non-optional key must be present."""
    checker = _Checker()
    base = empty_guide()
    if not isinstance(data, dict):
        return base, [FieldError("", "事项内容应为对象")]
    if require_all:
        missing = [k for k in GUIDE_KEYS if k not in data and k not in OPTIONAL_KEYS]
        for key in missing:
            checker.error(key, f"缺少字段“{key}”（{FIELD_LABELS[key]}）")
    out = dict(base)
    for key, value in data.items():
        if key not in FIELD_LABELS:
            continue  # identity keys are the caller's business
        label = FIELD_LABELS[key]
        if key in SCALAR_TEXT:
            out[key] = checker.text(value, key, label, max_length=SCALAR_TEXT[key])
            if key in LINK_KEYS:
                out[key] = checker.link(out[key], key, label)
        elif key in ("statutory_limit", "promised_limit"):
            out[key] = checker.limit(value, key, label)
        elif key == "handling_type":
            out[key] = checker.choice(value, key, label, HandlingType)
        elif key == "visits":
            visits = checker.integer(value, key, label, minimum=0, maximum=9)
            out[key] = visits if visits is not None else 1
        elif key == "channels":
            out[key] = checker.code_list(value, key, label, Channel)
        elif key == "online_depth":
            out[key] = checker.code_list(value, key, label, OnlineDepth)
        elif key == "service_objects":
            out[key] = checker.code_list(value, key, label, ServiceObject)
        elif key in ("themes_person", "themes_business", "joint_agencies"):
            out[key] = checker.text_list(value, key, label)
        elif key == "online_payment":
            out[key] = checker.boolean(value, key, label)
        elif key == "result":
            out[key] = _clean_result(checker, value)
        elif key == "eligibility_rules":
            out[key], problems = clean_rules(value, key)
            checker.errors.extend(FieldError(path, message) for path, message in problems)
        elif key in CHILD_KEYS:
            if not isinstance(value, list):
                checker.error(key, f"{label}应为列表")
                out[key] = []
                continue
            rows = [_clean_child(checker, key, i, row) for i, row in enumerate(value)]
            out[key] = [r for r in rows if r is not None]
    return out, checker.errors


def _clean_result(checker: _Checker, value: Any) -> dict:
    if not isinstance(value, dict):
        checker.error("result", "审批结果应为{name, type, sample}")
        return {"name": "", "type": ResultType.NONE.value, "sample": ""}
    checker.keys(value, "result.", ("name", "type"), ("sample",))
    return {
        "name": checker.text(value.get("name"), "result.name", "审批结果名称", max_length=200),
        "type": checker.choice(value.get("type"), "result.type", "审批结果类型", ResultType),
        "sample": checker.text(
            value.get("sample"), "result.sample", "审批结果样本", max_length=500
        ),
    }


VERSION_FIELD_MAP = {
    "acceptance_conditions": "acceptance_conditions",
    "handling_type": "handling_type",
    "visits": "visits",
    "channels": "channels",
    "online_depth": "online_depth",
    "online_url": "online_url",
    "online_payment": "online_payment",
    "place": "place",
    "hours": "hours",
    "consultation_phone": "consultation_phone",
    "complaint_phone": "complaint_phone",
    "service_objects": "service_objects",
    "themes_person": "themes_person",
    "themes_business": "themes_business",
    "intermediary_services": "intermediary_services",
    "joint_agencies": "joint_agencies",
    "special_procedures": "special_procedures",
}


def apply_guide_fields(version: ItemVersion, guide: dict) -> None:
    """Set the version's own columns from a cleaned guide (children are separate)."""
    for key, attr in VERSION_FIELD_MAP.items():
        setattr(version, attr, guide[key])
    for key in ("statutory_limit", "promised_limit"):
        setattr(version, f"{key}_value", guide[key]["value"])
        setattr(version, f"{key}_unit", guide[key]["unit"])
        setattr(version, f"{key}_note", guide[key]["note"])
    version.result_name = guide["result"]["name"]
    version.result_type = guide["result"]["type"]
    version.result_sample = guide["result"]["sample"]


def write_children(version: ItemVersion, guide: dict) -> None:
    """Replace the child rows of a draft version (the caller checked it is a draft).

    A material keeps its uploaded blank form and sample when a row of the same name comes
    back: the files are not part of the guide dict.
    """
    files = {
        name: (blank, sample)
        for name, blank, sample in version.materials.values_list("name", "blank_form", "sample")
    }
    for key, model in CHILD_MODELS.items():
        getattr(version, CHILD_RELATED[key]).all().delete()
        rows = [model(version=version, position=i + 1, **row) for i, row in enumerate(guide[key])]
        if key == "materials":
            for row in rows:
                row.blank_form.name, row.sample.name = files.get(row.name, ("", ""))
        model.objects.bulk_create(rows)
    # Eligibility rules hold JSON, not the text columns above: stored as they come.
    version.eligibility_rules.all().delete()
    EligibilityRule.objects.bulk_create(
        EligibilityRule(version=version, position=i + 1, **rule)
        for i, rule in enumerate(guide.get("eligibility_rules", []))
    )


def versions_with_children(queryset):
    """Prefetch everything ``guide_of`` reads, in one query per child table."""
    return queryset.prefetch_related(
        Prefetch("materials", queryset=Material.objects.order_by("position")),
        Prefetch("fees", queryset=Fee.objects.order_by("position")),
        Prefetch("steps", queryset=ProcessStep.objects.order_by("position")),
        Prefetch("legal_bases", queryset=LegalBasis.objects.order_by("position")),
        Prefetch("variants", queryset=HandlingVariant.objects.order_by("position")),
        Prefetch("eligibility_rules", queryset=EligibilityRule.objects.order_by("position")),
    )


def guide_of(version: ItemVersion) -> dict[str, Any]:
    """The guide of a version in exchange-format keys (prefetch with versions_with_children)."""
    guide: dict[str, Any] = {key: getattr(version, attr) for key, attr in VERSION_FIELD_MAP.items()}
    for key in ("statutory_limit", "promised_limit"):
        guide[key] = {
            "value": getattr(version, f"{key}_value"),
            "unit": getattr(version, f"{key}_unit"),
            "note": getattr(version, f"{key}_note"),
        }
    guide["result"] = {
        "name": version.result_name,
        "type": version.result_type,
        "sample": version.result_sample,
    }
    for key in CHILD_MODELS:
        required, optional = CHILD_KEYS[key]
        rows = sorted(getattr(version, CHILD_RELATED[key]).all(), key=lambda r: r.position)
        guide[key] = [{name: getattr(row, name) for name in (*required, *optional)} for row in rows]
    guide["eligibility_rules"] = [
        {"name": r.name, "logic": r.logic, "reason": r.reason, "tests": r.tests}
        for r in sorted(version.eligibility_rules.all(), key=lambda r: r.position)
    ]
    return {key: guide[key] for key in GUIDE_KEYS}


def parse_date(value: Any, path: str, label: str, errors: list[FieldError]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.append(FieldError(path, f"{label}应为YYYY-MM-DD格式的日期，现在是“{value}”"))
        return None
