import re

import pytest

from sanyi.core import registry
from sanyi.orgs.models import Role
from sanyi.orgs.services import org_unit_update
from sanyi.orgs.tests import factories as f

pytestmark = pytest.mark.django_db


def _url(object_type, object_id):
    return f"/workbench/history/{object_type}/{object_id}/"


@pytest.fixture
def tree():
    return f.tree()


def test_staff_see_the_history_of_a_unit_in_their_scope(client, tree):
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    org_unit_update(actor=clerk, unit=tree["comm1"], name="新名字社区")
    client.force_login(clerk)

    response = client.get(_url("orgs.orgunit", tree["comm1"].pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert "新建单位" in html and "修改单位" in html
    assert "org_unit.create" not in html and "org_unit.update" not in html
    assert "<del>" in html and "新名字社区</ins>" in html
    assert "名称：" in html  # field shown by its Chinese label
    assert clerk.full_name in html


def test_unit_outside_the_scope_is_forbidden(client, tree):
    client.force_login(f.staff(tree["sub1"], Role.WINDOW_CLERK))

    assert client.get(_url("orgs.orgunit", tree["sub2"].pk)).status_code == 403
    assert client.get(_url("orgs.orgunit", tree["district"].pk)).status_code == 403


def test_service_center_history_follows_its_unit(client, tree):
    center = f.center(tree["comm2"], windows=0)
    client.force_login(f.staff(tree["sub1"], Role.WINDOW_CLERK))

    assert client.get(_url("orgs.servicecenter", center.pk)).status_code == 403

    client.force_login(f.staff(tree["sub2"], Role.APPROVER))
    assert client.get(_url("orgs.servicecenter", center.pk)).status_code == 200


@pytest.mark.parametrize(
    ("object_type", "object_id"),
    [
        ("audit.auditevent", "1"),
        ("nothing.here", "1"),
        ("orgs.orgunit", "999999"),
        ("orgs.orgunit", "x"),
    ],
)
def test_unknown_types_and_missing_objects_are_404(client, tree, object_type, object_id):
    # a supervisor over the whole district sees every unit, so only existence decides
    client.force_login(f.staff(tree["district"], Role.SUPERVISOR))

    assert client.get(_url(object_type, object_id)).status_code == 404


def test_registered_checks_decide(client, tree, monkeypatch):
    monkeypatch.setattr(registry, "HISTORY_CHECKS", dict(registry.HISTORY_CHECKS))
    registry.register_history("catalog.item", lambda user, object_id: object_id == "7")
    client.force_login(f.staff(tree["sub1"], Role.WINDOW_CLERK))

    assert client.get(_url("catalog.item", "7")).status_code == 200
    assert client.get(_url("catalog.item", "8")).status_code == 403


def test_history_query_count_does_not_grow_with_rows(client, tree, django_assert_max_num_queries):
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    for n in range(8):
        org_unit_update(actor=clerk, unit=tree["comm1"], phone=f"0591-000000{n}")
    client.force_login(clerk)

    # session, user, admin-OTP rule, unit, roles, audit rows, the parent unit's name
    with django_assert_max_num_queries(8):
        response = client.get(_url("orgs.orgunit", tree["comm1"].pk))

    assert response.content.decode().count('data-label="操作">修改单位') == 8


def test_new_objects_list_their_values_and_codes_read_as_labels(client, tree):
    client.force_login(f.staff(tree["sub1"], Role.WINDOW_CLERK))

    html = client.get(_url("orgs.orgunit", tree["comm1"].pk)).content.decode()

    assert "新建" in html
    assert "类别：社区/村" in html  # the stored code "community" shown by its label
    assert "（空）" not in html  # empty fields of a new unit are left out


def test_staff_read_their_own_account_history_but_not_a_colleagues(client, tree):
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    colleague = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    client.force_login(clerk)

    assert client.get(_url("orgs.user", clerk.pk)).status_code == 200
    assert client.get(_url("orgs.user", colleague.pk)).status_code == 403


def test_window_and_role_history_follow_their_unit(client, tree):
    window = f.center(tree["comm2"], windows=1).windows.get()
    outsider = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    inside = f.staff(tree["sub2"], Role.APPROVER)
    assignment = inside.role_assignments.get()

    client.force_login(outsider)
    assert client.get(_url("orgs.window", window.pk)).status_code == 403
    assert client.get(_url("orgs.roleassignment", assignment.pk)).status_code == 403

    client.force_login(inside)
    assert client.get(_url("orgs.window", window.pk)).status_code == 200
    assert client.get(_url("orgs.roleassignment", assignment.pk)).status_code == 200


def test_referred_objects_show_by_name_and_times_are_local(client, tree):
    from sanyi.orgs.services import org_unit_move

    clerk = f.staff(tree["district"], Role.WINDOW_CLERK)
    org_unit_move(actor=clerk, unit=tree["comm1"], new_parent=tree["sub2"])
    client.force_login(clerk)

    html = client.get(_url("orgs.orgunit", tree["comm1"].pk)).content.decode()

    # the parent is named, not given as its id
    assert f"{tree['sub1'].name}</del> → <ins>{tree['sub2'].name}</ins>" in html
    assert f"<ins>{tree['sub2'].pk}</ins>" not in html
    # local time, in words: "2026年12月6日 21:35"
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", html)
    assert "+00:00" not in html


def test_the_time_filter_shows_shanghai_time():
    import datetime as dt

    from sanyi.core.templatetags.sanyi_time import cn_date, cn_datetime

    moment = dt.datetime(2026, 12, 6, 5, 35, tzinfo=dt.UTC)
    assert cn_datetime(moment) == "2026年12月6日 13:35"
    assert cn_datetime("2026-12-06T05:35:00+00:00") == "2026年12月6日 13:35"
    assert cn_date(dt.date(2026, 1, 2)) == "2026年1月2日"
    assert cn_datetime(None) == ""
