"""Writing planned items and life events: new items, new versions only when the guide
changed, and the links to main items.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q

from sanyi.catalog.choices import (
    VersionStatus,
)
from sanyi.catalog.exchange._common import ImportProblem, ImportResult, PlannedItem
from sanyi.catalog.guide import (
    FieldError,
    GuideInvalid,
    guide_of,
    versions_with_children,
)
from sanyi.catalog.models import BaseItem, ImplementationItem, ItemVersion, LifeEvent
from sanyi.catalog.services import (
    implementation_item_update,
    item_create,
    item_import_publish,
    item_version_new_draft,
    item_version_submit,
    item_version_update,
    life_event_arrange,
    life_event_save,
)


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
    *,
    actor,
    plan: PlannedItem,
    base_by_ref: dict[str, BaseItem],
    result: ImportResult,
    publish_without_review: bool = False,
) -> ImplementationItem:
    """Write one planned item: create it, or update the existing item of its code (a new
    version only when the guide changed). An item the file marks published is sent to
    review (a second catalogue admin approves it before it is published); only the demo
    loader publishes at once (``publish_without_review``)."""
    main = _resolve_main(plan, base_by_ref)
    existing = _existing_item(plan, main)
    publish = plan.status == VersionStatus.PUBLISHED
    if existing is None:
        item, version = _create_item(actor=actor, plan=plan, main=main)
        result.created.append(item.implementation_code)
    else:
        item = existing
        _check_same_item(item, plan)
        version = _update_item(actor=actor, plan=plan, item=item, publish=publish, result=result)
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
        elif publish_without_review:
            item_import_publish(actor=actor, version=version, effective_on=plan.effective_on)
        else:
            item_version_submit(actor=actor, version=version)
            result.submitted.append(item.implementation_code)
    return item


def _create_item(*, actor, plan: PlannedItem, main: BaseItem | None):
    """Create a new item from the plan; returns the item and its first version."""
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
    return item, version


def _check_same_item(item: ImplementationItem, plan: PlannedItem) -> None:
    """An existing code may not move to another unit, nor change its name or type."""
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


def _update_item(
    *, actor, plan: PlannedItem, item: ImplementationItem, publish: bool, result: ImportResult
) -> ItemVersion:
    """Bring an existing item in line with the plan: its identity, and a new or updated
    draft only when the guide changed. Returns the version to publish or keep."""
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
    if "eligibility_rules" not in plan.raw:
        # The Excel template has no sheet for rules: a file without them keeps the rules.
        guide = {**guide, "eligibility_rules": previous["eligibility_rules"]}
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
    return version


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
        saved = life_event_save(
            actor=actor,
            name=name,
            description=event["description"] if event else existing.description,
            audience=event["audience"] if event else existing.audience,
            items=list(ImplementationItem.objects.filter(pk__in=pks)),
        )
        if event and (event["fields"] or event["steps"]):
            try:
                life_event_arrange(
                    actor=actor, event=saved, fields=event["fields"], steps=event["steps"]
                )
            except ValidationError as exc:
                where = f"life_events[{event['index']}]"
                for key, messages in exc.message_dict.items():
                    problems += [ImportProblem(f"{where}.{key}", m) for m in messages]
        result.life_events.append(name)
