"""Excel import/export of the org tree: real xlsx files written and read back."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from sanyi.audit.models import AuditEvent
from sanyi.orgs import excel, services
from sanyi.orgs.models import OrgKind, OrgUnit, ServiceCenter, Window
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db
ACTOR = "测试"
HEADERS = [label for _, label in excel.UNIT_COLUMNS]


@pytest.fixture
def world():
    d = factories.district(name="示范区", division_code="990101000000", code="D")
    s = factories.unit(
        d,
        OrgKind.SUBDISTRICT,
        name="城关街道",
        code="S1",
        division_code="990101001000",
        phone="0591-1",
    )
    town = factories.unit(
        d,
        OrgKind.SUBDISTRICT,
        name="北岭镇",
        code="S2",
        is_rural=True,
        division_code="990101101000",
        established_on=dt.date(2001, 3, 1),
    )
    c = factories.unit(
        s,
        OrgKind.COMMUNITY,
        name="翠苑社区",
        code="C1",
        division_code="990101001001",
        address="翠苑路1号",
    )
    factories.unit(
        town,
        OrgKind.COMMUNITY,
        name="北岭村",
        code="C2",
        is_rural=True,
        division_code="990101101201",
    )
    factories.unit(c, OrgKind.GRID, name="翠苑第一网格", code="G1", sort_order=1)
    gone = factories.unit(c, OrgKind.GRID, name="翠苑第二网格", code="G2", notes="已并入第一网格")
    factories.abolished(gone, on=dt.date(2026, 2, 2))
    factories.unit(d, OrgKind.DEPARTMENT, name="区民政局", code="B1", uscc=factories.unique_uscc())
    center = factories.center(s, windows=2, name="城关街道便民服务中心", transport="1路公交")
    services.window_update(
        actor=ACTOR, window=center.windows.get(number="2"), is_active=False, is_comprehensive=False
    )
    return d


def _export() -> bytes:
    return excel.export_units(OrgUnit.objects.all())


def _values(data: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


def _workbook(unit_rows, center_rows=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = excel.UNIT_SHEET
    ws.append(HEADERS[:-1])
    for row in unit_rows:
        ws.append(row)
    if center_rows is not None:
        cs = wb.create_sheet(excel.CENTER_SHEET)
        cs.append([label for _, label in excel.CENTER_COLUMNS])
        for row in center_rows:
            cs.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(code, parent, kind, name, division="", uscc="", status="有效", abolished=None):
    return [
        code,
        parent,
        kind,
        name,
        "",
        division,
        uscc,
        "",
        "",
        "",
        "",
        0,
        status,
        None,
        abolished,
        "",
    ]


def _state():
    return (
        list(OrgUnit.objects.order_by("pk").values()),
        list(ServiceCenter.objects.order_by("pk").values()),
        list(Window.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def _wipe():
    Window.objects.all().delete()
    ServiceCenter.objects.all().delete()
    for depth in sorted(set(OrgUnit.objects.values_list("depth", flat=True)), reverse=True):
        OrgUnit.objects.filter(depth=depth).delete()


def test_export_layout(world):
    sheets = _values(_export())
    assert list(sheets) == [excel.UNIT_SHEET, excel.CENTER_SHEET]
    header, first, *rest = sheets[excel.UNIT_SHEET]
    assert list(header) == HEADERS
    assert first[:4] == ("D", None, "区", "示范区")
    village = next(r for r in rest if r[0] == "C2")
    assert village[1:4] == ("S2", "村", "北岭村")
    assert village[-1] == "示范区/北岭镇/北岭村"
    gone = next(r for r in rest if r[0] == "G2")
    assert gone[12:15] == ("已撤销", None, dt.datetime(2026, 2, 2))
    centers = sheets[excel.CENTER_SHEET]
    assert centers[1][:3] == ("服务中心", "S1", "城关街道便民服务中心")
    assert centers[3][7:] == ("2", "综合窗口2", "否", "停用")


def test_reimporting_an_export_changes_nothing(world):
    data = _export()
    before = _state()

    summary = services.org_tree_import(actor=ACTOR, file=data)

    assert summary.units_created == summary.units_updated == 0
    assert summary.units_unchanged == OrgUnit.objects.count()
    assert _state() == before


def test_round_trip_into_an_empty_system_rebuilds_the_same_tree(world):
    data = _export()
    _wipe()

    summary = services.org_tree_import(actor=ACTOR, file=data)

    assert summary.units_created == 8
    assert (summary.centers_created, summary.windows_created) == (1, 2)
    assert _values(_export()) == _values(data)
    assert OrgUnit.objects.get(code="G2").abolished_on == dt.date(2026, 2, 2)


def test_import_updates_by_key_and_creates_new_units(world):
    data = _workbook(
        [
            _row("C1", "S1", "社区", "翠苑社区（新名）", "990101001001"),
            _row("C9", "S1", "社区", "新建社区", "990101001009"),
            _row("G9", "C9", "网格", "新建网格"),
        ]
    )

    summary = services.org_tree_import(actor=ACTOR, file=data)

    assert (summary.units_created, summary.units_updated) == (2, 1)
    assert OrgUnit.objects.get(code="C1").name == "翠苑社区（新名）"
    grid = OrgUnit.objects.get(code="G9")
    assert grid.parent.code == "C9" and grid.depth == 3


def test_import_moves_a_unit_to_another_parent(world):
    services.org_tree_import(
        actor=ACTOR, file=_workbook([_row("G1", "C2", "网格", "翠苑第一网格")])
    )
    grid = OrgUnit.objects.get(code="G1")
    assert grid.path.startswith(OrgUnit.objects.get(code="C2").path)


def test_import_abolishes_bottom_up(world):
    data = _workbook(
        [
            _row(
                "C2", "S2", "村", "北岭村", "990101101201", status="已撤销", abolished="2026-06-01"
            ),
            _row(
                "S2", "D", "乡镇", "北岭镇", "990101101000", status="已撤销", abolished="2026-06-01"
            ),
        ]
    )
    summary = services.org_tree_import(actor=ACTOR, file=data)
    assert summary.units_updated == 2
    assert not OrgUnit.objects.get(code="S2").is_active


def test_bad_rows_are_all_reported_and_nothing_is_written(world):
    good = factories.unique_uscc()
    bad_uscc = good[:-1] + ("0" if good[-1] != "0" else "1")
    data = _workbook(
        [
            _row("C5", "S1", "社区", "代码不对社区", "99010100100"),  # row 2: 11 digits
            _row("B5", "D", "部门", "校验位不对局", uscc=bad_uscc),  # row 3
            _row("C6", "S404", "社区", "无主社区", "990101001006"),  # row 4
            _row("G5", "S1", "网格", "街道下的网格"),  # row 5
            _row("C7", "S1", "社区", "重复甲", "990101001007"),  # row 6
            _row("C7", "S1", "社区", "重复乙", "990101001008"),  # row 7
            _row("C8", "S1", "社区", "区划重复", "990101001001"),  # row 8: C1 holds it
            _row("C9", "S1", "社区", "新社区", "990101001009"),  # row 9: fine on its own
        ]
    )
    before = _state()

    with pytest.raises(excel.ImportRejected) as exc:
        services.org_tree_import(actor=ACTOR, file=data)

    found = {(e.row, e.column) for e in exc.value.errors}
    assert (2, "统计用区划代码") in found
    assert (3, "统一社会信用代码") in found
    assert (4, "上级单位编号") in found
    assert (5, "类别") in found
    assert (7, "单位编号") in found
    assert (8, "统计用区划代码") in found
    assert not any(e.row == 9 for e in exc.value.errors)
    assert "“组织机构”工作表第3行「统一社会信用代码」" in str(exc.value.errors[1])
    assert _state() == before


def test_error_found_while_writing_rolls_back_everything(world):
    # Abolishing 城关街道 is refused (its community stays active), after C9 was created.
    data = _workbook(
        [
            _row("C9", "S2", "村", "新村", "990101101009"),
            _row(
                "S1",
                "D",
                "街道",
                "城关街道",
                "990101001000",
                status="已撤销",
                abolished="2026-06-01",
            ),
        ]
    )
    before = _state()
    with pytest.raises(excel.ImportRejected) as exc:
        services.org_tree_import(actor=ACTOR, file=data)
    assert exc.value.errors[0].row == 3
    assert _state() == before


def test_cycle_is_reported(world):
    data = _workbook([_row("S1", "C1", "街道", "城关街道"), _row("C1", "S1", "社区", "翠苑社区")])
    with pytest.raises(excel.ImportRejected) as exc:
        services.org_tree_import(actor=ACTOR, file=data)
    assert exc.value.errors


def test_windows_must_follow_a_known_center(world):
    data = _workbook(
        [], [["窗口", "S1", "不存在的中心", "", "", "", "", "1", "综合窗口", "是", "在用"]]
    )
    with pytest.raises(excel.ImportRejected) as exc:
        services.org_tree_import(actor=ACTOR, file=data)
    assert exc.value.errors[0].sheet == excel.CENTER_SHEET
    assert exc.value.errors[0].row == 2


def test_missing_columns_and_non_excel_files_are_rejected(world):
    wb = Workbook()
    wb.active.title = excel.UNIT_SHEET
    wb.active.append(["单位编号", "名称", "奇怪的列"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(excel.ImportRejected) as exc:
        excel.read_workbook(out.getvalue())
    messages = {(e.column, e.message) for e in exc.value.errors}
    assert ("上级单位编号", "缺少此列") in messages
    assert ("奇怪的列", "无法识别的列名") in messages

    with pytest.raises(excel.ImportRejected):
        excel.read_workbook(b"not a spreadsheet")


def test_dry_run_writes_nothing(world):
    before = _state()
    summary = services.org_tree_import(
        actor=ACTOR,
        file=_workbook([_row("C9", "S1", "社区", "新社区", "990101001009")]),
        dry_run=True,
    )
    assert summary.units_created == 1 and summary.dry_run
    assert _state() == before


def test_command_export_import_and_failure(world, tmp_path, capsys):
    path = tmp_path / "tree.xlsx"
    call_command("orgs", "export", str(path))
    call_command("orgs", "import", str(path), "--dry-run")
    assert "试导入" in capsys.readouterr().out

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_workbook([_row("C6", "S404", "社区", "无主社区")]))
    with pytest.raises(CommandError):
        call_command("orgs", "import", str(bad))
    assert "第2行" in capsys.readouterr().err


def test_import_limited_to_allowed_paths(world):
    s1 = OrgUnit.objects.get(code="S1")
    data = _workbook(
        [
            _row("G7", "C1", "网格", "范围内网格"),
            _row("C2", "S2", "村", "北岭村（改名）", "990101101201"),
            _row("X1", "", "区", "另一个区", "990202000000"),
        ]
    )
    with pytest.raises(excel.ImportRejected) as exc:
        services.org_tree_import(actor=ACTOR, file=data, allowed_paths=[s1.path])
    assert {(e.row, e.message) for e in exc.value.errors} == {
        (3, "不在您的管理范围内"),
        (4, "不在您的管理范围内"),
    }
