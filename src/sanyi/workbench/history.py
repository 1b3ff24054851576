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

from sanyi.orgs.models import OrgUnit, Role, RoleAssignment, ServiceCenter, User, Window
from sanyi.orgs.permissions import can_see_unit, has_role
from sanyi.orgs.selectors import staff_can_be_managed_by

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


def _org_unit_check(user, object_id: str) -> bool:
    return can_see_unit(user, _get_or_404(OrgUnit.objects.all(), object_id))


def _service_center_check(user, object_id: str) -> bool:
    center = _get_or_404(ServiceCenter.objects.select_related("org_unit"), object_id)
    return can_see_unit(user, center.org_unit)


def _window_check(user, object_id: str) -> bool:
    window = _get_or_404(Window.objects.select_related("center__org_unit"), object_id)
    return can_see_unit(user, window.center.org_unit)


def _role_assignment_check(user, object_id: str) -> bool:
    # Who was given which role is staff administration: the same readers as the staff
    # member's own history (the holder, and system admins over the unit), not every
    # colleague with some role there.
    assignment = _get_or_404(RoleAssignment.objects.select_related("org_unit"), object_id)
    return assignment.user_id == user.pk or has_role(user, Role.SYSTEM_ADMIN, assignment.org_unit)


def _staff_check(user, object_id: str) -> bool:
    # Staff read their own account's history; system admins that of staff they manage.
    person = _get_or_404(User.objects.all(), object_id)
    return person.pk == user.pk or staff_can_be_managed_by(viewer=user, user=person)


register("orgs.orgunit", _org_unit_check)
register("orgs.servicecenter", _service_center_check)
register("orgs.window", _window_check)
register("orgs.roleassignment", _role_assignment_check)
register("orgs.user", _staff_check)
