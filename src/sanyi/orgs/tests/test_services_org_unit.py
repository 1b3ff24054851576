import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sanyi.audit.selectors import audit_history
from sanyi.orgs import services
from sanyi.orgs.models import OrgKind, OrgUnit, Role
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db
ACTOR = "测试"


def _history(unit):
    return list(audit_history(object_type="orgs.orgunit", object_id=unit.pk))


def test_create_sets_path_depth_code_and_audits():
    d = factories.district()
    s = factories.unit(d, OrgKind.SUBDISTRICT)

    assert s.path == f"{d.pk:010d}/{s.pk:010d}/"
    assert s.depth == 1
    assert s.code == f"U{s.pk:06d}"
    assert _history(s)[0].action == "org_unit.create"


def test_create_refuses_kind_not_allowed_under_parent():
    tree = factories.tree()
    with pytest.raises(ValidationError) as exc:
        factories.unit(tree["comm1"], OrgKind.SUBDISTRICT)
    assert "不能设立" in exc.value.message_dict["parent"][0]


def test_create_refuses_duplicate_code_and_division_code():
    d = factories.district(division_code="990101000000")
    factories.unit(d, OrgKind.SUBDISTRICT, code="S1", division_code="990101001000")
    with pytest.raises(ValidationError) as exc:
        factories.unit(d, OrgKind.SUBDISTRICT, code="S1", division_code="990101001000")
    assert set(exc.value.message_dict) == {"code", "division_code"}


def test_create_refuses_bad_uscc_checksum():
    d = factories.district()
    good = factories.unique_uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        factories.unit(d, OrgKind.DEPARTMENT, uscc=bad)
    assert "校验位" in exc.value.message_dict["uscc"][0]


def test_update_audits_only_changed_fields():
    tree = factories.tree()
    services.org_unit_update(
        actor=ACTOR, unit=tree["sub1"], phone="0591-1234567", name=tree["sub1"].name
    )

    event = _history(tree["sub1"])[-1]
    assert event.action == "org_unit.update"
    assert event.changes == {"phone": ["", "0591-1234567"]}


def test_update_without_changes_writes_no_audit_row():
    tree = factories.tree()
    before = len(_history(tree["sub1"]))
    services.org_unit_update(actor=ACTOR, unit=tree["sub1"], name=tree["sub1"].name)
    assert len(_history(tree["sub1"])) == before


def test_update_refuses_parent_and_kind():
    tree = factories.tree()
    with pytest.raises(ValidationError) as exc:
        services.org_unit_update(actor=ACTOR, unit=tree["sub1"], kind=OrgKind.GRID)
    assert "kind" in exc.value.message_dict


def test_move_rewrites_paths_of_whole_subtree_in_one_update(django_assert_num_queries):
    tree = factories.tree()
    # given a community with a grid under subdistrict 1
    # when it moves to subdistrict 2
    services.org_unit_move(actor=ACTOR, unit=tree["comm1"], new_parent=tree["sub2"])

    comm, grid = (OrgUnit.objects.get(pk=tree[k].pk) for k in ("comm1", "grid1"))
    assert comm.parent_id == tree["sub2"].pk
    assert comm.path == f"{tree['sub2'].path}{comm.pk:010d}/"
    assert grid.path == f"{comm.path}{grid.pk:010d}/"
    assert (comm.depth, grid.depth) == (2, 3)
    assert _history(comm)[-1].action == "org_unit.move"


def test_move_adjusts_depth_when_level_changes():
    d = factories.district()
    dept = factories.unit(d, OrgKind.DEPARTMENT)
    s = factories.unit(d, OrgKind.SUBDISTRICT)
    station = factories.unit(s, OrgKind.STATION)

    services.org_unit_move(actor=ACTOR, unit=station, new_parent=dept)
    station.refresh_from_db()
    assert station.depth == 2 and station.path.startswith(dept.path)


def test_move_refuses_cycle():
    tree = factories.tree()
    with pytest.raises(ValidationError) as exc:
        services.org_unit_move(actor=ACTOR, unit=tree["sub1"], new_parent=tree["grid1"])
    assert "下级" in exc.value.message_dict["parent"][0]


