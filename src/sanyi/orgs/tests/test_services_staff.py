import pytest
from django.core.exceptions import ValidationError

from sanyi.audit.selectors import audit_history
from sanyi.core.actors import SystemActor
from sanyi.orgs import permissions, services
from sanyi.orgs.models import Role, RoleAssignment
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db
ACTOR = "测试"
PASSWORD = "Strong-Pass-2026"


def test_staff_create_checks_password_policy():
    with pytest.raises(ValidationError) as exc:
        services.staff_create(actor=ACTOR, username="li", full_name="李四", password="abcdefgh")
    assert "password" in exc.value.message_dict


def test_staff_create_audits_without_password():
    user = services.staff_create(actor=ACTOR, username="li", full_name="李四", password=PASSWORD)
    event = audit_history(object_type="orgs.user", object_id=user.pk).get()
    assert user.check_password(PASSWORD)
    assert "password" not in event.changes
    assert event.changes["full_name"] == [None, "李四"]


def test_staff_username_is_unique_ignoring_case():
    services.staff_create(actor=ACTOR, username="li", full_name="李四")
    with pytest.raises(ValidationError) as exc:
        services.staff_create(actor=ACTOR, username="LI", full_name="李四")
    assert "username" in exc.value.message_dict


def test_staff_update_password_is_audited_masked():
    user = services.staff_create(actor=ACTOR, username="li", full_name="李四")
    services.staff_update(actor=ACTOR, user=user, password=PASSWORD, phone="13800000000")
    event = audit_history(object_type="orgs.user", object_id=user.pk).last()
    assert PASSWORD not in str(event.changes)
    assert event.changes["phone"] == ["", "13800000000"]


def test_deactivated_staff_lose_their_roles():
    tree = factories.tree()
    user = factories.staff(tree["sub1"], Role.APPROVER)
    services.staff_deactivate(actor=ACTOR, user=user, reason="调离")
    user.refresh_from_db()
    assert permissions.has_role(user, Role.APPROVER, tree["comm1"]) is False


def test_a_system_actor_may_deactivate_staff():
    user = services.staff_create(actor=ACTOR, username="li", full_name="李四")

    services.staff_deactivate(actor=SystemActor("系统：离职同步"), user=user, reason="离职")

    user.refresh_from_db()
    assert user.is_active is False


def test_staff_cannot_deactivate_their_own_account():
    user = services.staff_create(actor=ACTOR, username="li", full_name="李四")

    with pytest.raises(ValidationError) as exc:
        services.staff_deactivate(actor=user, user=user, reason="调离")

    assert "user" in exc.value.message_dict


def test_role_assign_window_must_lie_in_unit_subtree():
    tree = factories.tree()
    other_center = factories.center(tree["comm2"])
    user = services.staff_create(actor=ACTOR, username="clerk", full_name="王五")
    with pytest.raises(ValidationError) as exc:
        services.role_assign(
            actor=ACTOR,
            user=user,
            org_unit=tree["sub1"],
            role=Role.WINDOW_CLERK,
            window=other_center.windows.first(),
        )
    assert "window" in exc.value.message_dict


def test_role_revoke_then_assign_reuses_the_row():
    tree = factories.tree()
    user = factories.staff(tree["sub1"], Role.SUPERVISOR)
    assignment = user.role_assignments.get()
    services.role_revoke(actor=ACTOR, assignment=assignment, reason="轮岗")
    again = services.role_assign(
        actor=ACTOR, user=user, org_unit=tree["sub1"], role=Role.SUPERVISOR
    )
    assert again.pk == assignment.pk and again.is_active
    actions = [
        e.action for e in audit_history(object_type="orgs.roleassignment", object_id=again.pk)
    ]
    assert actions == ["role.assign", "role.revoke", "role.assign"]


def test_role_assign_refuses_abolished_unit():
    tree = factories.tree()
    factories.abolished(tree["grid1"])
    user = services.staff_create(actor=ACTOR, username="g", full_name="赵六")
    with pytest.raises(ValidationError):
        services.role_assign(actor=ACTOR, user=user, org_unit=tree["grid1"], role=Role.GRID_OFFICER)


def test_service_center_and_window_changes_are_audited():
    tree = factories.tree()
    center = factories.center(tree["sub1"], windows=1)
    services.service_center_update(actor=ACTOR, center=center, phone="0591-7654321")
    window = center.windows.get()
    services.window_update(actor=ACTOR, window=window, is_active=False)

    assert audit_history(object_type="orgs.servicecenter", object_id=center.pk).last().changes == {
        "phone": ["", "0591-7654321"]
    }
    assert audit_history(object_type="orgs.window", object_id=window.pk).last().changes == {
        "is_active": [True, False]
    }


def test_window_number_unique_in_center():
    tree = factories.tree()
    center = factories.center(tree["sub1"], windows=1)
    with pytest.raises(ValidationError) as exc:
        services.window_create(actor=ACTOR, center=center, number="1", name="重复")
    assert "number" in exc.value.message_dict


def test_service_center_only_on_territorial_units():
    tree = factories.tree()
    with pytest.raises(ValidationError):
        factories.center(tree["dept"])


def test_role_assign_refuses_a_unit_outside_the_admins_scope():
    tree = factories.tree()
    admin = factories.staff(tree["sub1"], Role.SYSTEM_ADMIN)
    person = factories.staff(tree["comm1"], Role.APPROVER)
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=admin, user=person, org_unit=tree["comm2"], role=Role.APPROVER)
    assert "不在您的管理范围内" in exc.value.message_dict["org_unit"][0]
    assert not RoleAssignment.objects.filter(user=person, org_unit=tree["comm2"]).exists()
    services.role_assign(actor=admin, user=person, org_unit=tree["grid1"], role=Role.GRID_OFFICER)
