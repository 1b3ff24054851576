"""The address mapping as data: Excel import (all or nothing, row errors in Chinese, dry
run), export, and the command."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from sanyi.applicants.models import Applicant
from sanyi.applicants.tests.factories import person
from sanyi.core.imports import ImportRejected
from sanyi.grid import services
from sanyi.grid.models import AddressRule

pytestmark = pytest.mark.django_db
HEADER = list(services.COLUMNS)


def _xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_import_replaces_rules_and_places_applicants(gw):
    someone = person(address="示范区湖墅路8号")
    data = _xlsx(
        [
            ["测试第一网格", "湖墅路", "双号", 2, 50, None, None],
            ["测试第二网格", "湖墅路", "单号", 1, 49, None, None],
        ]
    )
    preview = services.rules_import(data=data, actor="系统：测试", dry_run=True)
    assert (preview.rules, preview.grids, preview.placed) == (2, 2, 1)
    assert AddressRule.objects.count() == 4  # the dry run wrote nothing
    assert Applicant.objects.get(pk=someone.pk).grid_id is None
    services.rules_import(data=data, actor="系统：测试")
    assert AddressRule.objects.count() == 2
    assert Applicant.objects.get(pk=someone.pk).grid_id == gw["grid_a"].pk


def test_row_errors_name_row_and_column_and_nothing_changes(gw):
    data = _xlsx(
        [
            ["测试第一网格", "湖墅路", "", 1, 9, None, None],
            ["不存在的网格", "湖墅路", "", 1, 9, None, None],
            ["测试第一网格", "", "隔号", "abc", 9, None, None],
            ["测试第一网格", "湖墅路", "", 9, 1, None, None],
            ["测试第一网格", "湖墅路", "", 1, 9, 3, None],
            ["测试第一网格", "湖墅路", "", 1, 9, "=1+1", None],
        ]
    )
    with pytest.raises(ImportRejected) as exc:
        services.rules_import(data=data, actor="系统：测试")
    text = [str(e) for e in exc.value.errors]
    assert "第3行「网格」：没有名为“不存在的网格”的网格" in text
    assert "第4行「道路」：不能为空" in text
    assert "第4行「单双号」：请填写“单号”“双号”或留空" in text
    assert "第4行「起始门牌号」：“abc”不是正整数" in text
    assert "第5行「截止门牌号」：不能小于起始门牌号" in text
    assert "第6行「截止幢号」：起止幢号须同时填写" in text
    assert "第7行「起始幢号」：此单元格是公式，请粘贴为数值" in text
    assert AddressRule.objects.count() == 4


def test_wrong_header_and_not_a_workbook(gw):
    with pytest.raises(ImportRejected, match="表头"):
        services.rules_import(data=_xlsx([], header=["甲", "乙"]), actor="系统：测试")
    with pytest.raises(ImportRejected):
        services.rules_import(data=b"not a workbook", actor="系统：测试")
    with pytest.raises(ImportRejected, match="超过"):
        services.rules_import(data=b"x" * (services.rules.MAX_BYTES + 1), actor="系统：测试")


def test_staff_without_admin_role_refused(gw):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.rules_import(data=_xlsx([]), actor=gw["officer_a"])


def test_export_round_trips_and_is_excel_safe(gw):
    AddressRule.objects.filter(street="学院路").update(street="=HYPERLINK(1)")
    data = services.rules_export(actor="系统：测试")
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert ws.cell(row=2, column=2).data_type == "s"
    assert any(r[1] == "=HYPERLINK(1)" for r in rows[1:])
    assert ("测试第一网格", "文一路", "单号", 1, 99, None, None) in rows
    AddressRule.objects.filter(street="=HYPERLINK(1)").update(street="学院路")
    services.rules_import(data=services.rules_export(actor="系统：测试"), actor="系统：测试")
    assert AddressRule.objects.count() == 4


def test_command(gw, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "g.xlsx"
    call_command("grid", "export", str(path))
    out = io.StringIO()
    call_command("grid", "import", str(path), "--dry-run", stdout=out)
    assert "检查通过：4条规则" in out.getvalue()
