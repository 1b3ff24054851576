"""A unit's standard disclosure directory as an Excel workbook in the official table layout.

One sheet, "公开目录", two header rows as in the 26 pilot areas' standard directories
(国办发〔2019〕54号), then one row per directory entry:

  序号 | 公开事项: 一级事项, 二级事项 | 公开内容（要素） | 公开依据 | 公开时限 | 公开主体 |
  公开渠道和载体: one column per official channel (政府网站 … 其他), ✓ where it applies |
  公开对象: 全社会, 特定群体 (✓ in one) | 公开方式: 主动, 依申请 (✓ in one) |
  公开层级: 县级, 乡级, 村级 (✓ in one)

and our own columns after them: 公开领域 (name or code of the area), 五公开, 信息性质
(静态信息/动态信息), 时限天数, 时限单位 (个工作日/个自然日), 起算情形, 状态 (有效/停用).

公开主体 names the responsible body by name or 单位编号; it must lie in the unit the file is
imported for (the unit itself or below it). An entry is matched by its responsible body,
area and both entry names: a match is updated, anything else is created; entries missing
from the file are left as they are (the import never deletes).

The import is all-or-nothing: every row is checked, every problem is reported as
``第N行「列名」：说明``, and nothing is written unless the whole file is clean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from sanyi.audit.services import diff, snapshot
from sanyi.core.imports import ImportRejected, RowError
from sanyi.core.xlsx import open_workbook, sheet_rows, workbook_bytes
from sanyi.openness import services
from sanyi.openness.choices import (
    Audience,
    Channel,
    ContentNature,
    DisclosureMode,
    FiveKind,
    Level,
    LimitTrigger,
    LimitUnit,
)
from sanyi.openness.models import Area, DirectoryEntry
from sanyi.orgs.models import OrgUnit
from sanyi.orgs.tree import subtree_q

SHEET = "公开目录"
TICK = "✓"
TICKS = {"✓", "√", "✔", "☑", "是", "Y", "y", "1"}
STATUS = {"有效": True, "停用": False}

# (group header, [(key, sub header)]); a group without sub headers spans both rows.
LAYOUT: list[tuple[str, list[tuple[str, str]]]] = [
    ("序号", [("sequence", "")]),
    ("公开事项", [("item_l1", "一级事项"), ("item_l2", "二级事项")]),
    ("公开内容（要素）", [("content_elements", "")]),
    ("公开依据", [("basis", "")]),
    ("公开时限", [("time_limit_text", "")]),
    ("公开主体", [("org_unit", "")]),
    ("公开渠道和载体", [(f"channel:{c.value}", c.label) for c in Channel]),
    (
        "公开对象",
        [
            (f"audience:{Audience.PUBLIC}", "全社会"),
            (f"audience:{Audience.SPECIFIC_GROUP}", "特定群体"),
        ],
    ),
    (
        "公开方式",
        [
            (f"mode:{DisclosureMode.PROACTIVE}", "主动"),
            (f"mode:{DisclosureMode.ON_REQUEST}", "依申请"),
        ],
    ),
    (
        "公开层级",
        [
            (f"level:{Level.DISTRICT}", "县级"),
            (f"level:{Level.SUBDISTRICT}", "乡级"),
            (f"level:{Level.COMMUNITY}", "村级"),
        ],
    ),
    ("公开领域", [("area", "")]),
    ("五公开", [("five_kind", "")]),
    ("信息性质", [("nature", "")]),
    ("时限天数", [("time_limit_days", "")]),
    ("时限单位", [("time_limit_unit", "")]),
    ("起算情形", [("time_limit_trigger", "")]),
    ("状态", [("status", "")]),
]
# Every column in order: (key, group, sub).
COLUMNS: list[tuple[str, str, str]] = [
    (key, group, sub) for group, subs in LAYOUT for key, sub in subs
]
GRID_GROUPS = {
    "channel": "公开渠道和载体",
    "audience": "公开对象",
    "mode": "公开方式",
    "level": "公开层级",
}
# Model fields → the column a service's complaint about them is shown in.
FIELD_COLUMNS = {
    "sequence": "序号",
    "item_l1": "一级事项",
    "item_l2": "二级事项",
    "content_elements": "公开内容（要素）",
    "basis": "公开依据",
    "time_limit_text": "公开时限",
    "org_unit": "公开主体",
    "channels": "公开渠道和载体",
    "audience": "公开对象",
    "mode": "公开方式",
    "level": "公开层级",
    "area": "公开领域",
    "five_kind": "五公开",
    "nature": "信息性质",
    "time_limit_days": "时限天数",
    "time_limit_unit": "时限单位",
    "time_limit_trigger": "起算情形",
    "is_active": "状态",
}
FIRST_DATA_ROW = 3
ENTRY_FIELDS = list(services.ENTRY_FIELDS)
_TEXT_LIMITS = {"item_l1": 100, "item_l2": 100, "time_limit_text": 200}


def _error(row: int, column: str, message: str) -> RowError:
    return RowError(row=row, column=column, message=message)


# The directory's own name for the shared rejection (one table, so no sheet in messages).
DirectoryImportRejected = ImportRejected


@dataclass
class ParsedRow:
    row: int
    org_unit: OrgUnit
    area: Area
    values: dict[str, Any]  # directory_entry fields except org_unit and area


@dataclass
class RowOutcome:
    row: int
    action: str  # 新增 / 修改 / 无变化
    label: str
    changed: list[str] = field(default_factory=list)  # column headers


@dataclass
class ImportSummary:
    dry_run: bool
    rows: list[RowOutcome]

    def count(self, action: str) -> int:
        return sum(r.action == action for r in self.rows)

    @property
    def created(self) -> int:
        return self.count("新增")

    @property
    def updated(self) -> int:
        return self.count("修改")

    @property
    def unchanged(self) -> int:
        return self.count("无变化")

    def __str__(self) -> str:
        lead = "检查通过，导入后将" if self.dry_run else "已导入："
        return (
            f"{lead}新增{self.created}个公开事项，修改{self.updated}个，{self.unchanged}个没有变化"
        )


# --- export ------------------------------------------------------------------------------


def directory_entries_of(unit: OrgUnit):
    """The entries whose responsible body is ``unit`` or below it, in directory order."""
    from sanyi.openness.selectors import DIRECTORY_ORDER

    return (
        DirectoryEntry.objects.filter(subtree_q(unit.path, "org_unit__path"))
        .select_related("area", "org_unit")
        .order_by(*DIRECTORY_ORDER)
    )


def _entry_row(entry: DirectoryEntry) -> list[Any]:
    values: list[Any] = []
    for key, _group, _sub in COLUMNS:
        if ":" in key:
            kind, code = key.split(":", 1)
            on = code in entry.channels if kind == "channel" else getattr(entry, kind) == code
            values.append(TICK if on else "")
        elif key == "org_unit":
            values.append(entry.org_unit.name)
        elif key == "area":
            values.append(entry.area.name)
        elif key == "five_kind":
            values.append(FiveKind(entry.five_kind).label)
        elif key == "nature":
            values.append(ContentNature(entry.nature).label)
        elif key == "time_limit_unit":
            values.append(LimitUnit(entry.time_limit_unit).label)
        elif key == "time_limit_trigger":
            values.append(LimitTrigger(entry.time_limit_trigger).label)
        elif key == "status":
            values.append("有效" if entry.is_active else "停用")
        else:
            values.append(getattr(entry, key))
    return values


def export_directory(unit: OrgUnit) -> bytes:
    """The directory of ``unit`` and the units below it as xlsx bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    col = 1
    for group, subs in LAYOUT:
        if len(subs) == 1 and not subs[0][1]:
            ws.cell(row=1, column=col, value=group)
            ws.merge_cells(start_row=1, start_column=col, end_row=2, end_column=col)
        else:
            ws.cell(row=1, column=col, value=group)
            ws.merge_cells(start_row=1, start_column=col, end_row=1, end_column=col + len(subs) - 1)
            for i, (_key, sub) in enumerate(subs):
                ws.cell(row=2, column=col + i, value=sub)
        col += len(subs)
    for row in ws.iter_rows(min_row=1, max_row=2, max_col=len(COLUMNS)):
        for cell in row:
            cell.font, cell.alignment = bold, centre
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.freeze_panes = "C3"
    for entry in directory_entries_of(unit):
        ws.append(_entry_row(entry))
    wide = {"content_elements": 40, "basis": 36, "time_limit_text": 28, "org_unit": 18}
    for idx, (key, _group, sub) in enumerate(COLUMNS, start=1):
        width = wide.get(key, 16 if not sub else max(len(sub) * 2 + 2, 6))
        ws.column_dimensions[get_column_letter(idx)].width = width
        for (cell,) in ws.iter_rows(min_row=FIRST_DATA_ROW, min_col=idx, max_col=idx):
            if sub and ":" in key:
                cell.alignment = Alignment(horizontal="center")
            elif isinstance(cell.value, str):
                cell.number_format = "@"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(wb)


