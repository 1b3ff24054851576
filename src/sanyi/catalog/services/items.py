"""Creating implementation items (with their base item and codes) and editing an item's
identity fields.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sanyi.audit.services import audit_record
from sanyi.catalog import codes
from sanyi.catalog.choices import (
    CodeKind,
    ImplementerNature,
    ItemLevel,
    ItemType,
    PowerSource,
    VersionStatus,
)
from sanyi.catalog.guide import (
    FieldError,
    GuideInvalid,
    apply_guide_fields,
    clean_guide,
    write_children,
)
from sanyi.catalog.models import (
    BaseItem,
    ImplementationItem,
    ItemVersion,
)
from sanyi.catalog.services._common import (
    IDENTITY_FIELDS,
    _lock_item,
    _raise_guide_errors,
    _require_editor,
    actor_label,
)
from sanyi.core.actors import Actor, actor_user
from sanyi.core.pagecache import public_content_changed
from sanyi.orgs.models import OrgUnit


def _variant_codes(
    *, item: ImplementationItem, guide: dict, previous: list[dict], label: str
) -> None:
    """Give every handling variant a code: keep the one it had, validate a given one, or
    issue a new one."""
    by_name = {row["name"]: row["code"] for row in previous if row.get("code")}
    seen: set[str] = set()
    for index, row in enumerate(guide["handling_variants"]):
        code = (row.get("code") or by_name.get(row["name"], "")).upper()
        if code and code in seen:
            raise GuideInvalid(
                [FieldError(f"handling_variants[{index}].code", f"业务办理项编码{code}重复")]
            )
        seen.add(code)
        if not code:
            row["code"] = codes.generate_variant_code(
                implementation_code=item.implementation_code, name=row["name"], actor_label=label
            )
            continue
        try:
            code = codes.validate_variant_code(code, implementation_code=item.implementation_code)
        except ValidationError as exc:
            raise GuideInvalid(
                [FieldError(f"handling_variants[{index}].code", exc.messages[0])]
            ) from None
        issued = codes.issued_code(code)
        if issued is None:
            codes.register_code(
                code=code,
                kind=CodeKind.VARIANT,
                issued_to=row["name"],
                actor_label=label,
                owner_code=item.implementation_code,
            )
        elif issued.owner_code != item.implementation_code:
            raise GuideInvalid(
                [
                    FieldError(
                        f"handling_variants[{index}].code", f"业务办理项编码{code}已发放给其他事项"
                    )
                ]
            )
        row["code"] = code


def _check_identity(
    *, item_type: str, level: str, power_source: str, implementer_nature: str
) -> None:
    errors = {}
    if item_type not in ItemType.values:
        errors["item_type"] = f"事项类型“{item_type}”不在代码表中"
    if level not in ItemLevel.values:
        errors["level"] = f"行使层级“{level}”不在代码表中"
    elif level == ItemLevel.COMMUNITY and item_type != ItemType.PUBLIC_SERVICE:
        errors["level"] = "村（社区）级只能实施公共服务事项"
    if power_source not in PowerSource.values:
        errors["power_source"] = f"权力来源“{power_source}”不在代码表中"
    if implementer_nature not in ImplementerNature.values:
        errors["implementer_nature"] = f"实施主体性质“{implementer_nature}”不在代码表中"
    if errors:
        raise ValidationError(errors)


def _base_item_for(
    *, name: str, item_type: str, main_item: BaseItem | None, base_code: str | None, label: str
) -> BaseItem:
    if main_item is not None and main_item.main_item_id:
        raise ValidationError({"main_item": f"“{main_item.name}”本身是子项，不能再拆分子项"})
    if main_item is not None and main_item.item_type != item_type:
        raise ValidationError({"main_item": "子项的事项类型应与主项相同"})
    if base_code:
        code = codes.validate_base_code(base_code, item_type=item_type)
        existing = BaseItem.objects.filter(base_code=code).first()
        if existing is not None:
            if existing.name != name or existing.item_type != item_type:
                raise ValidationError(
                    {
                        "base_code": (
                            f"基本编码{code}已用于“{existing.name}”（{existing.get_item_type_display()}），"
                            "与本事项的名称或类型不一致"
                        )
                    }
                )
            return existing
        codes.register_code(code=code, kind=CodeKind.BASE, issued_to=name, actor_label=label)
    else:
        existing = BaseItem.objects.filter(
            name=name, item_type=item_type, main_item=main_item
        ).first()
        if existing is not None:
            return existing
        code = codes.generate_base_code(
            item_type=item_type,
            main_code=main_item.base_code if main_item else None,
            name=name,
            actor_label=label,
        )
    base = BaseItem(base_code=code, name=name, item_type=item_type, main_item=main_item)
    base.full_clean()
    base.save()
    return base


@transaction.atomic
def item_create(
    *,
    actor: Actor,
    name: str,
    item_type: str,
    implementing_unit: OrgUnit,
    level: str,
    power_source: str,
    implementer_nature: str,
    base_code: str | None = None,
    implementation_code: str | None = None,
    main_item: BaseItem | None = None,
    delegated_from: OrgUnit | None = None,
    entrusting_body: str = "",
    guide: dict[str, Any] | None = None,
    effective_on: dt.date | None = None,
    change_note: str = "",
) -> ItemVersion:
    """Create an implementation item (and its base item when new) with draft version 1.

    Long because its keyword-only signature names every identity field of the item; the
    body is the base item, the code, the item, its first version and the audit row."""
    _require_editor(actor, implementing_unit)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "事项名称不能为空"})
    _check_identity(
        item_type=item_type,
        level=level,
        power_source=power_source,
        implementer_nature=implementer_nature,
    )
    cleaned, errors = clean_guide(guide or {})
    _raise_guide_errors(errors)
    label = actor_label(actor)
    base = _base_item_for(
        name=name, item_type=item_type, main_item=main_item, base_code=base_code, label=label
    )
    code = _implementation_code_for(
        base=base,
        name=name,
        implementing_unit=implementing_unit,
        implementation_code=implementation_code,
        label=label,
    )
    item = ImplementationItem.objects.create(
        implementation_code=code,
        base_item=base,
        implementing_unit=implementing_unit,
        delegated_from=delegated_from,
        level=level,
        power_source=power_source,
        implementer_nature=implementer_nature,
        entrusting_body=(entrusting_body or "").strip(),
    )
    _variant_codes(item=item, guide=cleaned, previous=[], label=label)
    version = _first_version(
        actor=actor,
        item=item,
        guide=cleaned,
        label=label,
        effective_on=effective_on,
        change_note=change_note,
    )
    audit_record(
        actor=actor,
        action="catalog_item.create",
        obj=version,
        changes={
            "base_code": [None, base.base_code],
            "implementation_code": [None, code],
            "implementing_unit": [None, implementing_unit.pk],
            "status": [None, "draft"],
        },
    )
    return version


def _implementation_code_for(
    *,
    base: BaseItem,
    name: str,
    implementing_unit: OrgUnit,
    implementation_code: str | None,
    label: str,
) -> str:
    """The code of a new implementation item: the one given (checked and registered) or a
    generated one. A unit may hold only one live implementation of a base item."""
    live = (
        ImplementationItem.objects.filter(base_item=base, implementing_unit=implementing_unit)
        .exclude(versions__status=VersionStatus.CANCELLED)
        .first()
    )
    if live is not None:
        raise ValidationError(
            f"“{implementing_unit.name}”已有事项“{name}”的实施清单（实施编码"
            f"{live.implementation_code}），请在该事项上新建版本"
        )
    if implementation_code:
        code = codes.validate_implementation_code(implementation_code, unit=implementing_unit)
        codes.register_code(
            code=code, kind=CodeKind.IMPLEMENTATION, issued_to=name, actor_label=label
        )
    else:
        code = codes.generate_implementation_code(
            unit=implementing_unit, base_code=base.base_code, name=name, actor_label=label
        )
    return code


def _first_version(
    *,
    actor: Actor,
    item: ImplementationItem,
    guide: dict[str, Any],
    label: str,
    effective_on: dt.date | None,
    change_note: str,
) -> ItemVersion:
    """Save draft version 1 of a new item, with its guide fields and child rows."""
    version = ItemVersion(
        implementation_item=item,
        number=1,
        status=VersionStatus.DRAFT,
        created_by=actor_user(actor),
        created_by_label=label,
        effective_on=effective_on,
        change_note=change_note,
    )
    apply_guide_fields(version, guide)
    version.save()
    write_children(version, guide)
    return version


@transaction.atomic
def implementation_item_update(
    *, actor: Actor, implementation_item: ImplementationItem, **fields: Any
) -> ImplementationItem:
    """Change the registry facts of an implementation (level, power source, nature,
    entrusting body, delegating unit). Codes and the implementing unit never change."""
    item = _lock_item(implementation_item)
    _require_editor(actor, item.implementing_unit)
    unknown = set(fields) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of an implementation item")
    merged = {name: fields.get(name, getattr(item, name)) for name in IDENTITY_FIELDS}
    _check_identity(
        item_type=item.base_item.item_type,
        level=merged["level"],
        power_source=merged["power_source"],
        implementer_nature=merged["implementer_nature"],
    )
    changes = {}
    for name, value in fields.items():
        old = getattr(item, name)
        if old != value:
            changes[name] = [getattr(old, "pk", old), getattr(value, "pk", value)]
            setattr(item, name, value)
    if changes:
        item.save()
        audit_record(actor=actor, action="catalog_item.update_identity", obj=item, changes=changes)
        public_content_changed()  # the guide in force shows these facts
    return item
