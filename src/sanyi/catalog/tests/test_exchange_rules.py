"""Eligibility rules in the Excel workbook: the 受理条件规则 sheet round-trips, a bad row
is reported at its sheet, row and column and nothing is imported, and a workbook without
the sheet keeps the items' rules."""

import io

import pytest
from openpyxl import load_workbook

from sanyi.catalog import exchange
from sanyi.catalog.eligibility import rules_of
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.test_exchange import snapshot_counts, wipe_catalogue

pytestmark = pytest.mark.django_db
ACTOR = exchange.IMPORT_ACTOR
RULES = [
    {
        "name": "年满60周岁",
        "logic": {">=": [{"var": "age"}, 60]},
        "reason": "须年满60周岁。",
        "tests": [
            {"facts": {"age": 60}, "expected": True},
            {"facts": {"age": 59}, "expected": False},
        ],
    },
    {
        "name": "住在本区的个人",
        "logic": {"and": [{"var": "in_district"}, {"==": [{"var": "applicant_kind"}, "person"]}]},
        "reason": "由住在本区的个人申请。",
        "tests": [
            {"facts": {"in_district": True, "applicant_kind": "person"}, "expected": True},
            {"facts": {"in_district": False, "applicant_kind": "person"}, "expected": False},
        ],
    },
]


@pytest.fixture
def card():
    units = f.org()
    return f.item(
        unit=units["dept"],
        status="published",
        name="老年人优待证办理",
        guide=f.good_guide(eligibility_rules=RULES),
    )


def _workbook(edit=None) -> bytes:
    data = exchange.export_xlsx(exchange.catalog_export(viewer=f.SYSTEM))
    wb = load_workbook(io.BytesIO(data))
    if edit is not None:
        edit(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_rules_sheet_round_trips(card):
    before = exchange.catalog_export(viewer=f.SYSTEM)
    data = _workbook()
    sheet = load_workbook(io.BytesIO(data))["受理条件规则"]
    assert [c.value for c in sheet[1]] == [
        "事项编号",
        "规则名称",
        "判断规则（JSON Logic）",
        "不符合时的说明",
        "测试用例",
    ]
    assert sheet["E2"].value == "age=60 → 符合\nage=59 → 不符合"
    wipe_catalogue()

    document, locator = exchange.read_xlsx(data)
    exchange.catalog_import(
        actor=ACTOR, document=document, locate=locator, publish_without_review=True
    )

    assert exchange.catalog_export(viewer=f.SYSTEM) == before
    version = ItemVersion.objects.get(status="published")
    assert rules_of(version) == RULES


@pytest.mark.parametrize(
    ("cell", "value", "where", "text"),
    [
        ("C3", '{"and": [', "受理条件规则 第3行 C列（判断规则（JSON Logic））", "不是有效的 JSON"),
        ("E2", "age=六十 → 符合", "受理条件规则 第2行 E列（测试用例）", "应是数字"),
        ("E2", "age=60 符合", "受理条件规则 第2行 E列（测试用例）", "第1个测试用例应写成"),
    ],
)
def test_a_bad_rule_row_is_named_and_nothing_is_imported(card, cell, value, where, text):
    data = _workbook(lambda wb: wb["受理条件规则"].__setitem__(cell, value))
    counts = snapshot_counts()

    with pytest.raises(exchange.ImportFailed) as refused:
        exchange.read_xlsx(data)

    [problem] = refused.value.problems
    assert problem.where == where
    assert text in problem.message
    assert snapshot_counts() == counts


def test_a_rule_lint_refuses_keeps_the_item_as_a_draft(card):
    # The first rule's second case now expects 符合 for age 59: L019 refuses to publish it.
    data = _workbook(
        lambda wb: wb["受理条件规则"].__setitem__("E2", "age=60 → 符合\nage=59 → 符合")
    )
    document, locator = exchange.read_xlsx(data)

    result = exchange.catalog_import(actor=ACTOR, document=document, locate=locator)

    assert result.kept_as_draft == [card.implementation_item.implementation_code]
    assert any("有质量错误" in p.message for p in result.notes)
    assert rules_of(ItemVersion.objects.get(status="published")) == RULES
    draft = ItemVersion.objects.get(status="draft")
    assert rules_of(draft)[0]["tests"][1] == {"facts": {"age": 59}, "expected": True}


def test_a_workbook_without_the_rules_sheet_keeps_the_rules(card):
    data = _workbook(lambda wb: wb.remove(wb["受理条件规则"]))

    document, locator = exchange.read_xlsx(data)
    result = exchange.catalog_import(actor=ACTOR, document=document, locate=locator)

    assert result.unchanged
    assert rules_of(ItemVersion.objects.get(status="published")) == RULES


def test_the_template_has_the_rules_sheet_and_explains_it():
    wb = load_workbook(io.BytesIO(exchange.template_xlsx()))
    assert "受理条件规则" in wb.sheetnames
    help_text = " ".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "age=59 → 不符合" in help_text
