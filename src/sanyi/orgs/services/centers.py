"""Writing service centers and their windows."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor
from sanyi.core.pagecache import public_content_changed
from sanyi.orgs.models import (
    OrgKind,
    OrgUnit,
    ServiceCenter,
    Window,
)
from sanyi.orgs.services._common import SERVICE_CENTER_FIELDS, WINDOW_FIELDS


def _clean_center(center: ServiceCenter) -> None:
    errors: dict[str, list[str]] = {}
    for name, label in (("name", "名称"), ("address", "地址"), ("opening_hours", "办公时间")):
        setattr(center, name, (getattr(center, name) or "").strip())
        if not getattr(center, name):
            errors[name] = [f"{label}不能为空"]
    if center.org_unit_id and not center.org_unit.is_active and center.is_active:
        errors["org_unit"] = [f"“{center.org_unit.name}”已撤销，不能设立在用的服务中心"]
    if center.name and (
        ServiceCenter.objects.filter(org_unit_id=center.org_unit_id, name=center.name)
        .exclude(pk=center.pk)
        .exists()
    ):
        errors["name"] = [f"本单位已有名为“{center.name}”的服务中心"]
    if errors:
        raise ValidationError(errors)
    center.full_clean(validate_constraints=False)


@transaction.atomic
def service_center_create(
    *, actor: Actor, org_unit: OrgUnit, name: str, **fields: Any
) -> ServiceCenter:
    """Attach a service center (政务服务中心 / 便民服务中心 / 便民服务站) to a unit."""
    org_unit = OrgUnit.objects.select_for_update().get(pk=org_unit.pk)
    if org_unit.kind not in (OrgKind.DISTRICT, OrgKind.SUBDISTRICT, OrgKind.COMMUNITY):
        raise ValidationError({"org_unit": ["服务中心只能设在区、街道/乡镇或社区/村"]})
    center = ServiceCenter(org_unit=org_unit, name=name, **fields)
    _clean_center(center)
    center.save()
    audit_record(
        actor=actor,
        action="service_center.create",
        obj=center,
        changes={k: [None, v] for k, v in snapshot(center, SERVICE_CENTER_FIELDS).items()},
    )
    public_content_changed()  # guides, the front door and the centre list show centres
    return center


@transaction.atomic
def service_center_update(*, actor: Actor, center: ServiceCenter, **fields: Any) -> ServiceCenter:
    """Change a service center's data; ``is_active=False`` closes it."""
    center = (
        ServiceCenter.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=center.pk)
    )
    before = snapshot(center, SERVICE_CENTER_FIELDS)
    for name, value in fields.items():
        if name not in SERVICE_CENTER_FIELDS or name == "org_unit":
            raise ValidationError({name: ["此项不能修改"]})
        setattr(center, name, value)
    _clean_center(center)
    changes = diff(before, snapshot(center, SERVICE_CENTER_FIELDS))
    if changes:
        center.save()
        audit_record(actor=actor, action="service_center.update", obj=center, changes=changes)
        public_content_changed()
    return center


def _clean_window(window: Window) -> None:
    errors: dict[str, list[str]] = {}
    window.number = (window.number or "").strip()
    window.name = (window.name or "").strip()
    if not window.number:
        errors["number"] = ["窗口号不能为空"]
    elif (
        Window.objects.filter(center_id=window.center_id, number=window.number)
        .exclude(pk=window.pk)
        .exists()
    ):
        errors["number"] = [f"本中心已有{window.number}号窗口"]
    if not window.name:
        errors["name"] = ["窗口名称不能为空"]
    if errors:
        raise ValidationError(errors)
    window.full_clean(validate_constraints=False)


@transaction.atomic
def window_create(
    *, actor: Actor, center: ServiceCenter, number: str, name: str, **fields: Any
) -> Window:
    """Open a window (counter) in a service center."""
    window = Window(center=center, number=number, name=name, **fields)
    _clean_window(window)
    window.save()
    audit_record(
        actor=actor,
        action="window.create",
        obj=window,
        changes={k: [None, v] for k, v in snapshot(window, WINDOW_FIELDS).items()},
    )
    return window


@transaction.atomic
def window_update(*, actor: Actor, window: Window, **fields: Any) -> Window:
    """Change a window; ``is_active=False`` closes it."""
    window = Window.objects.select_for_update().get(pk=window.pk)
    before = snapshot(window, WINDOW_FIELDS)
    for name, value in fields.items():
        if name not in WINDOW_FIELDS or name == "center":
            raise ValidationError({name: ["此项不能修改"]})
        setattr(window, name, value)
    _clean_window(window)
    changes = diff(before, snapshot(window, WINDOW_FIELDS))
    if changes:
        window.save()
        audit_record(actor=actor, action="window.update", obj=window, changes=changes)
    return window
