"""Reading for the staff workbench shell: the viewer's own roles and object histories."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models

from sanyi.audit.actions import action_name
from sanyi.audit.models import AuditEvent
from sanyi.audit.selectors import audit_history
from sanyi.core.templatetags.sanyi_time import cn_datetime
from sanyi.orgs.models import OrgKind, OrgUnit, RoleAssignment
from sanyi.workbench.history import may_view_history

if TYPE_CHECKING:
    from django.db.models import Model

    from sanyi.orgs.models import User


def own_role_assignments(*, viewer: User) -> list[RoleAssignment]:
    """The viewer's active roles with their units (and window), one query."""
    return list(
        RoleAssignment.objects.filter(user=viewer, is_active=True, org_unit__is_active=True)
        .select_related("org_unit", "window__center")
        .order_by("org_unit__path", "role")
    )


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    is_pair: bool


@dataclass(frozen=True)
class HistoryRow:
    event: AuditEvent
    action_label: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class ObjectHistory:
    object_type: str
    object_id: str
    type_label: str
    object_repr: str
    rows: list[HistoryRow]


def _display(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _field(model: type[Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


References: TypeAlias = "dict[tuple[type[Model], str], str]"


def _is_key(related: type[Model], value: Any) -> bool:
    """Whether a stored value can be a primary key of ``related`` (some rows store a
    masked or descriptive text under a foreign key's name instead)."""
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        return False
    pk = related._meta.pk
    try:
        pk.get_prep_value(pk.to_python(value))
    except (ValidationError, ValueError, TypeError):
        return False
    return True


def _references(model: type[Model] | None, events: list[AuditEvent]) -> References:
    """The names of the objects the rows' foreign keys point to: one query per model."""
    wanted: dict[type[Model], set[str]] = {}
    for event in events:
        if not isinstance(event.changes, dict):
            continue
        for name, value in event.changes.items():
            field = _field(model, name)
            if field is None or not getattr(field, "many_to_one", False):
                continue
            values = value if isinstance(value, list) and len(value) == 2 else [value]
            for one in values:
                if _is_key(field.related_model, one):
                    wanted.setdefault(field.related_model, set()).add(str(one))
    names: References = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, str(obj.pk))] = str(obj)
    return names


def _value(field: Any, value: Any, names: References | None = None) -> str:
    if field is not None and getattr(field, "many_to_one", False) and value not in (None, ""):
        # A foreign key is stored as an id; show what it names.
        name = (names or {}).get((field.related_model, str(value)))
        if name is not None:
            return name
        if _is_key(field.related_model, value):
            return f"（已删除，编号{value}）"
        return _display(value)
    if isinstance(field, models.DateField) and isinstance(value, str):
        return cn_datetime(value)  # stored as ISO text (UTC for moments); shown local
    # Stored codes (TextChoices) are shown by their Chinese label.
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if choices and isinstance(value, str | int) and value in choices:
        return str(choices[value])
    return _display(value)


def _changes(
    model: type[Model] | None, changes: dict[str, Any], names: References
) -> list[FieldChange]:
    if not isinstance(changes, dict):
        return [FieldChange(label="内容", before="", after=_display(changes), is_pair=False)]
    out = []
    for name, value in changes.items():
        field = _field(model, name)
        label = str(field.verbose_name) if field is not None else name
        if isinstance(value, list) and len(value) == 2:
            before, after = value
            if before is None:
                # A new object: list the values it was given, not "empty → value".
                if after not in (None, ""):
                    out.append(FieldChange(label, "", _value(field, after, names), False))
                continue
            out.append(
                FieldChange(label, _value(field, before, names), _value(field, after, names), True)
            )
        else:
            out.append(FieldChange(label, "", _display(value), False))
    return out


def object_history(*, viewer: User, object_type: str, object_id: str) -> ObjectHistory:
    """Every audit row of one object, oldest first, for a viewer allowed to see it.

    Raises Http404 for unknown types or objects and PermissionDenied for hidden ones.
    """
    if not may_view_history(viewer, object_type, object_id):
        raise PermissionDenied("您无权查看该对象的历史记录")
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        model = None
    events = list(audit_history(object_type=object_type, object_id=object_id))
    names = _references(model, events)
    return ObjectHistory(
        object_type=object_type,
        object_id=str(object_id),
        type_label=str(model._meta.verbose_name) if model else object_type,
        object_repr=events[-1].object_repr if events else "",
        rows=[
            HistoryRow(
                event=e,
                action_label=action_name(e.action),
                changes=_changes(model, e.changes, names),
            )
            for e in events
        ],
    )


# The levels the phone home shows a card for, in this order.
PHONE_LEVELS = (OrgKind.SUBDISTRICT, OrgKind.STATION, OrgKind.COMMUNITY, OrgKind.GRID)


@dataclass(frozen=True)
class LevelCard:
    unit: OrgUnit
    level: str  # 街道, 站所, 社区, 网格
    counts: list[tuple[str, int, str]]  # (label, number, URL name or "")


def phone_levels(*, viewer: User) -> list[LevelCard]:
    """One card per unit at which the viewer holds a role (街道, 站所, 社区, 网格), with the
    counts every registered counter gives for that unit's level. Queries: the roles, then
    one per counter with units at its levels, whatever the number of units."""
    from sanyi.core.registry import level_counters

    seen: dict[int, OrgUnit] = {}
    for assignment in own_role_assignments(viewer=viewer):
        unit = assignment.org_unit
        if unit.kind in PHONE_LEVELS:
            seen.setdefault(unit.pk, unit)
    units = sorted(seen.values(), key=lambda u: (PHONE_LEVELS.index(u.kind), u.path))
    counts: dict[int, list[tuple[str, int, str]]] = {u.pk: [] for u in units}
    for counter in level_counters():
        mine = [u for u in units if u.kind in counter.kinds]
        if not mine:
            continue
        for pk, rows in counter.count(viewer, mine).items():
            counts[pk].extend(rows)
    return [LevelCard(u, LEVEL_NAMES[u.kind], counts[u.pk]) for u in units]


LEVEL_NAMES: dict[str, str] = {
    OrgKind.SUBDISTRICT: "街道",
    OrgKind.STATION: "站所",
    OrgKind.COMMUNITY: "社区",
    OrgKind.GRID: "网格",
}
