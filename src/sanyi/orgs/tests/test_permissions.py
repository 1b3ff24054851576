"""The permission matrix: every role × a unit inside, outside, the unit itself, abolished."""

import datetime as dt

import pytest

from sanyi.orgs import permissions, services
from sanyi.orgs.models import OrgKind, OrgUnit, Role
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db

PLACES = ["itself", "inside", "outside", "abolished_inside"]
# What has_role answers for a role held on subdistrict 1, per place.
EXPECTED = {"itself": True, "inside": True, "outside": False, "abolished_inside": True}


@pytest.fixture
def world():
    tree = factories.tree()
    gone = factories.unit(tree["sub1"], OrgKind.COMMUNITY, name="已撤销社区")
    services.org_unit_abolish(actor="测试", unit=gone, on=dt.date(2026, 3, 1), reason="合并")
    gone.refresh_from_db()
    tree["gone"] = gone
    return tree


def _place(world, place):
    return {
        "itself": world["sub1"],
        "inside": world["grid1"],
        "outside": world["comm2"],
        "abolished_inside": world["gone"],
    }[place]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", Role.values)
def test_has_role_applies_to_unit_and_subtree_only(world, role, place):
    user = factories.staff(world["sub1"], role)
    unit = _place(world, place)

    assert permissions.has_role(user, role, unit) is EXPECTED[place]
    assert permissions.can_see_unit(user, unit) is EXPECTED[place]


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", Role.values)
def test_other_roles_give_nothing(world, role, place):
    user = factories.staff(world["district"], role)
    others = [r for r in Role.values if r != role]

    assert permissions.has_role(user, others, _place(world, place)) is False
    assert not OrgUnit.objects.filter(permissions.scope_q(user, others, "path")).exists()


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("role", Role.values)
def test_scope_q_matches_has_role(world, role, place):
    user = factories.staff(world["sub1"], role)
    unit = _place(world, place)

    in_scope = OrgUnit.objects.filter(permissions.scope_q(user, role, "path"), pk=unit.pk)
    assert in_scope.exists() is EXPECTED[place]
    assert permissions.scope_units(user, role).filter(pk=unit.pk).exists() is EXPECTED[place]


@pytest.mark.parametrize("place", PLACES)
def test_superuser_is_system_admin_everywhere_and_nothing_else(world, place):
    user = factories.staff(world["comm2"], Role.GRID_OFFICER)
    user.is_superuser = True
    user.save()
    unit = _place(world, place)

    assert permissions.has_role(user, Role.SYSTEM_ADMIN, unit) is True
    assert permissions.has_role(user, Role.APPROVER, unit) is False


def test_inactive_assignment_and_inactive_account_count_for_nothing(world):
    user = factories.staff(world["district"], Role.APPROVER)
    assignment = user.role_assignments.get()
    services.role_revoke(actor="测试", assignment=assignment)
    permissions.forget_roles(user)
    assert permissions.has_role(user, Role.APPROVER, world["grid1"]) is False

    other = factories.staff(world["district"], Role.APPROVER)
    other.is_active = False
    assert permissions.has_role(other, Role.APPROVER, world["grid1"]) is False


def test_anonymous_user_has_empty_scope(world):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert permissions.has_role(anon, Role.values, world["district"]) is False
    assert not OrgUnit.objects.filter(permissions.scope_q(anon, Role.values, "path")).exists()


def test_scope_q_reaches_related_rows_through_path_field(world):
    from sanyi.orgs.models import ServiceCenter

    inside, outside = factories.center(world["comm1"]), factories.center(world["comm2"])
    user = factories.staff(world["sub1"], Role.WINDOW_CLERK)

    visible = set(ServiceCenter.objects.filter(permissions.scope_q(user, Role.WINDOW_CLERK)))
    assert inside in visible
    assert outside not in visible


def test_nested_assignments_collapse_to_one_prefix(world):
    user = factories.staff(world["district"], Role.SUPERVISOR)
    services.role_assign(actor="测试", user=user, org_unit=world["comm1"], role=Role.SUPERVISOR)
    permissions.forget_roles(user)

    assert permissions.scope_paths(user, Role.SUPERVISOR) == [world["district"].path]


def test_roles_are_read_once_per_user_object(world, django_assert_num_queries):
    user = factories.staff(world["sub1"], Role.APPROVER)
    permissions.forget_roles(user)
    with django_assert_num_queries(1):
        for place in PLACES:
            permissions.has_role(user, Role.APPROVER, _place(world, place))
            permissions.can_see_unit(user, _place(world, place))


def test_scope_units_is_one_query_with_several_assignments(world, django_assert_num_queries):
    user = factories.staff(world["sub1"], Role.APPROVER)
    services.role_assign(actor="测试", user=user, org_unit=world["comm2"], role=Role.APPROVER)
    permissions.forget_roles(user)
    permissions.roles_of(user)

    with django_assert_num_queries(1):
        units = list(permissions.scope_units(user, Role.APPROVER))

    assert world["comm2"] in units and world["grid1"] in units
    assert world["sub2"] not in units and world["district"] not in units


def test_unknown_role_is_a_programming_error(world):
    user = factories.staff(world["sub1"], Role.APPROVER)
    with pytest.raises(ValueError):
        permissions.has_role(user, "approvr", world["sub1"])
