"""The shared import mechanism: archive checks before parsing, formula and huge cells,
exports that never write a formula, JSON Lines read line by line, staged uploads."""

import datetime as dt
import io
import os
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from sanyi.core import xlsx
from sanyi.core.imports import (
    ImportRejected,
    RowError,
    imports_cleanup_stale,
    jsonl_lines,
    staged_upload_get,
    staged_upload_save,
)
from sanyi.core.tests.xlsx_files import bomb, peak_memory, sheet_of_rows, workbook_bytes

HYPERLINK = '=HYPERLINK("http://evil.example/","点击查看")'


def test_a_bomb_is_refused_before_parsing_with_bounded_memory():
    data = bomb(uncompressed_mb=180)
    assert len(data) < 1024 * 1024  # small on disk …
    with peak_memory() as peak, pytest.raises(ImportRejected) as exc:
        xlsx.open_workbook(data)
    assert "解压后超过100MB" in str(exc.value)
    assert peak() < 5 * 1024 * 1024  # … and never expanded


def test_the_size_limit_comes_from_the_setting(settings):
    settings.SANYI_IMPORT_MAX_UNCOMPRESSED_MB = 300
    # Under the total limit the member's compression ratio still gives it away.
    with pytest.raises(ImportRejected) as exc:
        xlsx.open_workbook(bomb(uncompressed_mb=180))
    assert "压缩比异常" in str(exc.value)


def test_a_modest_member_with_a_bomb_ratio_is_refused():
    with pytest.raises(ImportRejected) as exc:
        xlsx.open_workbook(bomb(uncompressed_mb=20))
    assert "压缩比异常" in str(exc.value)


def test_an_archive_with_too_many_members_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for i in range(xlsx.MAX_MEMBERS + 1):
            zf.writestr(f"x/{i}.xml", "<a/>")
    with pytest.raises(ImportRejected) as exc:
        xlsx.open_workbook(out.getvalue())
    assert "部件" in str(exc.value)


def test_not_a_zip_is_the_callers_unreadable_message():
    with pytest.raises(ImportRejected) as exc:
        xlsx.open_workbook(b"name,address\n", unreadable="请上传.xlsx")
    assert [e.message for e in exc.value.errors] == ["请上传.xlsx"]


def test_a_formula_cell_is_an_error_naming_sheet_row_and_column():
    def build(wb):
        ws = wb.active
        ws.title = "单位"
        ws.append(["名称", "地址"])
        ws.append(["甲", '=A2&"路"'])
        ws.append(["乙", "北京路"])

    wb = xlsx.open_workbook(workbook_bytes(build))
    errors: list[RowError] = []
    rows = list(xlsx.sheet_rows(wb["单位"], min_row=2, errors=errors, column_name=["名称", "地址"]))
    assert rows == [(3, ("乙", "北京路"))]  # the formula's row is not read
    assert [str(e) for e in errors] == ["“单位”工作表第2行「地址」：此单元格是公式，请粘贴为数值"]


def test_a_huge_cell_is_refused_and_never_echoed():
    huge = "长" * 100_000
    wb = xlsx.open_workbook(sheet_of_rows("Sheet", [["名称"], [huge]]))
    errors: list[RowError] = []
    assert list(xlsx.sheet_rows(wb.active, min_row=2, errors=errors)) == []
    assert len(errors) == 1 and "超过单元格上限" in errors[0].message
    assert "长长长" not in str(errors[0])


def test_a_long_message_is_cut():
    error = RowError(row=2, column="名称", message="“" + "x" * 10_000 + "”不是有效的选项")
    assert len(str(error)) < 400


def test_a_sheet_that_declares_huge_dimensions_is_read_only_as_wide_as_asked():
    def build(wb):
        wb.active.append(["名称"])
        wb.active.append(["甲"])
        wb.active.cell(row=3, column=16_000, value="远处")

    wb = xlsx.open_workbook(workbook_bytes(build))
    rows = list(xlsx.sheet_rows(wb.active, min_row=2, width=1, errors=[]))
    assert rows == [(2, ("甲",))]


@pytest.mark.parametrize(
    "text", [HYPERLINK, "+1+2", "-1+2", "@SUM(A1)", "\t=1+1", "\r=1+1", "=1+1"]
)
def test_export_writes_formula_like_text_as_a_text_cell(text):
    wb = Workbook()
    wb.active.append(["地址"])
    wb.active.append([text])
    data = xlsx.workbook_bytes(wb)
    cell = load_workbook(io.BytesIO(data))["Sheet"]["A2"]
    assert cell.value == text.replace("\r", "\n")  # XML reads a lone CR as LF
    assert cell.data_type == "s"
    assert cell.quotePrefix
    # and an import reads it back as the text it is, not a formula
    errors: list[RowError] = []
    rows = list(xlsx.sheet_rows(xlsx.open_workbook(data).active, min_row=2, errors=errors))
    assert rows == [(2, (text.replace("\r", "\n"),))]
    assert errors == []


def test_jsonl_lines_bounds_every_line_and_names_the_long_one():
    fh = io.BytesIO(b'{"a": 1}\n' + b"x" * 5000 + b"\n" + b'{"b": 2}\n')
    lines = list(jsonl_lines(fh, max_bytes=1000))
    assert [(line.number, line.text) for line in lines] == [
        (1, '{"a": 1}'),
        (2, ""),
        (3, '{"b": 2}'),
    ]
    assert lines[1].error is not None and lines[1].error.row == 2


pytestmark = pytest.mark.django_db


class _Viewer:
    def __init__(self, pk):
        self.pk = pk


def test_staged_upload_is_seen_only_by_its_owner():
    staged = staged_upload_save(
        kind="test-kind", owner_id=7, file_name="a.xlsx", content=b"data", meta={"unit": 1}
    )
    assert staged_upload_get(kind="test-kind", token=staged.token, viewer=_Viewer(8)) is None
    mine = staged_upload_get(kind="test-kind", token=staged.token, viewer=_Viewer(7))
    assert mine.read() == b"data" and mine.meta == {"unit": 1}
    assert staged_upload_get(kind="test-kind", token="../../etc", viewer=_Viewer(7)) is None


def _age(staged, hours):
    old = (timezone.now() - dt.timedelta(hours=hours)).timestamp()
    for name in default_storage.listdir(staged.folder)[1]:
        os.utime(default_storage.path(f"{staged.folder}/{name}"), (old, old))


def test_cleanup_drops_only_stale_staged_uploads():
    stale = staged_upload_save(kind="test-kind", owner_id=1, file_name="a.xlsx", content=b"1")
    fresh = staged_upload_save(kind="test-kind", owner_id=1, file_name="b.xlsx", content=b"2")
    _age(stale, 25)
    _age(fresh, 2)

    assert imports_cleanup_stale(older_than_hours=24) == 1

    assert not default_storage.exists(stale.source_path)
    assert default_storage.exists(fresh.source_path)


def test_cleanup_command(capsys):
    stale = staged_upload_save(kind="test-kind", owner_id=1, file_name="a.json", content=b"1")
    _age(stale, 5)
    call_command("imports", "cleanup", "--older-than-hours", "4")
    assert "已清理1个" in capsys.readouterr().out
    assert not default_storage.exists(stale.source_path)