# --- reading -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_map(ws, errors: list[RowError]) -> dict[str, int]:
    """Column index (0-based) of every key, found by the two header rows."""
    rows = [
        values
        for _n, values in sheet_rows(
            ws, min_row=1, max_row=2, errors=errors, sheet="", skip_empty=False
        )
    ]
    if errors:
        return {}
    if len(rows) < 2:
        errors.append(_error(0, "", "文件缺少两行表头，请先导出现有目录作为模板"))
        return {}
    top, bottom = rows
    found: dict[tuple[str, str], int] = {}
    group = ""
    for idx in range(max(len(top), len(bottom))):
        head = _text(top[idx] if idx < len(top) else None)
        sub = _text(bottom[idx] if idx < len(bottom) else None)
        if head:
            group = head
        if group:
            found.setdefault((group, sub), idx)
    positions: dict[str, int] = {}
    missing: list[str] = []
    for key, group_name, sub in COLUMNS:
        if (group_name, sub) in found:
            positions[key] = found[(group_name, sub)]
        else:
            missing.append(f"{group_name}／{sub}" if sub else group_name)
    if missing:
        errors.append(
            _error(2, "", f"表头缺少这些列：{'、'.join(missing)}（请先导出现有目录作为模板）")
        )
    return positions


class _Units:
    """Responsible bodies a file may name: the unit and everything below it."""

    def __init__(self, unit: OrgUnit):
        units = list(OrgUnit.objects.filter(subtree_q(unit.path, "path")))
        self.by_code = {u.code: u for u in units if u.code}
        self.by_name: dict[str, list[OrgUnit]] = {}
        for u in units:
            self.by_name.setdefault(u.name, []).append(u)
        self.root = unit

    def find(self, value: str) -> tuple[OrgUnit | None, str]:
        if value in self.by_code:
            return self.by_code[value], ""
        matches = self.by_name.get(value, [])
        if len(matches) == 1:
            return matches[0], ""
        if matches:
            return None, f"“{self.root.name}”下有{len(matches)}个单位叫“{value}”，请改填单位编号"
        return None, f"“{self.root.name}”及其下级单位中没有“{value}”"


