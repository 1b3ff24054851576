"""Hostile org-tree workbooks: refused with a located message and nothing written;
exports never hand Excel a formula."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from sanyi.core.tests.xlsx_files import bomb, peak_memory, sheet_of_rows
from sanyi.orgs import excel
from sanyi.orgs.models import OrgUnit
from sanyi.orgs.tests.test_excel import HEADERS, _export, _state, world  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]
HYPERLINK = '=HYPERLINK("http://evil.example/","点击查看地址")'


def _address_column() -> int:
    return HEADERS.index("地址") + 1


def _with_formula_address(data: bytes) -> tuple[bytes, int]:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[excel.UNIT_SHEET]
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == "C1")
    ws.cell(row=row, column=_address_column(), value='=CONCAT("翠苑","路")')
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), row


def test_command_refuses_a_bomb_before_reading_it(tmp_path, capsys):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb())
    before = _state()
    with peak_memory() as peak, pytest.raises(CommandError):
        call_command("orgs", "import", str(path))
    assert "解压后超过100MB" in capsys.readouterr().err
    assert peak() < 10 * 1024 * 1024
    assert _state() == before


def test_command_refuses_a_formula_cell_and_keeps_the_address(tmp_path, capsys):
    data, row = _with_formula_address(_export())
    path = tmp_path / "tree.xlsx"
    path.write_bytes(data)
    before = _state()
    with pytest.raises(CommandError):
        call_command("orgs", "import", str(path))
    err = capsys.readouterr().err
    assert f"“组织机构”工作表第{row}行「地址」：此单元格是公式，请粘贴为数值" in err
    assert _state() == before
    assert OrgUnit.objects.get(code="C1").address == "翠苑路1号"


def test_a_huge_cell_is_refused_without_being_echoed():
    rows = [HEADERS[:4], ["G9", "C1", "网格", "网" * 100_000]]
    before = _state()
    with pytest.raises(excel.ImportRejected) as exc:
        excel.read_workbook(sheet_of_rows(excel.UNIT_SHEET, rows))
    assert [(e.row, e.column) for e in exc.value.errors] == [(2, "名称")]
    assert "网网网网" not in str(exc.value)
    assert _state() == before


def test_export_writes_a_formula_like_address_as_text_and_reimports_it(tmp_path):
    OrgUnit.objects.filter(code="C1").update(address=HYPERLINK)
    path = tmp_path / "tree.xlsx"
    call_command("orgs", "export", str(path))
    ws = load_workbook(path)[excel.UNIT_SHEET]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "C1")
    cell = row[_address_column() - 1]
    assert (cell.value, cell.data_type) == (HYPERLINK, "s")

    before = _state()
    call_command("orgs", "import", str(path))
    assert OrgUnit.objects.get(code="C1").address == HYPERLINK
    assert _state()[0] == before[0]
