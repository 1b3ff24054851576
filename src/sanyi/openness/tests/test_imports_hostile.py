"""Hostile directory workbooks and JSON Lines files: refused with the row (or line) and
column (or field) named, and nothing written; the directory export never hands Excel a
formula."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from sanyi.core.imports import JSONL_MAX_LINE_BYTES
from sanyi.core.tests.xlsx_files import bomb, peak_memory, sheet_of_rows
from sanyi.openness import excel, importing
from sanyi.openness.models import Publication
from sanyi.openness.tests import factories as f
from sanyi.openness.tests.test_command_import import _line
from sanyi.openness.tests.test_excel_directory import _col, _edit, _state
from sanyi.openness.tests.test_staff_pages import _upload, login, text, url
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db
HYPERLINK = '=HYPERLINK("http://evil.example/","点击查看")'


def _import_directory(org_tree, path):
    call_command("openness", "import-directory", str(path), "--unit", org_tree["district"].code)


# --- the directory workbook ------------------------------------------------------------------


def test_command_refuses_a_bomb_before_reading_it(org_tree, tmp_path):
    f.entry(org_tree["district"])
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb(sheet=excel.SHEET))
    before = _state()
    with peak_memory() as peak, pytest.raises(CommandError) as exc:
        _import_directory(org_tree, path)
    assert "解压后超过100MB" in str(exc.value)
    assert peak() < 10 * 1024 * 1024
    assert _state() == before


def test_command_names_a_formula_cell_and_writes_nothing(org_tree, tmp_path):
    f.entry(org_tree["district"], l1="最低生活保障", l2="低保政策")
    path = tmp_path / "d.xlsx"
    path.write_bytes(
        _edit(
            excel.export_directory(org_tree["district"]),
            {(3, _col("basis")): '=CONCAT("《条例》")'},
        )
    )
    before = _state()
    with pytest.raises(CommandError) as exc:
        _import_directory(org_tree, path)
    assert "第3行「公开依据」：此单元格是公式，请粘贴为数值" in str(exc.value)
    assert "不能为空" not in str(exc.value)
    assert _state() == before


def test_a_huge_cell_is_refused_without_being_echoed(org_tree):
    f.entry(org_tree["district"])
    wb = load_workbook(io.BytesIO(excel.export_directory(org_tree["district"])))
    rows = [[("" if v is None else str(v)) for v in r] for r in wb[excel.SHEET].values]
    rows[2][_col("basis") - 1] = "依" * 100_000
    with pytest.raises(excel.DirectoryImportRejected) as exc:
        excel.read_directory(sheet_of_rows(excel.SHEET, rows), unit=org_tree["district"])
    assert [(e.row, e.column) for e in exc.value.errors] == [(3, "公开依据")]
    assert str(exc.value.errors[0]).startswith("第3行「公开依据」：内容有100000个字")
    assert "依依依依" not in str(exc.value)


def test_export_writes_formula_like_text_as_text_and_reimports_it(org_tree, tmp_path):
    f.entry(org_tree["district"], basis=HYPERLINK)
    path = tmp_path / "d.xlsx"
    call_command(
        "openness", "export-directory", "--unit", org_tree["district"].code, "--output", path
    )
    cell = load_workbook(path)[excel.SHEET].cell(row=3, column=_col("basis"))
    assert (cell.value, cell.data_type) == (HYPERLINK, "s")

    before = _state()
    _import_directory(org_tree, path)
    assert _state() == before


def _officer_client(client, org_tree):
    return login(client, org_f.staff(org_tree["district"], Role.DISCLOSURE_OFFICER))


def test_import_page_refuses_a_bomb_and_stages_nothing(client, org_tree):
    _officer_client(client, org_tree)
    before = _state()
    with peak_memory() as peak:
        response = client.post(
            url("directory_import"),
            {"unit": org_tree["district"].pk, "file": _upload(bomb(sheet=excel.SHEET))},
        )
    assert response.status_code == 400
    assert "解压后超过100MB" in text(response)
    assert peak() < 40 * 1024 * 1024
    assert _state() == before


def test_import_page_names_a_formula_cell(client, org_tree):
    f.entry(org_tree["district"], l1="最低生活保障", l2="低保政策")
    content = _edit(excel.export_directory(org_tree["district"]), {(3, _col("item_l2")): "=B3"})
    _officer_client(client, org_tree)
    response = client.post(
        url("directory_import"), {"unit": org_tree["district"].pk, "file": _upload(content)}
    )
    assert response.status_code == 400
    assert "第3行「二级事项」：此单元格是公式，请粘贴为数值" in text(response)


def test_export_page_writes_formula_like_text_as_text(client, org_tree):
    f.entry(org_tree["district"], basis=HYPERLINK)
    _officer_client(client, org_tree)
    response = client.get(url("directory_export"), {"unit": org_tree["district"].pk})
    ws = load_workbook(io.BytesIO(response.content))[excel.SHEET]
    cell = ws.cell(row=3, column=_col("basis"))
    assert (cell.value, cell.data_type) == (HYPERLINK, "s")


# --- JSON Lines ------------------------------------------------------------------------------


def test_an_oversized_body_is_named_by_line_and_field(org_tree, tmp_path):
    path = tmp_path / "a.jsonl"
    body = "正" * (importing.BODY_MAX_CHARS + 1)
    path.write_text(
        _line(source_url="https://example.gov.cn/1.htm")
        + "\n"
        + _line(body=body, source_url="https://example.gov.cn/2.htm")
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as exc:
        call_command("openness", "import-publications", str(path))
    assert "第2行「body」：正文超过200000个字" in str(exc.value)
    assert "正正正正" not in str(exc.value)
    assert Publication.objects.count() == 0


def test_an_oversized_line_is_refused_unread_and_the_rest_still_checked(org_tree, tmp_path):
    path = tmp_path / "a.jsonl"
    huge = json.dumps({"title": "x", "body": "y" * JSONL_MAX_LINE_BYTES})
    path.write_text(
        _line(source_url="https://example.gov.cn/1.htm") + "\n" + huge + "\n" + "{not json\n",
        encoding="utf-8",
    )
    with peak_memory() as peak, pytest.raises(CommandError) as exc:
        call_command("openness", "import-publications", str(path))
    message = str(exc.value)
    assert "第2行：这一行超过4MB" in message
    assert "第3行：不是有效的JSON" in message
    assert peak() < 3 * JSONL_MAX_LINE_BYTES
    assert Publication.objects.count() == 0


def test_other_fields_have_limits_too(org_tree):
    with pytest.raises(ValidationError) as exc:
        importing.parse_publications([_line(channel="栏" * 500)])
    assert "第1行「channel」" in str(exc.value)
