"""Reading for the staff workbench shell: the viewer's own roles and object histories."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied

from sanyi.audit.models import AuditEvent
from sanyi.audit.selectors import audit_history
from sanyi.orgs.models import RoleAssignment
from sanyi.workbench.history import may_view_history


def own_role_assignments(*, viewer) -> list[RoleAssignment]:
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
    changes: list[FieldChange]


@dataclass(frozen=True)
class ObjectHistory:
    object_type: str
    object_id: str
    type_label: str
    object_repr: str
    rows: list[HistoryRow]


def _display(value) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _field_label(model, name: str) -> str:
    if model is None:
        return name
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _changes(model, changes) -> list[FieldChange]:
    if not isinstance(changes, dict):
        return [FieldChange(label="内容", before="", after=_display(changes), is_pair=False)]
    out = []
    for name, value in changes.items():
        label = _field_label(model, name)
        if isinstance(value, list) and len(value) == 2:
            out.append(FieldChange(label, _display(value[0]), _display(value[1]), True))
        else:
            out.append(FieldChange(label, "", _display(value), False))
    return out


def object_history(*, viewer, object_type: str, object_id: str) -> ObjectHistory:
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
    return ObjectHistory(
        object_type=object_type,
        object_id=str(object_id),
        type_label=str(model._meta.verbose_name) if model else object_type,
        object_repr=events[-1].object_repr if events else "",
        rows=[HistoryRow(event=e, changes=_changes(model, e.changes)) for e in events],
    )
