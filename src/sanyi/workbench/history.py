"""Who may read the audit history of which object.

Each object type (``app_label.modelname``, as audit rows store it) registers one check
``(user, object_id) -> bool``. Types nobody registered have no history page (404), so a
new model's history stays closed until its app says who may see it:

    from sanyi.workbench.history import register
    register("catalog.item", lambda user, object_id: ...)
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404

from sanyi.orgs.models import OrgUnit, RoleAssignment, ServiceCenter

HistoryCheck = Callable[[object, str], bool]

_CHECKS: dict[str, HistoryCheck] = {}


def register(object_type: str, check: HistoryCheck) -> None:
    _CHECKS[object_type] = check


def registered_types() -> list[str]:
    return sorted(_CHECKS)


def may_view_history(user, object_type: str, object_id: str) -> bool:
    """True when ``user`` may read the object's history.

    Raises Http404 for a type with no registered check or an object that does not exist
    (the check raises it), so unknown and missing objects look the same.
    """
    check = _CHECKS.get(object_type)
    if check is None:
        raise Http404("没有这类对象的历史记录")
    return bool(check(user, object_id))


def _get_or_404(queryset, object_id: str):
    if not str(object_id).isdigit():
        raise Http404("对象不存在")
    try:
        return queryset.get(pk=int(object_id))
    except queryset.model.DoesNotExist:
        raise Http404("对象不存在") from None


def _user_sees_unit(user, unit: OrgUnit) -> bool:
    try:
        from sanyi.orgs.permissions import can_see_unit
    except ImportError:
        can_see_unit = None
    if can_see_unit is not None:
        return bool(can_see_unit(user, unit))
    # Until orgs publishes its permission rules: a role applies to its unit and every unit
    # below it (orgs.models.RoleAssignment), so the unit is visible when an active role's
    # unit path is a prefix of this unit's path.
    if user.is_superuser:
        return True
    paths = RoleAssignment.objects.filter(user=user, is_active=True).values_list(
        "org_unit__path", flat=True
    )
    return any(unit.path.startswith(path) for path in paths)


def _org_unit_check(user, object_id: str) -> bool:
    return _user_sees_unit(user, _get_or_404(OrgUnit.objects.all(), object_id))


def _service_center_check(user, object_id: str) -> bool:
    center = _get_or_404(ServiceCenter.objects.select_related("org_unit"), object_id)
    return _user_sees_unit(user, center.org_unit)


register("orgs.orgunit", _org_unit_check)
register("orgs.servicecenter", _service_center_check)
