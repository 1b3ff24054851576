"""The import itself: check everything, then write everything in one transaction or
nothing (``dry_run`` rolls back after the full pass).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sanyi.catalog.exchange._common import (
    ImportFailed,
    ImportProblem,
    ImportResult,
    Locator,
    PlannedItem,
    Progress,
    UnitIndex,
    json_locator,
)
from sanyi.catalog.exchange.document import read_json
from sanyi.catalog.exchange.planning import _check_document, _check_life_events, _plan_item
from sanyi.catalog.exchange.workbook import read_xlsx
from sanyi.catalog.exchange.writing import _write_item, _write_life_events
from sanyi.catalog.guide import (
    GuideInvalid,
)
from sanyi.catalog.models import BaseItem, ImplementationItem, LifeEvent
from sanyi.core.actors import is_user


def catalog_import(
    *,
    actor,
    document: Any,
    dry_run: bool = False,
    as_draft: bool = False,
    progress: Progress | None = None,
    locate: Locator = json_locator,
    publish_without_review: bool = False,
) -> ImportResult:
    """Import a catalogue document (the JSON format, already parsed). All or nothing:
    raises ImportFailed with every problem found, leaving the database unchanged. Items
    marked published are submitted for a second admin's review, never published; only the
    demo loader (a system actor) passes ``publish_without_review`` (docs/catalog.md)."""
    if publish_without_review and is_user(actor):
        raise PermissionDenied("导入不能跳过审核直接发布")
    progress = progress or (lambda done, total, message: None)
    problems = _check_document(document)
    if problems:
        raise ImportFailed(problems)
    raw_items = document["items"]
    total = len(raw_items)
    plans = _plan_items(
        raw_items=raw_items, as_draft=as_draft, locate=locate, progress=progress, problems=problems
    )
    events = _check_life_event_names(
        document=document, plans=plans, locate=locate, problems=problems
    )
    file_names = {p.name for p in plans}
    if problems:
        raise ImportFailed(problems)

    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        written = _write_items(
            actor=actor,
            plans=plans,
            locate=locate,
            progress=progress,
            total=total,
            result=result,
            problems=problems,
            publish_without_review=publish_without_review,
        )
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


def _plan_items(
    *,
    raw_items: list,
    as_draft: bool,
    locate: Locator,
    progress: Progress,
    problems: list[ImportProblem],
) -> list[PlannedItem]:
    """Plan every item of the document, adding to ``problems`` each item's own problems and
    the items that repeat an implementation code, or a name within one implementing unit."""
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
    return plans


def _check_life_event_names(
    *, document: Any, plans: list[PlannedItem], locate: Locator, problems: list[ImportProblem]
) -> list[dict]:
    """Check the document's life events, and that every life event an item names is either
    in the document or already known. Returns the document's checked life events."""
    known_events = set(LifeEvent.objects.values_list("name", flat=True))
    events = _check_life_events(document.get("life_events", []), problems)
    known_events |= {e["name"] for e in events}
    for plan in plans:
        for name in plan.life_events:
            if name not in known_events:
                problems.append(
                    ImportProblem(locate(plan.index, "life_events"), f"“一件事”“{name}”没有定义")
                )
    return events


def _write_items(
    *,
    actor,
    plans: list[PlannedItem],
    locate: Locator,
    progress: Progress,
    total: int,
    result: ImportResult,
    problems: list[ImportProblem],
    publish_without_review: bool = False,
) -> dict[int, ImplementationItem]:
    """Write every planned item, each in its own savepoint so one item's problem is listed
    and the others still go through the database's checks. Returns the items by index."""
    base_by_ref: dict[str, BaseItem] = {}
    written: dict[int, ImplementationItem] = {}
    # Main items first, so a sub-item in the same file finds its main item.
    for done, plan in enumerate(sorted(plans, key=lambda p: bool(p.main_ref)), start=1):
        try:
            with transaction.atomic():
                written[plan.index] = _write_item(
                    actor=actor,
                    plan=plan,
                    base_by_ref=base_by_ref,
                    result=result,
                    publish_without_review=publish_without_review,
                )
        except GuideInvalid as exc:
            problems += [ImportProblem(locate(plan.index, e.path), e.message) for e in exc.errors]
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            problems += [ImportProblem(locate(plan.index, ""), m) for m in messages]
        progress(total + done, total * 2, f"写入第{done}个事项")
    return written


def catalog_import_file(
    *,
    actor,
    path: str | Path,
    dry_run: bool = False,
    as_draft: bool = False,
    progress: Progress | None = None,
    publish_without_review: bool = False,
) -> ImportResult:
    """Import a .json or .xlsx file (see ``catalog_import``)."""
    path = Path(path)
    data = path.read_bytes()
    options: dict[str, Any] = {
        "actor": actor,
        "dry_run": dry_run,
        "as_draft": as_draft,
        "progress": progress,
        "publish_without_review": publish_without_review,
    }
    if path.suffix.lower() == ".xlsx":
        document, locator = read_xlsx(data)
        return catalog_import(document=document, locate=locator, **options)
    if path.suffix.lower() == ".json":
        return catalog_import(document=read_json(data), **options)
    raise ImportFailed([ImportProblem("", "只能导入 .json 或 .xlsx 文件")])
