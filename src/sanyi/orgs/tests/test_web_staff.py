"""Org pages of the workbench: system admins only, scoped to their subtree."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sanyi.core.tests.error_summary import assert_error_summary
from sanyi.orgs import excel
from sanyi.orgs.models import OrgKind, OrgUnit, Role, RoleAssignment, User
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # The sign-in flow and its second factor are tested with the portal; here the
    # session is opened directly.
    settings.SANYI_REQUIRE_ADMIN_OTP = False


@pytest.fixture
def world():
    return factories.tree()


@pytest.fixture
def admin_client(client, world):
    admin = factories.staff(world["sub1"], Role.SYSTEM_ADMIN, username="admin.sub1")
    client.force_login(admin)
    client.admin = admin
    return client


def url(name, *args):
    return reverse(f"workbench:{name}", args=args)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.SYSTEM_ADMIN])
def test_other_roles_get_403(client, world, role):
    client.force_login(factories.staff(world["district"], role))
    for page in (
        url("orgs_tree"),
        url("orgs_unit", world["sub1"].pk),
        url("orgs_import"),
        url("orgs_export"),
        url("orgs_staff"),
    ):
        assert client.get(page).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(url("orgs_tree"))
    assert response.status_code == 302


def test_tree_shows_only_the_admins_subtree_in_few_queries(
    admin_client, world, django_assert_max_num_queries
):
    for i in range(20):
        factories.unit(world["comm1"], OrgKind.GRID, name=f"批量网格{i}")
    with django_assert_max_num_queries(6):
        response = admin_client.get(url("orgs_tree"))
    body = response.content.decode()
    assert world["comm1"].name in body and "批量网格19" in body
    assert world["sub2"].name not in body


def test_unit_outside_scope_is_403(admin_client, world):
    assert admin_client.get(url("orgs_unit", world["comm2"].pk)).status_code == 403
    assert admin_client.get(url("orgs_unit_edit", world["sub2"].pk)).status_code == 403


def test_unit_detail_lists_centers_staff_and_history(
    admin_client, world, django_assert_max_num_queries
):
    factories.center(world["comm1"], windows=3, name="翠苑便民服务站")
    factories.staff(world["comm1"], Role.GRID_OFFICER, username="grid.wang")
    with django_assert_max_num_queries(12):
        response = admin_client.get(url("orgs_unit", world["comm1"].pk))
    body = response.content.decode()
    assert "翠苑便民服务站" in body and "综合窗口3" in body
    assert "grid.wang" in body
    assert "新建单位" in body and "org_unit.create" not in body


def test_create_edit_and_abolish_a_unit(admin_client, world):
    response = admin_client.post(
        url("orgs_unit_create", world["comm1"].pk),
        {
            "kind": OrgKind.GRID,
            "name": "新网格",
            "sort_order": 0,
        },
    )
    grid = OrgUnit.objects.get(name="新网格")
    assert response.status_code == 302 and grid.parent == world["comm1"]

    admin_client.post(
        url("orgs_unit_edit", grid.pk),
        {
            "name": "新网格",
            "code": grid.code,
            "phone": "0000-1234567",
            "sort_order": 2,
        },
    )
    grid.refresh_from_db()
    assert (grid.phone, grid.sort_order) == ("0000-1234567", 2)

    admin_client.post(url("orgs_unit_abolish", grid.pk), {"on": "2026-06-01", "reason": "合并"})
    grid.refresh_from_db()
    assert grid.abolished_on == dt.date(2026, 6, 1) and not grid.is_active


def test_create_shows_service_errors_on_fields(admin_client, world):
    response = admin_client.post(
        url("orgs_unit_create", world["sub1"].pk),
        {
            "kind": OrgKind.COMMUNITY,
            "name": "代码错社区",
            "division_code": "12345",
            "sort_order": 0,
        },
    )
    assert response.status_code == 200
    assert "统计用区划代码应为12位数字" in response.content.decode()
    assert_error_summary(response, {"id_division_code": "统计用区划代码应为12位数字"})


def test_abolish_refusal_names_what_is_left(admin_client, world):
    response = admin_client.post(
        url("orgs_unit_abolish", world["comm1"].pk), {"on": "2026-06-01", "reason": "合并"}
    )
    assert world["grid1"].name in response.content.decode()
    world["comm1"].refresh_from_db()
    assert world["comm1"].is_active


def test_staff_create_assign_and_revoke(admin_client, world):
    response = admin_client.post(
        url("orgs_staff_create"),
        {
            "username": "li.si",
            "full_name": "李四",
            "password1": "Strong-Pass-2026",
            "password2": "Strong-Pass-2026",
        },
    )
    person = User.objects.get(username="li.si")
    assert response.status_code == 302

    admin_client.post(
        url("orgs_staff_detail", person.pk),
        {
            "form": "role",
            "org_unit": world["comm1"].pk,
            "role": Role.APPROVER,
        },
    )
    assignment = RoleAssignment.objects.get(user=person)
    assert assignment.org_unit == world["comm1"] and assignment.is_active

    refused = admin_client.post(
        url("orgs_staff_detail", person.pk),
        {
            "form": "role",
            "org_unit": world["comm2"].pk,  # forged: not offered to an admin of sub1
            "role": Role.APPROVER,
        },
    )
    assert "所选单位不在您的管理范围内" in refused.content.decode()
    assert not RoleAssignment.objects.filter(org_unit=world["comm2"], user=person).exists()

    admin_client.post(url("orgs_role_revoke", assignment.pk))
    assignment.refresh_from_db()
    assert not assignment.is_active


def test_weak_password_is_refused_on_the_field(admin_client):
    response = admin_client.post(
        url("orgs_staff_create"),
        {
            "username": "li.si",
            "full_name": "李四",
            "password1": "abcdefghij",
            "password2": "abcdefghij",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="li.si").exists()


def test_staff_detail_saves_the_account_and_puts_a_weak_password_on_its_field(admin_client, world):
    person = factories.staff(world["comm1"], Role.APPROVER, username="wang.wu")
    details = {"form": "staff", "username": "wang.wu", "full_name": "王五", "phone": ""}

    saved = admin_client.post(url("orgs_staff_detail", person.pk), details)
    weak = admin_client.post(
        url("orgs_staff_detail", person.pk),
        {**details, "full_name": "王小五", "password1": "abcdefghij", "password2": "abcdefghij"},
    )

    assert saved.status_code == 302
    assert weak.status_code == 200
    assert weak.context["form"].errors["password1"]
    person.refresh_from_db()
    assert person.full_name == "王五"


def test_export_downloads_the_admins_subtree(admin_client, world):
    response = admin_client.get(url("orgs_export"))
    wb = load_workbook(io.BytesIO(response.content))
    names = [row[3] for row in wb[excel.UNIT_SHEET].iter_rows(min_row=2, values_only=True)]
    assert names == [world["sub1"].name, world["comm1"].name, world["grid1"].name]


def _upload(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = excel.UNIT_SHEET
    ws.append(["单位编号", "上级单位编号", "类别", "名称", "统计用区划代码"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.name = "tree.xlsx"
    out.seek(0)
    return out


def test_import_page_lists_row_errors_and_writes_nothing(admin_client, world):
    before = OrgUnit.objects.count()
    response = admin_client.post(
        url("orgs_import"),
        {
            "file": _upload(
                [
                    ["N1", world["comm1"].code, "网格", "新网格一"],
                    ["N2", world["comm2"].code, "网格", "范围外网格"],
                    ["N3", "NOPE", "网格", "无主网格"],
                ]
            ),
        },
    )
    body = response.content.decode()
    assert "第3行" in body and "不在您的管理范围内" in body
    assert OrgUnit.objects.count() == before


def test_import_page_writes_a_good_file(admin_client, world):
    admin_client.post(
        url("orgs_import"),
        {
            "file": _upload([["N1", world["comm1"].code, "网格", "新网格一"]]),
        },
    )
    assert OrgUnit.objects.get(code="N1").parent == world["comm1"]


def test_center_and_window_pages(admin_client, world):
    response = admin_client.post(
        url("orgs_center_create", world["comm1"].pk),
        {
            "name": "新便民服务站",
            "address": "新路1号",
            "opening_hours": "工作日",
            "is_active": "on",
        },
    )
    center = world["comm1"].service_centers.get()
    assert response.status_code == 302 and center.name == "新便民服务站"

    admin_client.post(
        url("orgs_window_create", center.pk),
        {"number": "1", "name": "综合窗口", "is_comprehensive": "on", "is_active": "on"},
    )
    window = center.windows.get()
    admin_client.post(url("orgs_window_edit", window.pk), {"number": "1", "name": "综合窗口"})
    window.refresh_from_db()
    assert not window.is_active and not window.is_comprehensive

    duplicate = admin_client.post(
        url("orgs_window_create", center.pk), {"number": "1", "name": "重复", "is_active": "on"}
    )
    assert "本中心已有1号窗口" in duplicate.content.decode()


def test_center_outside_scope_is_403(admin_client, world):
    center = factories.center(world["comm2"])
    assert admin_client.get(url("orgs_center_edit", center.pk)).status_code == 403
    assert admin_client.get(url("orgs_window_create", center.pk)).status_code == 403


def test_staff_deactivate_needs_reason_and_scope(admin_client, world):
    inside = factories.staff(world["comm1"], Role.APPROVER)
    outside = factories.staff(world["comm2"], Role.APPROVER)

    admin_client.post(url("orgs_staff_deactivate", inside.pk), {"reason": ""})
    inside.refresh_from_db()
    assert inside.is_active

    admin_client.post(url("orgs_staff_deactivate", inside.pk), {"reason": "调离"})
    inside.refresh_from_db()
    assert not inside.is_active

    assert (
        admin_client.post(url("orgs_staff_deactivate", outside.pk), {"reason": "调离"}).status_code
        == 403
    )


def test_move_page_only_accepts_targets_in_scope(admin_client, world):
    other = factories.unit(world["sub1"], OrgKind.COMMUNITY)
    admin_client.post(url("orgs_unit_move", world["grid1"].pk), {"new_parent_code": other.code})
    world["grid1"].refresh_from_db()
    assert world["grid1"].parent == other

    refused = admin_client.post(
        url("orgs_unit_move", world["grid1"].pk), {"new_parent_code": world["comm2"].code}
    )
    assert "管理范围内" in refused.content.decode()


def _named(data: bytes, name: str = "tree.xlsx") -> io.BytesIO:
    out = io.BytesIO(data)
    out.name = name
    return out


def test_import_page_refuses_a_bomb_and_writes_nothing(admin_client, world):
    from sanyi.core.tests.xlsx_files import bomb, peak_memory

    before = OrgUnit.objects.count()
    with peak_memory() as peak:
        response = admin_client.post(url("orgs_import"), {"file": _named(bomb())})
    assert "解压后超过100MB" in response.content.decode()
    # The request itself (page, session, templates) takes some; the 180 MB never appear.
    assert peak() < 40 * 1024 * 1024
    assert OrgUnit.objects.count() == before


def test_import_page_names_a_formula_cell_and_writes_nothing(admin_client, world):
    wb = Workbook()
    ws = wb.active
    ws.title = excel.UNIT_SHEET
    ws.append(["单位编号", "上级单位编号", "类别", "名称", "地址"])
    ws.append([world["comm1"].code, world["sub1"].code, "社区", world["comm1"].name, "=B2"])
    out = io.BytesIO()
    wb.save(out)
    address = OrgUnit.objects.get(pk=world["comm1"].pk).address
    response = admin_client.post(url("orgs_import"), {"file": _named(out.getvalue())})
    errors = response.context["errors"]
    assert [(e.sheet, e.row, e.column, e.message) for e in errors] == [
        (excel.UNIT_SHEET, 2, "地址", "此单元格是公式，请粘贴为数值")
    ]
    assert OrgUnit.objects.get(pk=world["comm1"].pk).address == address


def test_export_writes_a_formula_like_address_as_text(admin_client, world):
    link = '=HYPERLINK("http://evil.example/","点击")'
    OrgUnit.objects.filter(pk=world["comm1"].pk).update(address=link)
    response = admin_client.get(url("orgs_export"))
    ws = load_workbook(io.BytesIO(response.content))[excel.UNIT_SHEET]
    cells = [r[9] for r in ws.iter_rows(min_row=2) if r[0].value == world["comm1"].code]
    assert [(c.value, c.data_type) for c in cells] == [(link, "s")]


def test_a_clean_dry_run_keeps_the_file_until_it_is_confirmed(admin_client, world):
    response = admin_client.post(
        url("orgs_import"),
        {"file": _upload([["N1", world["comm1"].code, "网格", "新网格一"]]), "dry_run": "on"},
    )
    token = response.context["token"]
    assert token and "确认导入这个文件" in response.content.decode()
    assert not OrgUnit.objects.filter(code="N1").exists()

    other = factories.staff(world["sub1"], Role.SYSTEM_ADMIN, username="admin.other")
    admin_client.force_login(other)
    assert admin_client.post(url("orgs_import_confirm", token)).status_code == 404
    admin_client.force_login(admin_client.admin)

    response = admin_client.post(url("orgs_import_confirm", token))
    assert response.status_code == 302
    assert OrgUnit.objects.get(code="N1").parent == world["comm1"]
    # confirmed once: the staged file is gone
    assert admin_client.post(url("orgs_import_confirm", token)).status_code == 404


def test_role_picker_offers_only_units_in_scope_grouped_by_level(admin_client, world):
    person = factories.staff(world["comm1"], Role.APPROVER)
    html = admin_client.get(url("orgs_staff_detail", person.pk)).content.decode()
    picker = html[
        html.index('name="org_unit"') : html.index("</select>", html.index('name="org_unit"'))
    ]
    assert '<optgroup label="街道/乡镇">' in picker and '<optgroup label="社区/村">' in picker
    assert f'value="{world["comm1"].pk}"' in picker
    assert f"{world['comm1'].name}（{world['sub1'].name}）" in picker
    for outside in ("district", "sub2", "comm2", "dept"):
        assert f'value="{world[outside].pk}"' not in picker
    assert 'data-search="' in picker and "data-filterable" in picker


def test_staff_list_shows_units_and_roles_and_filters_by_subtree_and_role(
    client, world, django_assert_max_num_queries
):
    admin = factories.staff(world["district"], Role.SYSTEM_ADMIN, username="admin.top")
    client.force_login(admin)
    in_comm1 = [factories.staff(world["comm1"], Role.APPROVER) for _ in range(3)]
    grid_officer = factories.staff(world["grid1"], Role.GRID_OFFICER)
    in_comm2 = factories.staff(world["comm2"], Role.APPROVER)

    with django_assert_max_num_queries(12):
        page = client.get(url("orgs_staff"), {"unit": world["sub1"].pk}).content.decode()
    table = page[page.index('id="staff-list"') :]
    for person in [*in_comm1, grid_officer]:
        assert person.username in table
    assert in_comm2.username not in table and "admin.top" not in table
    assert f"{world['grid1'].name} · 网格员" in table

    page = client.get(url("orgs_staff"), {"unit": world["sub1"].pk, "role": Role.GRID_OFFICER})
    table = page.content.decode()[page.content.decode().index('id="staff-list"') :]
    assert grid_officer.username in table
    assert all(p.username not in table for p in in_comm1)


def test_staff_list_costs_the_same_queries_for_more_people(
    client, world, django_assert_num_queries
):
    admin = factories.staff(world["district"], Role.SYSTEM_ADMIN)
    client.force_login(admin)
    factories.staff(world["comm1"], Role.APPROVER)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url("orgs_staff"))
    for _ in range(5):
        factories.staff(world["comm2"], Role.GRID_OFFICER)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url("orgs_staff"))