class _Row:
    """One data row being read: its cells by field key, and the errors found so far."""

    def __init__(self, values: tuple, row: int, pos: dict[str, int]):
        self.values, self.row, self.pos = values, row, pos
        self.errors: list[RowError] = []

    def cell(self, key: str) -> Any:
        idx = self.pos[key]
        return self.values[idx] if idx < len(self.values) else None

    def text(self, key: str) -> str:
        return _text(self.cell(key))

    def err(self, column: str, message: str) -> None:
        self.errors.append(_error(self.row, column, message))


def _parse_row(
    values: tuple, row: int, pos: dict[str, int], units: _Units, areas: dict[str, Area]
) -> tuple[ParsedRow | None, list[RowError]]:
    """One row checked field by field, every problem reported, in the columns' order."""
    r = _Row(values, row, pos)
    data: dict[str, Any] = {}
    _read_sequence(r, data)
    _read_texts(r, data)
    org_unit = _read_org_unit(r, units)
    area = _read_area(r, areas)
    _read_grids(r, data)
    data["five_kind"] = _choose(r, "five_kind", FiveKind)
    data["nature"] = _choose(r, "nature", ContentNature, default=ContentNature.DYNAMIC)
    data["time_limit_unit"] = _choose(
        r, "time_limit_unit", LimitUnit, default=LimitUnit.WORKING_DAYS
    )
    data["time_limit_trigger"] = _choose(
        r, "time_limit_trigger", LimitTrigger, default=LimitTrigger.FORMED_OR_CHANGED
    )
    _read_limit_days(r, data)
    _read_status(r, data)
    if r.errors or org_unit is None or area is None:
        return None, r.errors
    return ParsedRow(row=row, org_unit=org_unit, area=area, values=data), r.errors


