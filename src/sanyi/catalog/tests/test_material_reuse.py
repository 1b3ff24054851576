"""How long an accepted copy of a material may be reused (信息跑路): kept per catalogue
material, exchanged in JSON and Excel (older workbooks without the columns still import),
checked, linted and shown in the guide."""

import copy
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanyi.catalog import exchange
from sanyi.catalog.guide import clean_guide
from sanyi.catalog.lint import lint_guide
from sanyi.catalog.models import Material
from sanyi.catalog.public.materials import reuse_text
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.test_exchange import wipe_catalogue
from sanyi.catalog.web.forms import MaterialRowForm
from sanyi.core.xlsx import workbook_bytes

pytestmark = pytest.mark.django_db
ACTOR = exchange.IMPORT_ACTOR


def _row(name, reuse="", days=None, source="applicant"):
    row = copy.deepcopy(f.GOOD_GUIDE["materials"][0])
    row.update(name=name, reuse=reuse, reuse_days=days, source=source)
    return row


MATERIALS = [
    _row("居民身份证", "expiry"),
    _row("户口簿", "days", 365),
    _row("近三个月银行流水", "days", 90),
    {**_row("无犯罪记录证明", "days", 180), "legal_basis": "《某某条例》第十条"},
    _row("申请书", "never"),
    _row("房屋租赁合同"),
]


@pytest.fixture
def item():
    units = f.org()
    return f.item(unit=units["dept"], status="published", guide=f.good_guide(materials=MATERIALS))


def _reuse_of(doc):
    return [(m["reuse"], m["reuse_days"]) for m in doc["items"][0]["materials"]]


def test_stored_and_exported(item):
    rows = Material.objects.filter(version=item).order_by("position")
    assert [(m.reuse, m.reuse_days) for m in rows] == [
        ("expiry", None), ("days", 365), ("days", 90), ("days", 180), ("never", None), ("", None),
    ]  # fmt: skip
    assert _reuse_of(exchange.catalog_export(viewer=f.SYSTEM))[2] == ("days", 90)


def test_excel_round_trip_keeps_the_validity(item):
    before = exchange.catalog_export(viewer=f.SYSTEM)
    data = exchange.export_xlsx(before)
    sheet = load_workbook(io.BytesIO(data))["材料"]
    assert "复用期限" in [c.value for c in sheet[1]]
    assert "证件有效期内" in [c.value for row in sheet.iter_rows() for c in row]
    wipe_catalogue()
    document, locator = exchange.read_xlsx(data)
    exchange.catalog_import(
        actor=ACTOR, document=document, locate=locator, publish_without_review=True
    )
    assert exchange.catalog_export(viewer=f.SYSTEM) == before


def test_an_older_workbook_without_the_columns_still_imports(item):
    data = exchange.export_xlsx(exchange.catalog_export(viewer=f.SYSTEM))
    wb = load_workbook(io.BytesIO(data))
    sheet = wb["材料"]
    headers = [c.value for c in sheet[1]]
    for header in ("复用天数", "复用期限"):
        sheet.delete_cols(headers.index(header) + 1)
        headers.remove(header)
    wipe_catalogue()
    document, locator = exchange.read_xlsx(workbook_bytes(wb))
    exchange.catalog_import(
        actor=ACTOR, document=document, locate=locator, publish_without_review=True
    )
    assert set(_reuse_of(exchange.catalog_export(viewer=f.SYSTEM))) == {("", None)}


def test_an_older_json_document_without_the_keys_still_imports(item):
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    for m in doc["items"][0]["materials"]:
        del m["reuse"], m["reuse_days"]
    wipe_catalogue()
    exchange.catalog_import(actor=ACTOR, document=doc, publish_without_review=True)
    assert set(_reuse_of(exchange.catalog_export(viewer=f.SYSTEM))) == {("", None)}


@pytest.mark.parametrize(
    ("reuse", "days", "message"),
    [
        ("days", None, "请填写复用天数"),
        ("never", 30, "才填写复用天数"),
        ("days", 0, "复用天数应在1到3650之间"),
        ("weekly", None, "复用期限"),
    ],
)
def test_validity_is_checked_with_the_field_named(reuse, days, message):
    guide = f.good_guide(materials=[_row("户口簿", reuse, days)])
    _, errors = clean_guide(guide)
    assert any(message in e.message and e.path.startswith("materials[0].reuse") for e in errors)


def test_lint_flags_a_recent_period_reused_too_long_and_shared_data_with_a_validity():
    def codes(rows):
        return [
            (x.path, x.code)
            for x in lint_guide(f.good_guide(materials=rows), item_type="01")
            if x.code == "L023"
        ]

    assert codes([_row("近三个月银行流水")]) == [("materials[0].reuse", "L023")]
    assert codes([_row("近三个月银行流水", "days", 180)]) == [("materials[0].reuse", "L023")]
    assert codes([_row("近3个月银行流水", "days", 90)]) == []
    assert codes([_row("营业执照", "days", 30, source="shared_data")]) == [
        ("materials[0].reuse", "L023")
    ]


def test_guide_says_how_long(settings):
    settings.SANYI_MATERIAL_REUSE_DAYS = 200
    assert reuse_text("days", 90) == "可复用：审核合格后90天内再次办事不用再交"
    assert reuse_text("", None) == "可复用：审核合格后200天内再次办事不用再交"
    assert reuse_text("never", None).startswith("可复用：否")
    assert "电子证照" in reuse_text("expiry", None)


def test_guide_page_shows_it(client, item):
    code = item.implementation_item.implementation_code
    html = client.get(reverse("catalog:guide", args=[code])).content.decode()
    assert "可复用：审核合格后90天内" in html and "可复用：否" in html


def test_staff_row_form_carries_the_validity():
    data = {k: v for k, v in _row("户口簿", "days", 365).items() if v is not None}
    form = MaterialRowForm(data=data)
    assert form.is_valid(), form.errors
    assert form.row()["reuse"] == "days" and form.row()["reuse_days"] == 365
    blank = MaterialRowForm(data={**data, "reuse": "", "reuse_days": ""})
    assert blank.is_valid() and blank.row()["reuse"] == "" and blank.row()["reuse_days"] is None
