"""``sanyi openness annual-report`` writes each format, read back with real readers."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from sanyi.annual_reports import services
from sanyi.annual_reports.tests import factories as f
from sanyi.disclosure_requests.choices import Outcome as O

D = dt.date
SECTION_TITLES = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


@pytest.fixture
def setup(org_tree):
    org_tree["district"].code = "SFQ"
    org_tree["district"].save(update_fields=["code"])
    f.info_request(
        org_tree["comm1"], column="research", received=D(2025, 4, 1), concluded=D(2025, 4, 9),
        outcome=O.WITHHOLD_PROCESS,
    )  # fmt: skip
    f.info_request(org_tree["district"], column="natural_person", received=D(2025, 12, 29))
    report = f.draft(org_tree["district"], year=2025, actor=org_tree["officer"])
    services.annual_report_update(
        actor=org_tree["officer"], report=report, other_matters="无收费。"
    )
    return org_tree


def _run(tmp_path, fmt, *extra):
    out = tmp_path / f"report.{fmt}"
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "openness", "annual-report", "--org", "SFQ", "--year", "2025", "--format", fmt,
        "--output", str(out), *extra, stdout=stdout, stderr=stderr,
    )  # fmt: skip
    return out, stderr.getvalue()


def test_json_has_every_cell_key_and_the_checks(setup, tmp_path):
    out, errors = _run(tmp_path, "json")
    data = json.loads(out.read_text("utf-8"))
    assert errors == ""
    cells = data["data"]["cells"]
    assert cells["s3.withhold_process.research"] == 1
    assert cells["s3.carried_over.natural_person"] == 1
    assert cells["s2.fees"] == "1.25"
    assert len([k for k in cells if k.startswith("s3.")]) == 25 * 7
    assert len([k for k in cells if k.startswith("s4.")]) == 15
    assert data["checks"] == {"passed": True, "failures": []}
    assert data["cell_labels"]["s3.withhold_process.research"] == (
        "三、（三）不予公开 6.属于四类过程性信息 · 科研机构"
    )
    assert data["sections"]["other_matters"] == "无收费。"
    assert data["data"]["scope"] == "subtree"


def test_standalone_counts_the_unit_alone(setup, tmp_path):
    out, _ = _run(tmp_path, "json", "--standalone")
    cells = json.loads(out.read_text("utf-8"))["data"]["cells"]
    assert cells["s3.new.research"] == 0
    assert cells["s3.new.natural_person"] == 1


def test_html_has_the_official_headers(setup, tmp_path):
    out, _ = _run(tmp_path, "html")
    html = out.read_text("utf-8")
    for title in SECTION_TITLES:
        assert title in html
    assert '<th scope="colgroup" colspan="5">法人或其他组织</th>' in html
    assert '<th scope="rowgroup" rowspan="22">三、本年度办理结果</th>' in html
    assert '<th scope="rowgroup" rowspan="8">（三）不予公开</th>' in html
    assert '<th scope="colgroup" colspan="10">行政诉讼</th>' in html
    assert 'data-cell="s3.withhold_process.research">1<' in html
    assert "<script" not in html


def test_xlsx_has_the_official_layout_with_merged_headers(setup, tmp_path):
    out, _ = _run(tmp_path, "xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "报告正文",
        "二、主动公开",
        "三、依申请公开",
        "四、复议诉讼",
        "数据检查",
    ]
    s3 = wb["三、依申请公开"]
    merged = {str(r) for r in s3.merged_cells.ranges}
    # Row 1 is the caption; the three header rows follow.
    assert "A2:C4" in merged  # the note on the balance spans three columns and rows
    assert "D2:J2" in merged  # 申请人情况
    assert "D3:D4" in merged  # 自然人
    assert "E3:I3" in merged  # 法人或其他组织
    assert "J3:J4" in merged  # 总计
    assert "A7:A28" in merged  # 三、本年度办理结果 over 22 rows
    assert s3["E3"].value == "法人或其他组织"
    assert [s3.cell(row=4, column=c).value for c in range(5, 10)] == [
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
    ]  # fmt: skip
    # Row 5 is 一、本年新收: the research column holds 1, the total 2.
    assert s3["A5"].value == "一、本年新收政府信息公开申请数量"
    assert (s3["F5"].value, s3["J5"].value) == (1, 2)
    s4 = wb["四、复议诉讼"]
    assert {"A2:E2", "F2:O2", "F3:J3", "K3:O3", "A3:A4"} <= {str(r) for r in s4.merged_cells.ranges}
    s2 = wb["二、主动公开"]
    values = [c.value for row in s2.iter_rows() for c in row]
    assert "1.25（手工填写）" in values
    assert wb["数据检查"]["A2"].value == "全部检查通过"


def test_pdf_contains_the_section_titles(setup, tmp_path):
    out, _ = _run(tmp_path, "pdf")
    reader = PdfReader(str(out))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    for title in SECTION_TITLES:
        assert title in text
    assert "申请人情况" in text


def test_a_unit_without_a_saved_report_is_computed_from_the_data(org_tree, tmp_path):
    org_tree["sub1"].code = "SUB1"
    org_tree["sub1"].save(update_fields=["code"])
    out = tmp_path / "r.json"
    stderr = io.StringIO()
    call_command(
        "openness", "annual-report", "--org", "SUB1", "--year", "2026", "--format", "json",
        "--output", str(out), stdout=io.StringIO(), stderr=stderr,
    )  # fmt: skip
    data = json.loads(out.read_text("utf-8"))
    assert data["status"] == "draft"
    assert data["data"]["complete_year"] is False
    assert "检查未通过：二、第二十条第（五）项 · 行政许可" in stderr.getvalue()


def test_unknown_unit_and_binary_format_to_screen_are_errors(setup):
    with pytest.raises(CommandError):
        call_command("openness", "annual-report", "--org", "NOPE", "--year", "2025")
    with pytest.raises(CommandError):
        call_command(
            "openness", "annual-report", "--org", "SFQ", "--year", "2025", "--format", "pdf",
            stdout=io.StringIO(),
        )  # fmt: skip


def test_xlsx_writes_formula_like_text_as_text(setup, tmp_path):
    link = '=HYPERLINK("http://evil.example/","详见")'
    services.annual_report_update(
        actor=setup["officer"],
        report=f.draft(setup["district"], year=2024, actor=setup["officer"]),
        problems=link,
    )
    out = tmp_path / "r.xlsx"
    call_command(
        "openness", "annual-report", "--org", "SFQ", "--year", "2024", "--format", "xlsx",
        "--output", str(out), stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    cells = [
        c for row in load_workbook(out)["报告正文"].iter_rows() for c in row if c.value == link
    ]
    assert [c.data_type for c in cells] == ["s"]