def _read_sequence(r: _Row, data: dict[str, Any]) -> None:
    seq = r.cell("sequence")
    if seq is None or _text(seq) == "":
        data["sequence"] = 0
        return
    try:
        number = float(_text(seq))
        if not number.is_integer() or number < 0:
            raise ValueError
        data["sequence"] = int(number)
    except ValueError:
        r.err("序号", f"“{_text(seq)}”不是整数")


def _read_texts(r: _Row, data: dict[str, Any]) -> None:
    for key in ("item_l1", "item_l2", "content_elements", "basis", "time_limit_text"):
        text = r.text(key)
        column = FIELD_COLUMNS[key]
        if not text:
            r.err(column, "不能为空")
        elif key in _TEXT_LIMITS and len(text) > _TEXT_LIMITS[key]:
            r.err(column, f"不能超过{_TEXT_LIMITS[key]}个字（现有{len(text)}个字）")
        data[key] = text


def _read_org_unit(r: _Row, units: _Units) -> OrgUnit | None:
    unit_text = r.text("org_unit")
    if not unit_text:
        r.err("公开主体", "不能为空")
        return None
    org_unit, problem = units.find(unit_text)
    if problem:
        r.err("公开主体", problem)
    return org_unit


def _read_area(r: _Row, areas: dict[str, Area]) -> Area | None:
    area_text = r.text("area")
    if not area_text:
        r.err("公开领域", "不能为空")
        return None
    area = areas.get(area_text)
    if area is None:
        r.err("公开领域", f"没有“{area_text}”这个领域（请填领域名称或编号）")
    return area


def _read_grids(r: _Row, data: dict[str, Any]) -> None:
    """The ticked columns: any number of channels, exactly one audience, mode and level."""
    grids: dict[str, list[str]] = {kind: [] for kind in GRID_GROUPS}
    for key, group, sub in COLUMNS:
        if ":" not in key:
            continue
        kind, code = key.split(":", 1)
        text = r.text(key)
        if not text:
            continue
        if text not in TICKS:
            r.err(f"{group}／{sub}", f"只能填“{TICK}”或留空，不能填“{text}”")
            continue
        grids[kind].append(code)
    data["channels"] = grids["channel"]
    if not grids["channel"]:
        r.err("公开渠道和载体", f"请至少在一个渠道下填“{TICK}”")
    for kind in ("audience", "mode", "level"):
        options = [sub for key, _g, sub in COLUMNS if key.startswith(kind + ":")]
        if len(grids[kind]) != 1:
            r.err(GRID_GROUPS[kind], f"请在「{'」「'.join(options)}」中勾选且只勾选一项")
        else:
            data[kind] = grids[kind][0]


def _choose(r: _Row, key: str, choices: Any, default: Any = None) -> Any:
    """The stored value of a choice written by its label, value or short form."""
    text = r.text(key)
    if not text and default is not None:
        return default
    labels = {c.label: c.value for c in choices} | {c.value: c.value for c in choices}
    # "结果" for "结果公开", "动态" for "动态信息", "工作日" for "个工作日"
    labels |= {c.label.removesuffix("公开").removesuffix("信息"): c.value for c in choices}
    labels |= {c.label.removeprefix("个"): c.value for c in choices}
    if text not in labels:
        r.err(
            FIELD_COLUMNS[key],
            f"“{text}”不是有效的选项，可填：{'、'.join(c.label for c in choices)}"
            if text
            else f"不能为空，可填：{'、'.join(c.label for c in choices)}",
        )
        return None
    return labels[text]


def _read_limit_days(r: _Row, data: dict[str, Any]) -> None:
    days = r.text("time_limit_days")
    if not days:
        data["time_limit_days"] = None
        return
    try:
        number = float(days)
        if not number.is_integer() or not 0 < number <= 365:
            raise ValueError
        data["time_limit_days"] = int(number)
    except ValueError:
        r.err("时限天数", f"“{days}”应为1到365之间的整数，或留空（没有固定时限）")