def test_move_refuses_kind_rule():
    tree = factories.tree()
    with pytest.raises(ValidationError):
        services.org_unit_move(actor=ACTOR, unit=tree["grid1"], new_parent=tree["sub2"])
    tree["grid1"].refresh_from_db()
    assert tree["grid1"].parent_id == tree["comm1"].pk


def test_abolish_refuses_and_names_active_children_roles_and_centers():
    tree = factories.tree()
    factories.staff(tree["comm1"], Role.GRID_OFFICER, username="wang")
    factories.center(tree["comm1"], name="翠苑便民服务站")

    with pytest.raises(ValidationError) as exc:
        services.org_unit_abolish(
            actor=ACTOR, unit=tree["comm1"], on=dt.date(2026, 5, 6), reason="合并"
        )

    message = " ".join(exc.value.messages)
    assert tree["grid1"].name in message
    assert "wang" in message or "测试" in message
    assert "翠苑便民服务站" in message
    tree["comm1"].refresh_from_db()
    assert tree["comm1"].is_active


def test_abolish_requires_reason():
    tree = factories.tree()
    with pytest.raises(ValidationError) as exc:
        services.org_unit_abolish(
            actor=ACTOR, unit=tree["grid1"], on=dt.date(2026, 5, 6), reason=" "
        )
    assert "reason" in exc.value.message_dict


def test_abolish_then_reactivate_keeps_history():
    tree = factories.tree()
    services.org_unit_abolish(
        actor=ACTOR, unit=tree["grid1"], on=dt.date(2026, 5, 6), reason="调整"
    )
    tree["grid1"].refresh_from_db()
    assert (tree["grid1"].is_active, tree["grid1"].abolished_on) == (False, dt.date(2026, 5, 6))

    services.org_unit_reactivate(actor=ACTOR, unit=tree["grid1"], reason="恢复")
    tree["grid1"].refresh_from_db()
    assert tree["grid1"].is_active and tree["grid1"].abolished_on is None
    actions = [e.action for e in _history(tree["grid1"])]
    assert actions == ["org_unit.create", "org_unit.abolish", "org_unit.reactivate"]
    assert _history(tree["grid1"])[1].note == "调整"


def test_reactivate_refuses_under_abolished_parent():
    tree = factories.tree()
    factories.abolished(tree["grid1"])
    factories.abolished(tree["comm1"])
    with pytest.raises(ValidationError) as exc:
        services.org_unit_reactivate(actor=ACTOR, unit=tree["grid1"])
    assert "parent" in exc.value.message_dict


def test_cannot_create_under_abolished_parent():
    tree = factories.tree()
    factories.abolished(tree["grid2"])
    factories.abolished(tree["comm2"])
    with pytest.raises(ValidationError):
        factories.unit(tree["comm2"], OrgKind.GRID)


def test_delete_unreferenced_unit():
    tree = factories.tree()
    pk = tree["grid1"].pk
    services.org_unit_delete(actor=ACTOR, unit=tree["grid1"], reason="录入错误")
    assert not OrgUnit.objects.filter(pk=pk).exists()
    assert (
        audit_history(object_type="orgs.orgunit", object_id=pk).last().action == "org_unit.delete"
    )


@pytest.mark.parametrize("reference", ["child", "role", "center"])
def test_delete_referenced_unit_says_abolish_instead(reference):
    tree = factories.tree()
    if reference == "role":
        target = tree["grid1"]
        user = factories.staff(target, Role.GRID_OFFICER)
        services.role_revoke(actor=ACTOR, assignment=user.role_assignments.get())
    elif reference == "center":
        target = tree["grid1"]
        target = tree["comm2"]
        services.org_unit_delete(actor=ACTOR, unit=tree["grid2"])
        factories.center(target)
    else:
        target = tree["comm1"]

    with pytest.raises(ValidationError) as exc:
        services.org_unit_delete(actor=ACTOR, unit=target)
    assert "撤销" in exc.value.messages[0]
    assert OrgUnit.objects.filter(pk=target.pk).exists()
