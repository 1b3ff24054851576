"""Import and export of the catalogue: the JSON format of docs/catalog-format.md and the
Excel workbook with the same fields in Chinese columns.

Import checks every item first and reports every problem at once (JSON: item index and
field path; Excel: sheet, row and column). It then writes everything in one transaction,
or nothing: with ``dry_run`` the transaction is rolled back after the full pass, so a dry
run also meets the database's own checks. Re-importing an implementation code makes a new
version only when the guide changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from sanyi.catalog import codes
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
    MaterialSource,
    MaterialType,
    OnlineDepth,
    PowerSource,
    ResultType,
    ServiceObject,
    StepUnitLevel,
    VersionStatus,
)
from sanyi.catalog.guide import (
    CHILD_KEYS,
    FieldError,
    GuideInvalid,
    clean_guide,
    guide_of,
    parse_date,
    versions_with_children,
)
from sanyi.catalog.lint import Severity, lint_guide
from sanyi.catalog.models import BaseItem, ImplementationItem, ItemVersion, LifeEvent
from sanyi.catalog.services import (
    implementation_item_update,
    item_create,
    item_import_publish,
    item_version_new_draft,
    item_version_update,
    life_event_save,
)
from sanyi.core.imports import ImportRejected, RowError
from sanyi.core.xlsx import open_workbook, sheet_rows, workbook_bytes
from sanyi.orgs.models import OrgUnit, Role

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
    life_events: list[str] = field(default_factory=list)
    notes: list[ImportProblem] = field(default_factory=list)

    def summary(self) -> str:
        head = "试导入（未写入数据库）" if self.dry_run else "导入完成"
        return (
            f"{head}：新增事项{len(self.created)}个，新版本{len(self.new_versions)}个，"
            f"未变化{len(self.unchanged)}个，因质量错误保留为草稿{len(self.kept_as_draft)}个，"
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


def _plan_item(
    index: int, raw: Any, units: UnitIndex, as_draft: bool
) -> tuple[PlannedItem, list[FieldError]]:
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

    def text(key: str, label: str, max_length: int = 200) -> str:
        value = raw.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            errors.append(FieldError(key, f"{label}应为文字"))
            return ""
        value = value.strip()
        if len(value) > max_length:
            errors.append(FieldError(key, f"{label}最多{max_length}个字"))
        return value

    def code(key: str, label: str, choices) -> str:
        value = raw.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value not in choices.values:
            if key in raw:
                allowed = "、".join(f"{v}（{lbl}）" for v, lbl in choices.choices)
                errors.append(FieldError(key, f"{label}“{value}”不在代码表中，可选：{allowed}"))
            return ""
        return value

    plan.name = text("name", "事项名称")
    if "name" in raw and not plan.name:
        errors.append(FieldError("name", "事项名称不能为空"))
    plan.item_type = code("item_type", "事项类型", ItemType)
    plan.identity = {
        "level": code("level", "行使层级", ItemLevel),
        "power_source": code("power_source", "权力来源", PowerSource),
        "implementer_nature": code("implementer_nature", "实施主体性质", ImplementerNature),
        "entrusting_body": text("entrusting_body", "委托部门"),
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
    plan.main_ref = text("main_item", "主项")
    plan.base_code = text("base_code", "基本编码", 20).upper()
    plan.implementation_code = text("implementation_code", "实施编码", 40).upper()
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


def _existing_item(plan: PlannedItem, main: BaseItem | None) -> ImplementationItem | None:
    if plan.implementation_code:
        return ImplementationItem.objects.filter(
            implementation_code=plan.implementation_code
        ).first()
    if plan.base_code:
        base = BaseItem.objects.filter(base_code=plan.base_code).first()
    else:
        base = BaseItem.objects.filter(
            name=plan.name, item_type=plan.item_type, main_item=main
        ).first()
    if base is None:
        return None
    return (
        ImplementationItem.objects.filter(base_item=base, implementing_unit=plan.unit)
        .exclude(versions__status=VersionStatus.CANCELLED)
        .first()
    )


def _face(item: ImplementationItem) -> ItemVersion | None:
    """The version an import compares with: the working copy, else the published one."""
    versions = versions_with_children(
        item.versions.filter(
            status__in=[VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.PUBLISHED]
        )
    )
    ordered = sorted(versions, key=lambda v: v.status == VersionStatus.PUBLISHED)
    return ordered[0] if ordered else None


def _with_known_variant_codes(guide: dict, previous: dict) -> dict:
    known = {row["name"]: row["code"] for row in previous["handling_variants"] if row["code"]}
    out = dict(guide)
    out["handling_variants"] = [
        {**row, "code": row.get("code") or known.get(row["name"], "")}
        for row in guide["handling_variants"]
    ]
    return out


def _resolve_main(plan: PlannedItem, base_by_ref: dict[str, BaseItem]) -> BaseItem | None:
    if not plan.main_ref:
        return None
    main = base_by_ref.get(plan.main_ref)
    if main is None:
        main = BaseItem.objects.filter(
            Q(base_code=plan.main_ref.upper())
            | Q(name=plan.main_ref, item_type=plan.item_type, main_item__isnull=True)
        ).first()
    if main is None:
        raise GuideInvalid([FieldError("main_item", f"主项“{plan.main_ref}”找不到")])
    return main


def _write_item(
    *, actor, plan: PlannedItem, base_by_ref: dict[str, BaseItem], result: ImportResult
) -> ImplementationItem:
    main = _resolve_main(plan, base_by_ref)
    existing = _existing_item(plan, main)
    publish = plan.status == VersionStatus.PUBLISHED
    if existing is None:
        version = item_create(
            actor=actor,
            name=plan.name,
            item_type=plan.item_type,
            implementing_unit=plan.unit,
            base_code=plan.base_code or None,
            implementation_code=plan.implementation_code or None,
            main_item=main,
            guide=plan.guide,
            effective_on=plan.effective_on,
            change_note="导入",
            **plan.identity,
        )
        item = version.implementation_item
        result.created.append(item.implementation_code)
    else:
        item = existing
        if item.implementing_unit_id != plan.unit.pk:
            raise GuideInvalid(
                [
                    FieldError(
                        "implementing_unit",
                        (
                            f"实施编码{item.implementation_code}属于“{item.implementing_unit.name}”，"
                            "不能改为其他实施主体"
                        ),
                    )
                ]
            )
        if item.base_item.name != plan.name or item.base_item.item_type != plan.item_type:
            raise GuideInvalid(
                [
                    FieldError(
                        "name",
                        (
                            f"实施编码{item.implementation_code}对应事项“{item.base_item.name}”"
                            f"（{item.base_item.get_item_type_display()}），与导入的名称或类型不一致"
                        ),
                    )
                ]
            )
        implementation_item_update(actor=actor, implementation_item=item, **plan.identity)
        face = _face(item)
        if face is None:
            raise GuideInvalid(
                [
                    FieldError(
                        "implementation_code",
                        (f"实施编码{item.implementation_code}没有可更新的版本"),
                    )
                ]
            )
        previous = guide_of(face)
        guide = _with_known_variant_codes(plan.guide, previous)
        changed = previous != guide
        if face.status == VersionStatus.IN_REVIEW:
            if changed:
                raise GuideInvalid([FieldError("", f"{face}正在审核，不能用导入覆盖")])
            # Unchanged and already with the reviewers: the review decides, not the file.
            result.unchanged.append(item.implementation_code)
            version = face
        elif not changed and (
            face.status == VersionStatus.PUBLISHED or not publish or plan.lint_errors
        ):
            result.unchanged.append(item.implementation_code)
            version = face
        else:
            if face.status == VersionStatus.PUBLISHED:
                version = item_version_new_draft(
                    actor=actor, implementation_item=item, change_note="导入"
                )
            else:
                version = face
            if changed:
                version = item_version_update(
                    actor=actor, version=version, guide=guide, effective_on=plan.effective_on
                )
            result.new_versions.append(item.implementation_code)
    base_by_ref[plan.name] = item.base_item
    base_by_ref[item.base_item.base_code] = item.base_item
    if version.status == VersionStatus.DRAFT and publish:
        if plan.lint_errors:
            result.kept_as_draft.append(item.implementation_code)
            result.notes.append(
                ImportProblem(
                    f"items[{plan.index}]",
                    f"“{plan.name}”有质量错误（见 sanyi catalog lint），已作为草稿导入，未发布",
                )
            )
        else:
            item_import_publish(actor=actor, version=version, effective_on=plan.effective_on)
    return item


def _check_life_events(raw_events: list, problems: list[ImportProblem]) -> list[dict]:
    events = []
    for i, raw in enumerate(raw_events):
        where = f"life_events[{i}]"
        if not isinstance(raw, dict):
            problems.append(ImportProblem(where, "“一件事”应为对象"))
            continue
        unknown = sorted(set(raw) - {"name", "description", "audience", "items"})
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
            }
        )
    return events


def catalog_import(
    *,
    actor,
    document: Any,
    dry_run: bool = False,
    as_draft: bool = False,
    progress: Progress | None = None,
    locate: Locator = json_locator,
) -> ImportResult:
    """Import a catalogue document (the JSON format, already parsed). All or nothing:
    raises ImportFailed with every problem found, leaving the database unchanged."""
    progress = progress or (lambda done, total, message: None)
    problems = _check_document(document)
    if problems:
        raise ImportFailed(problems)
    raw_items = document["items"]
    total = len(raw_items)
    units = UnitIndex()
    plans: list[PlannedItem] = []
    seen_codes: dict[str, int] = {}
    seen_pairs: dict[tuple, int] = {}
    for index, raw in enumerate(raw_items):
        plan, errors = _plan_item(index, raw, units, as_draft)
        problems += [ImportProblem(locate(index, e.path), e.message) for e in errors]
        if plan.implementation_code:
            first = seen_codes.get(plan.implementation_code)
            if first is not None:
                problems.append(
                    ImportProblem(
                        locate(index, "implementation_code"),
                        (f"实施编码{plan.implementation_code}与第{first + 1}个事项重复"),
                    )
                )
            seen_codes.setdefault(plan.implementation_code, index)
        pair = (plan.name, plan.item_type, plan.main_ref, getattr(plan.unit, "pk", None))
        if pair in seen_pairs and plan.unit is not None:
            problems.append(
                ImportProblem(
                    locate(index, "name"),
                    (f"与第{seen_pairs[pair] + 1}个事项重复：同一实施主体的同一事项只能有一条"),
                )
            )
        seen_pairs.setdefault(pair, index)
        plans.append(plan)
        progress(index + 1, total * 2, f"检查第{index + 1}个事项")
    known_events = set(LifeEvent.objects.values_list("name", flat=True))
    events = _check_life_events(document.get("life_events", []), problems)
    known_events |= {e["name"] for e in events}
    for plan in plans:
        for name in plan.life_events:
            if name not in known_events:
                problems.append(
                    ImportProblem(locate(plan.index, "life_events"), f"“一件事”“{name}”没有定义")
                )
    file_names = {p.name for p in plans}
    if problems:
        raise ImportFailed(problems)

    result = ImportResult(dry_run=dry_run)
    base_by_ref: dict[str, BaseItem] = {}
    with transaction.atomic():
        written: dict[int, ImplementationItem] = {}
        # Main items first, so a sub-item in the same file finds its main item.
        for done, plan in enumerate(sorted(plans, key=lambda p: bool(p.main_ref)), start=1):
            try:
                with transaction.atomic():
                    written[plan.index] = _write_item(
                        actor=actor, plan=plan, base_by_ref=base_by_ref, result=result
                    )
            except GuideInvalid as exc:
                problems += [
                    ImportProblem(locate(plan.index, e.path), e.message) for e in exc.errors
                ]
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                problems += [ImportProblem(locate(plan.index, ""), m) for m in messages]
            progress(total + done, total * 2, f"写入第{done}个事项")
        if not problems:
            _write_life_events(
                actor=actor,
                events=events,
                plans=plans,
                written=written,
                file_names=file_names,
                problems=problems,
                result=result,
            )
        if problems:
            transaction.set_rollback(True)
            raise ImportFailed(problems)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _write_life_events(*, actor, events, plans, written, file_names, problems, result) -> None:
    live = ImplementationItem.objects.exclude(versions__status=VersionStatus.CANCELLED)
    by_name: dict[str, set[int]] = {}
    for pk, name in live.values_list("pk", "base_item__name"):
        by_name.setdefault(name, set()).add(pk)
    members: dict[str, set[int]] = {}
    for event in events:
        chosen: set[int] = set()
        for j, name in enumerate(event["items"]):
            if name not in by_name:
                problems.append(
                    ImportProblem(
                        f"life_events[{event['index']}].items[{j}]", f"事项“{name}”不存在"
                    )
                )
            chosen |= by_name.get(name, set())
        members[event["name"]] = chosen
    for plan in plans:
        for name in plan.life_events:
            if name not in members:
                # Defined before this import: it keeps its items and gains this one.
                members[name] = set(
                    LifeEvent.objects.get(name=name).items.values_list("pk", flat=True)
                )
            members[name].add(written[plan.index].pk)
    if problems:
        return
    details = {e["name"]: e for e in events}
    for name, pks in members.items():
        event = details.get(name)
        existing = LifeEvent.objects.filter(name=name).first()
        life_event_save(
            actor=actor,
            name=name,
            description=event["description"] if event else existing.description,
            audience=event["audience"] if event else existing.audience,
            items=list(ImplementationItem.objects.filter(pk__in=pks)),
        )
        result.life_events.append(name)


# --- export ----------------------------------------------------------------------------


def _export_versions(status: str | None):
    qs = ItemVersion.objects.select_related(
        "implementation_item__base_item__main_item",
        "implementation_item__implementing_unit",
        "implementation_item__delegated_from",
    ).prefetch_related("implementation_item__life_events")
    if status == VersionStatus.DRAFT:
        qs = qs.filter(status=VersionStatus.DRAFT)
    elif status == VersionStatus.PUBLISHED:
        qs = qs.filter(status=VersionStatus.PUBLISHED)
    else:
        # The face of every live code: the published version, or its draft when the code
        # was never published.
        qs = qs.filter(
            Q(status=VersionStatus.PUBLISHED)
            | (
                Q(status=VersionStatus.DRAFT)
                & ~Q(implementation_item__versions__status=VersionStatus.PUBLISHED)
            )
        )
    return versions_with_children(qs).order_by(
        "implementation_item__base_item__base_code", "implementation_item__implementation_code"
    )


def catalog_export(*, viewer, status: str | None = None) -> dict[str, Any]:
    """The catalogue as a JSON-able document of docs/catalog-format.md.

    ``status``: "published", "draft" or None (published, plus never-published drafts).
    Drafts are exported only for system actors and catalogue admins (in their scope).
    """
    from sanyi.catalog.selectors import visible_versions

    visible = set(visible_versions(viewer).values_list("pk", flat=True))
    items = []
    for version in _export_versions(status):
        if version.pk not in visible:
            continue
        item = version.implementation_item
        base = item.base_item
        guide = guide_of(version)
        entry: dict[str, Any] = {
            "base_code": base.base_code,
            "implementation_code": item.implementation_code,
            "name": base.name,
            "item_type": base.item_type,
        }
        if base.main_item_id:
            entry["main_item"] = base.main_item.base_code
        entry.update(
            {
                "implementing_unit": UnitIndex.reference(item.implementing_unit),
                "level": item.level,
                "power_source": item.power_source,
                "implementer_nature": item.implementer_nature,
                "entrusting_body": item.entrusting_body,
            }
        )
        if item.delegated_from_id:
            entry["delegated_from"] = UnitIndex.reference(item.delegated_from)
        entry.update(guide)
        entry["life_events"] = sorted(e.name for e in item.life_events.all())
        entry["status"] = version.status
        if version.effective_on:
            entry["effective_on"] = version.effective_on.isoformat()
        items.append(entry)
    events = []
    for event in LifeEvent.objects.prefetch_related("items__base_item").order_by(
        "sort_order", "name"
    ):
        events.append(
            {
                "name": event.name,
                "description": event.description,
                "audience": event.audience,
                "items": sorted({i.base_item.name for i in event.items.all()}),
            }
        )
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "items": items, "life_events": events}


def export_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def read_json(data: bytes | str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed([ImportProblem("", f"不是有效的JSON文件：{exc}")]) from None


# --- Excel -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    key: str  # path inside the item / child row, e.g. "statutory_limit.value"
    kind: str = "text"  # text, int, bool, date, choice, multi, list
    choices: Any = None
    help: str = ""


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
}
EVENT_COLUMNS = [
    Column("名称", "name"),
    Column("说明", "description"),
    Column("面向对象", "audience", "choice", LifeEventAudience),
    Column("包含事项", "items", "list", help="事项名称，用“、”分隔"),
]
LIST_SEPARATORS = "、,，;；\n"
OPTIONAL_CHILD_COLUMNS = {key: set(CHILD_KEYS[key][1]) for key in CHILD_KEYS}


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
    return value


def _get(data: dict, key: str) -> Any:
    head, _, tail = key.partition(".")
    value = data.get(head)
    return value.get(tail) if tail and isinstance(value, dict) else value


def export_xlsx(document: dict) -> bytes:
    """The document as the Excel workbook (same fields, Chinese columns, labels for codes)."""
    wb = _new_workbook()
    items_ws = wb["事项"]
    for item in document["items"]:
        row = {**item, "_key": item["implementation_code"]}
        items_ws.append([_cell_out(c, _get(row, c.key)) for c in ITEM_COLUMNS])
        for key, (sheet, columns) in CHILD_SHEETS.items():
            for child in item.get(key, []):
                data = {**child, "_key": item["implementation_code"]}
                wb[sheet].append([_cell_out(c, data.get(c.key)) for c in columns])
    for event in document.get("life_events", []):
        wb["一件事"].append([_cell_out(c, event.get(c.key)) for c in EVENT_COLUMNS])
    return workbook_bytes(wb)


def _new_workbook(*, with_help: bool = False):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    if with_help:
        _help_sheet(wb.create_sheet("填写说明"))
    sheets = [("事项", ITEM_COLUMNS), *CHILD_SHEETS.values(), ("一件事", EVENT_COLUMNS)]
    for title, columns in sheets:
        ws = wb.create_sheet(title)
        ws.append([c.header for c in columns])
        for i, column in enumerate(columns):
            ws.cell(row=1, column=i + 1).font = Font(bold=True)
            ws.column_dimensions[_letter(i)].width = max(10, len(column.header) * 2 + 2)
            if column.kind == "choice":
                labels = ",".join(column.choices.labels)
                if len(labels) < 250:  # Excel's limit for an inline list
                    check = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
                    check.error = f"请从下拉列表中选择{column.header}"
                    ws.add_data_validation(check)
                    check.add(f"{_letter(i)}2:{_letter(i)}5000")
        ws.freeze_panes = "A2"
    return wb


def _help_sheet(ws) -> None:
    from openpyxl.styles import Font

    ws.append(["政务服务事项导入模板填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in (
        "1. 每个实施清单事项在“事项”工作表占一行；材料、收费、流程、依据、业务办理项在各自工作表，"
        "每行用“事项编号”对应到事项。",
        "2. 代码类字段可填写名称（如“行政许可”）或代码（如“01”）；多选字段用“、”分隔。",
        "3. 时限单位为“无时限”时，时限天数留空。是否类字段填“是”或“否”。日期写成2026-01-31。",
        "4. 导入前会逐行检查，所有问题一次列出（工作表、行、列）；有任何问题时不导入任何数据。",
        "5. 命令：sanyi catalog import 文件.xlsx --dry-run 先试导入，确认无误后去掉 --dry-run。",
    ):
        ws.append([line])
    ws.append([])
    ws.append(["工作表", "列", "说明", "可选值"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    sheets = [("事项", ITEM_COLUMNS), *CHILD_SHEETS.values(), ("一件事", EVENT_COLUMNS)]
    for title, columns in sheets:
        for column in columns:
            allowed = "、".join(column.choices.labels) if column.choices else ""
            ws.append([title, column.header, column.help, allowed])
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["D"].width = 60


def template_xlsx() -> bytes:
    """An empty workbook with every sheet, the column headers and a 填写说明 sheet."""
    wb = _new_workbook(with_help=True)
    return workbook_bytes(wb)


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
    raise ValueError(column.kind)


def _set(data: dict, key: str, value: Any) -> None:
    head, _, tail = key.partition(".")
    if tail:
        data.setdefault(head, {})[tail] = value
    else:
        data[head] = value


def _rows(ws, columns: list[Column], sheet: str, problems: list[ImportProblem]):
    """(row number, {key: value}) of each non-empty row, after checking the headers.
    A formula or over-long cell is a problem at its cell, and its row is not read."""
    cell_errors: list[RowError] = []
    first = next(
        (v for _n, v in sheet_rows(ws, min_row=1, max_row=1, errors=cell_errors, sheet=sheet)),
        (),
    )
    header = [str(v).strip() if v is not None else "" for v in first]
    problems += [_cell_problem(e) for e in cell_errors]
    cell_errors.clear()
    positions = {}
    for column in columns:
        if column.header not in header:
            problems.append(ImportProblem(f"{sheet} 第1行", f"缺少“{column.header}”列"))
            continue
        positions[column.key] = header.index(column.header)
    known = {c.header for c in columns}
    for i, name in enumerate(header):
        if name and name not in known:
            problems.append(
                ImportProblem(
                    f"{sheet} 第1行 {_letter(i)}列", f"未知的列“{name}”（请使用模板的列名）"
                )
            )
    names = [
        f"{_letter(i)}列（{name}）" if name else f"{_letter(i)}列" for i, name in enumerate(header)
    ]
    rows = sheet_rows(
        ws, min_row=2, width=len(header) or 1, column_name=names, errors=cell_errors, sheet=sheet
    )
    for number, cells in rows:
        problems += [_cell_problem(e) for e in cell_errors]
        cell_errors.clear()
        data = {}
        for column in columns:
            if column.key in positions:
                pos = positions[column.key]
                _set(data, column.key, _cell_in(column, cells[pos] if pos < len(cells) else None))
        yield number, data
    problems += [_cell_problem(e) for e in cell_errors]


def _cell_problem(error: RowError) -> ImportProblem:
    where = f"{error.sheet} 第{error.row}行" + (f" {error.column}" if error.column else "")
    return ImportProblem(where, error.message)


@dataclass
class WorkbookLocator:
    item_rows: dict[int, int] = field(default_factory=dict)  # item index → 事项 row
    child_rows: dict[tuple[int, str, int], int] = field(default_factory=dict)

    def __call__(self, index: int | None, path: str) -> str:
        if index is None:
            return path
        sheet, columns, row = "事项", ITEM_COLUMNS, self.item_rows.get(index)
        key = path
        head = path.split(".")[0].split("[")[0]
        if head in CHILD_SHEETS and "[" in path:
            position = int(path.split("[")[1].split("]")[0])
            sheet, columns = CHILD_SHEETS[head]
            row = self.child_rows.get((index, head, position))
            key = path.split("].", 1)[1] if "]." in path else ""
        elif head in CHILD_SHEETS:
            key = ""
        where = f"{sheet} 第{row}行"
        keys = [c.key for c in columns]
        lookup = key if key in keys else key.split("[")[0]
        if lookup in keys:
            i = keys.index(lookup)
            where += f" {_letter(i)}列（{columns[i].header}）"
        return where


UNREADABLE = "无法读取Excel文件：请上传.xlsx格式的文件（可先下载导入模板）"


def read_xlsx(data: bytes) -> tuple[dict, WorkbookLocator]:
    """The workbook as a JSON-format document, and a locator from item paths to cells.
    Raises ImportFailed for problems of the workbook's shape (sheets, columns, keys)."""
    try:
        wb = open_workbook(
            data, unreadable="无法读取Excel文件：请上传.xlsx格式的文件（可先下载导入模板）"
        )
    except ImportRejected as exc:
        raise ImportFailed([ImportProblem("", e.message) for e in exc.errors]) from None
    problems: list[ImportProblem] = []
    missing = [s for s in ("事项", "材料", "收费", "流程", "依据") if s not in wb.sheetnames]
    if missing:
        raise ImportFailed([ImportProblem("", f"缺少工作表：{'、'.join(missing)}")])
    locator = WorkbookLocator()
    items: list[dict] = []
    by_key: dict[str, int] = {}
    for number, row in _rows(wb["事项"], ITEM_COLUMNS, "事项", problems):
        key = row.pop("_key", "")
        if not key:
            problems.append(ImportProblem(f"事项 第{number}行 A列（事项编号）", "事项编号不能为空"))
            continue
        if key in by_key:
            problems.append(
                ImportProblem(f"事项 第{number}行 A列（事项编号）", f"事项编号“{key}”重复")
            )
            continue
        for optional in (
            "base_code",
            "implementation_code",
            "main_item",
            "delegated_from",
            "effective_on",
        ):
            if row.get(optional) in ("", None):
                row.pop(optional, None)
        if row.get("status") == "":
            row.pop("status")
        for key_name in CHILD_SHEETS:
            row[key_name] = []
        by_key[key] = len(items)
        locator.item_rows[len(items)] = number
        items.append(row)
    for child_key, (sheet, columns) in CHILD_SHEETS.items():
        if sheet not in wb.sheetnames:
            continue  # 业务办理项 may be left out of hand-made workbooks
        for number, row in _rows(wb[sheet], columns, sheet, problems):
            key = row.pop("_key", "")
            if key not in by_key:
                problems.append(
                    ImportProblem(
                        f"{sheet} 第{number}行 A列（事项编号）",
                        f"事项编号“{key}”在“事项”工作表中找不到",
                    )
                )
                continue
            index = by_key[key]
            for optional in OPTIONAL_CHILD_COLUMNS[child_key]:
                if row.get(optional) in ("", None):
                    row.pop(optional, None)
            locator.child_rows[(index, child_key, len(items[index][child_key]))] = number
            items[index][child_key].append(row)
    events = []
    if "一件事" in wb.sheetnames:
        for _, row in _rows(wb["一件事"], EVENT_COLUMNS, "一件事", problems):
            events.append(row)
    if problems:
        raise ImportFailed(problems)
    return (
        {"format": FORMAT_NAME, "version": FORMAT_VERSION, "items": items, "life_events": events},
        locator,
    )


def catalog_import_file(
    *,
    actor,
    path: str | Path,
    dry_run: bool = False,
    as_draft: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a .json or .xlsx file (see ``catalog_import``)."""
    path = Path(path)
    data = path.read_bytes()
    if path.suffix.lower() == ".xlsx":
        document, locator = read_xlsx(data)
        return catalog_import(
            actor=actor,
            document=document,
            dry_run=dry_run,
            as_draft=as_draft,
            progress=progress,
            locate=locator,
        )
    if path.suffix.lower() == ".json":
        return catalog_import(
            actor=actor,
            document=read_json(data),
            dry_run=dry_run,
            as_draft=as_draft,
            progress=progress,
        )
    raise ImportFailed([ImportProblem("", "只能导入 .json 或 .xlsx 文件")])
