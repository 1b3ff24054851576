"""Hostile catalogue workbooks: refused with a located message and nothing written;
exports never hand Excel a formula."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from sanyi.catalog import exchange
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.test_exchange import snapshot_counts
from sanyi.core.imports import ImportRejected
from sanyi.core.tests.xlsx_files import bomb, peak_memory, sheet_of_rows

pytestmark = pytest.mark.django_db
HYPERLINK = '=HYPERLINK("http://evil.example/","点击办理")'


@pytest.fixture
def units():
    units = f.org()
    f.item(unit=units["dept"], status="published", name="甲")
    return units


def test_command_refuses_a_bomb_before_reading_it(units, tmp_path, capsys):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb())
    counts = snapshot_counts()
    with peak_memory() as peak, pytest.raises(CommandError, match="数据库未作任何修改"):
        call_command("catalog", "import", str(path))
    assert "解压后超过100MB" in capsys.readouterr().err
    assert peak() < 10 * 1024 * 1024
    assert snapshot_counts() == counts


def test_command_names_a_formula_cell_and_writes_nothing(units, tmp_path, capsys):
    path = tmp_path / "c.xlsx"
    call_command("catalog", "export", str(path))
    wb = load_workbook(path)
    wb["材料"]["B2"] = '=A2&"复印件"'
    wb.save(path)
    counts = snapshot_counts()
    with pytest.raises(CommandError):
        call_command("catalog", "import", str(path))
    assert "材料 第2行 B列（材料名称）：此单元格是公式，请粘贴为数值" in capsys.readouterr().err
    assert snapshot_counts() == counts


def test_the_rejection_is_the_shared_one_with_sheet_row_and_column(units, tmp_path):
    path = tmp_path / "c.xlsx"
    call_command("catalog", "export", str(path))
    wb = load_workbook(path)
    wb["材料"]["B2"] = "=1+1"
    wb.save(path)
    with pytest.raises(ImportRejected) as exc:
        exchange.read_xlsx(path.read_bytes())
    assert [(e.sheet, e.row, e.column) for e in exc.value.errors] == [
        ("材料", 2, "B列（材料名称）")
    ]
    assert (
        str(exc.value.errors[0])
        == "“材料”工作表第2行「B列（材料名称）」：此单元格是公式，请粘贴为数值"
    )


def test_a_huge_cell_is_refused_without_being_echoed(units):
    headers = [c.header for c in exchange.ITEM_COLUMNS]
    row = ["K1", "名" * 100_000]
    data = sheet_of_rows("事项", [headers, row], other_sheets=["材料", "收费", "流程", "依据"])
    with pytest.raises(exchange.ImportFailed) as exc:
        exchange.read_xlsx(data)
    problems = [p for p in exc.value.problems if "超过单元格上限" in p.message]
    assert [p.where for p in problems] == [f"事项 第2行 B列（{headers[1]}）"]
    assert "名名名名" not in str(problems[0])


def test_export_writes_formula_like_text_as_text_and_reimports_it(units, tmp_path, capsys):
    f.item(unit=units["dept"], status="published", name=HYPERLINK)
    path = tmp_path / "c.xlsx"
    call_command("catalog", "export", str(path))
    ws = load_workbook(path)["事项"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == HYPERLINK]
    assert cells and all(c.data_type == "s" for c in cells)

    versions = ItemVersion.objects.count()
    call_command("catalog", "import", str(path))
    assert "未变化2个" in capsys.readouterr().out
    assert ItemVersion.objects.count() == versions