def _read_status(r: _Row, data: dict[str, Any]) -> None:
    status = r.text("status") or "有效"
    if status not in STATUS:
        r.err("状态", f"“{status}”应为“有效”或“停用”")
    else:
        data["is_active"] = STATUS[status]


def read_directory(content: bytes, *, unit: OrgUnit) -> list[ParsedRow]:
    """Every row of the file, checked without writing; raises DirectoryImportRejected."""
    errors: list[RowError] = []
    wb = open_workbook(content, unreadable="无法读取文件：请上传 Excel 工作簿（.xlsx）")
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    pos = _header_map(ws, errors)
    if errors:
        raise DirectoryImportRejected(errors)
    units = _Units(unit)
    areas = {a.name: a for a in Area.objects.all()} | {a.code: a for a in Area.objects.all()}
    parsed: list[ParsedRow] = []
    seen: dict[tuple, int] = {}
    names = [""] * (max(pos.values(), default=-1) + 1)
    for key, group, sub in COLUMNS:
        names[pos[key]] = FIELD_COLUMNS.get(key) if ":" not in key else f"{group}／{sub}"
    for row_number, values in sheet_rows(
        ws, min_row=FIRST_DATA_ROW, width=len(names), column_name=names, errors=errors, sheet=""
    ):
        if all(_text(v) == "" for v in values):
            continue
        row, row_errors = _parse_row(values, row_number, pos, units, areas)
        errors += row_errors
        if row is None:
            continue
        key = (row.org_unit.pk, row.area.pk, row.values["item_l1"], row.values["item_l2"])
        if key in seen:
            errors.append(
                _error(row_number, "二级事项", f"与第{seen[key]}行是同一公开事项（重复）")
            )
            continue
        seen[key] = row_number
        parsed.append(row)
    wb.close()
    if not parsed and not errors:
        errors.append(_error(0, "", "文件中没有公开事项（表头以下是空的）"))
    if errors:
        raise DirectoryImportRejected(errors)
    return parsed


# --- writing -----------------------------------------------------------------------------


def _service_errors(row: int, exc: Exception) -> list[RowError]:
    if isinstance(exc, PermissionDenied):
        return [_error(row, "公开主体", str(exc) or "没有权限")]
    if hasattr(exc, "error_dict"):
        return [
            _error(row, FIELD_COLUMNS.get(name, ""), message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [_error(row, "", message) for message in exc.messages]


def import_directory(
    *, actor, unit: OrgUnit, content: bytes, dry_run: bool = False
) -> ImportSummary:
    """Check the whole file, then create or update every entry through the directory
    services in one transaction. Any problem (or ``dry_run``) rolls everything back; the
    summary says what was (or would be) created and changed, row by row."""
    parsed = read_directory(content, unit=unit)
    errors: list[RowError] = []
    outcomes: list[RowOutcome] = []
    with transaction.atomic():
        for row in parsed:
            label = f"{row.area.name}／{row.values['item_l1']}／{row.values['item_l2']}"
            existing = DirectoryEntry.objects.filter(
                org_unit=row.org_unit,
                area=row.area,
                item_l1=row.values["item_l1"],
                item_l2=row.values["item_l2"],
            ).first()
            try:
                if existing is None:
                    services.directory_entry_create(
                        actor=actor, org_unit=row.org_unit, area=row.area, **row.values
                    )
                    outcomes.append(RowOutcome(row.row, "新增", label))
                else:
                    before = snapshot(existing, ENTRY_FIELDS)
                    after = services.directory_entry_update(
                        actor=actor, entry=existing, **row.values
                    )
                    changed = diff(before, snapshot(after, ENTRY_FIELDS))
                    outcomes.append(
                        RowOutcome(
                            row.row,
                            "修改" if changed else "无变化",
                            label,
                            [FIELD_COLUMNS.get(name, name) for name in changed],
                        )
                    )
            except (ValidationError, PermissionDenied) as exc:
                errors += _service_errors(row.row, exc)
        if errors or dry_run:
            transaction.set_rollback(True)
    if errors:
        raise DirectoryImportRejected(errors)
    return ImportSummary(dry_run=dry_run, rows=outcomes)
