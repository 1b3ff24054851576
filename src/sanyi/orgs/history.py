"""Who may read the audit history of the org tree and of staff accounts (registered from
OrgsConfig.ready() into ``sanyi.core.registry``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from sanyi.core.registry import register_history
from sanyi.orgs.models import OrgUnit, Role, RoleAssignment, ServiceCenter, User, Window
from sanyi.orgs.permissions import can_see_unit, has_role
from sanyi.orgs.selectors import staff_can_be_managed_by


def _get_or_404(queryset: QuerySet[Any], object_id: str) -> Any:
    if not str(object_id).isdigit():
        raise Http404("对象不存在")
    try:
        return queryset.get(pk=int(object_id))
    except queryset.model.DoesNotExist:
        raise Http404("对象不存在") from None


def _org_unit_check(user: User, object_id: str) -> bool:
    return can_see_unit(user, _get_or_404(OrgUnit.objects.all(), object_id))


def _service_center_check(user: User, object_id: str) -> bool:
    center = _get_or_404(ServiceCenter.objects.select_related("org_unit"), object_id)
    return can_see_unit(user, center.org_unit)


def _window_check(user: User, object_id: str) -> bool:
    window = _get_or_404(Window.objects.select_related("center__org_unit"), object_id)
    return can_see_unit(user, window.center.org_unit)


def _role_assignment_check(user: User, object_id: str) -> bool:
    # Who was given which role is staff administration: the same readers as the staff
    # member's own history (the holder, and system admins over the unit), not every
    # colleague with some role there.
    assignment = _get_or_404(RoleAssignment.objects.select_related("org_unit"), object_id)
    return assignment.user_id == user.pk or has_role(user, Role.SYSTEM_ADMIN, assignment.org_unit)


def _staff_check(user: User, object_id: str) -> bool:
    # Staff read their own account's history; system admins that of staff they manage.
    person = _get_or_404(User.objects.all(), object_id)
    return person.pk == user.pk or staff_can_be_managed_by(viewer=user, user=person)


def register() -> None:
    register_history("orgs.orgunit", _org_unit_check)
    register_history("orgs.servicecenter", _service_center_check)
    register_history("orgs.window", _window_check)
    register_history("orgs.roleassignment", _role_assignment_check)
    register_history("orgs.user", _staff_check)
