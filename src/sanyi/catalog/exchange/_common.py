"""What every stage of an import or export shares: the format constants, problems and
results, and the lookups of units and planned items.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from sanyi.catalog.choices import (
    VersionStatus,
)
from sanyi.core.imports import ImportRejected, RowError
from sanyi.orgs.models import OrgUnit

FORMAT_NAME = "sanyi-catalog"
FORMAT_VERSION = 1
IMPORT_ACTOR = "系统：导入"

IDENTITY_KEYS = (
    "base_code",
    "implementation_code",
    "name",
    "item_type",
    "main_item",
    "implementing_unit",
    "level",
    "power_source",
    "implementer_nature",
    "entrusting_body",
    "delegated_from",
    "status",
    "effective_on",
    "life_events",
)
REQUIRED_IDENTITY = (
    "name",
    "item_type",
    "implementing_unit",
    "level",
    "power_source",
    "implementer_nature",
    "life_events",
)

Progress = Callable[[int, int, str], None]


CELL_LOCATION = re.compile(
    r"^(?P<sheet>\S+) 第(?P<row>\d+)行(?: (?P<column>[A-Z]+列(?:（[^）]*）)?))?$"
)


@dataclass(frozen=True)
class ImportProblem:
    where: str  # "items[3].materials[1].name" or "材料 第5行 C列（材料名称）"
    message: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message

    def row_error(self) -> RowError:
        """The shared row error: sheet, row and column for a workbook cell, the field
        path as the column for a JSON document."""
        match = CELL_LOCATION.match(self.where or "")
        if match:
            return RowError(
                sheet=match["sheet"],
                row=int(match["row"]),
                column=match["column"] or "",
                message=self.message,
            )
        return RowError(column=self.where, message=self.message)


@dataclass
class ImportResult:
    dry_run: bool
    created: list[str] = field(default_factory=list)  # implementation codes
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_as_draft: list[str] = field(default_factory=list)  # lint errors blocked publishing
    submitted: list[str] = field(default_factory=list)  # sent to a second admin's review
    life_events: list[str] = field(default_factory=list)
    notes: list[ImportProblem] = field(default_factory=list)

    def summary(self) -> str:
        head = "试导入（未写入数据库）" if self.dry_run else "导入完成"
        return (
            f"{head}：新增事项{len(self.created)}个，新版本{len(self.new_versions)}个，"
            f"未变化{len(self.unchanged)}个，已提交审核{len(self.submitted)}个，"
            f"因质量错误保留为草稿{len(self.kept_as_draft)}个，"
            f"“一件事”{len(self.life_events)}个"
        )


class ImportFailed(ImportRejected):
    """The catalogue's rejection: ``problems`` in the catalogue's own locations, and the
    same as shared ``errors``."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__([p.row_error() for p in problems])
        self.args = (f"导入失败，共{len(problems)}个问题，数据库未作任何修改",)


Locator = Callable[[int | None, str], str]


def json_locator(index: int | None, path: str) -> str:
    if index is None:
        return path
    return f"items[{index}]" + (f".{path}" if path else "")


# --- resolving references --------------------------------------------------------------


class UnitIndex:
    """Org units by division code, USCC and full name (read once)."""

    def __init__(self) -> None:
        self.by_code: dict[str, OrgUnit] = {}
        self.by_name: dict[str, list[OrgUnit]] = {}
        for unit in OrgUnit.objects.filter(is_active=True):
            if unit.division_code:
                self.by_code[unit.division_code] = unit
            if unit.uscc:
                self.by_code[unit.uscc] = unit
            self.by_name.setdefault(unit.name, []).append(unit)

    def resolve(self, ref: Any, label: str) -> OrgUnit:
        if not isinstance(ref, str) or not ref.strip():
            raise ValidationError(f"{label}应填写单位的统计用区划代码、统一社会信用代码或全称")
        ref = ref.strip()
        unit = self.by_code.get(ref.upper())
        if unit is not None:
            return unit
        named = self.by_name.get(ref, [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise ValidationError(f"{label}“{ref}”有{len(named)}个同名单位，请改填统一社会信用代码")
        raise ValidationError(f"{label}“{ref}”在组织机构中找不到（或已撤销）")

    @staticmethod
    def reference(unit: OrgUnit) -> str:
        return unit.uscc or unit.division_code or unit.name


@dataclass
class PlannedItem:
    index: int
    raw: dict
    name: str = ""
    item_type: str = ""
    unit: OrgUnit | None = None
    delegated_from: OrgUnit | None = None
    main_ref: str = ""
    base_code: str = ""
    implementation_code: str = ""
    status: str = VersionStatus.PUBLISHED
    effective_on: dt.date | None = None
    identity: dict[str, Any] = field(default_factory=dict)
    guide: dict[str, Any] = field(default_factory=dict)
    life_events: list[str] = field(default_factory=list)
    lint_errors: bool = False
