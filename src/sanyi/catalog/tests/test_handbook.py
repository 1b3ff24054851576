"""The staff handbook (业务手册): stored with the version, versioned, exported and imported
with the item, kept out of public outputs, printed as the 操作指南 PDF."""

import copy
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sanyi.catalog import exchange, services
from sanyi.catalog.guide import guide_of, versions_with_children
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.test_exchange import wipe_catalogue

pytestmark = pytest.mark.django_db
ACTOR = exchange.IMPORT_ACTOR


@pytest.fixture
def units():
    return f.org()


def _guide(version):
    return guide_of(versions_with_children(ItemVersion.objects).get(pk=version.pk))


def test_a_new_draft_carries_the_handbook_and_edits_leave_the_published_version_alone(units):
    published = f.item(unit=units["dept"], status="published")
    draft = services.item_version_new_draft(
        actor=f.SYSTEM, implementation_item=published.implementation_item
    )
    assert _guide(draft)["materials"][0]["review_points"] == "核对申请人签名和日期"
    assert _guide(draft)["steps"][0]["handling_points"] == "对照审查要点逐项核对原件。"

    materials = copy.deepcopy(_guide(draft)["materials"])
    materials[0]["review_points"] = "核对签名、日期和联系电话"
    services.item_version_update(actor=f.SYSTEM, version=draft, guide={"materials": materials})

    assert _guide(draft)["materials"][0]["review_points"] == "核对签名、日期和联系电话"
    assert _guide(published)["materials"][0]["review_points"] == "核对申请人签名和日期"


def test_handbook_goes_through_the_json_and_excel_round_trip(units):
    f.item(unit=units["dept"], status="published", name="食品经营许可")
    before = exchange.catalog_export(viewer=f.SYSTEM)
    material = before["items"][0]["materials"][0]
    assert (material["review_points"], material["common_mistakes"]) == (
        "核对申请人签名和日期",
        "漏签名",
    )
    data = exchange.export_xlsx(before)
    headers = {c.value for c in load_workbook(io.BytesIO(data))["材料"][1]}
    assert {"审查要点", "常见问题"} <= headers
    wipe_catalogue()

    document, locator = exchange.read_xlsx(data)
    exchange.catalog_import(
        actor=ACTOR, document=document, locate=locator, publish_without_review=True
    )

    assert exchange.catalog_export(viewer=f.SYSTEM) == before


def _drop_columns(data: bytes, sheet: str, headers: set[str]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    for cell in reversed(list(ws[1])):
        if cell.value in headers:
            ws.delete_cols(cell.column)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_without_the_handbook_columns_still_imports(units):
    f.item(unit=units["dept"], status="published", name="食品经营许可")
    data = exchange.export_xlsx(exchange.catalog_export(viewer=f.SYSTEM))
    data = _drop_columns(data, "材料", {"审查要点", "常见问题"})
    data = _drop_columns(data, "流程", {"办理要点"})
    wipe_catalogue()

    document, locator = exchange.read_xlsx(data)
    result = exchange.catalog_import(
        actor=ACTOR, document=document, locate=locator, publish_without_review=True
    )

    assert len(result.created) == 1
    guide = exchange.catalog_export(viewer=f.SYSTEM)["items"][0]
    assert guide["materials"][0]["review_points"] == ""
    assert guide["steps"][0]["handling_points"] == ""


def test_a_json_document_without_handbook_keys_still_imports(units):
    f.item(unit=units["dept"], status="published", name="食品经营许可")
    doc = exchange.catalog_export(viewer=f.SYSTEM)
    for row in doc["items"][0]["materials"]:
        del row["review_points"], row["common_mistakes"]
    for row in doc["items"][0]["steps"]:
        del row["handling_points"]
    wipe_catalogue()

    result = exchange.catalog_import(actor=ACTOR, document=doc, publish_without_review=True)

    assert len(result.created) == 1


def test_the_public_export_and_api_leave_the_handbook_out(client, units):
    version = f.item(unit=units["dept"], status="published", name="食品经营许可")
    public = exchange.catalog_export(viewer=None)
    assert "review_points" not in public["items"][0]["materials"][0]
    assert "handling_points" not in public["items"][0]["steps"][0]

    code = version.implementation_item.implementation_code
    body = client.get(f"/api/v1/catalog/items/{code}/").content.decode()
    assert "核对申请人签名和日期" not in body
    assert "申请书" in body


def test_the_operating_guide_pdf_holds_the_review_and_handling_points(client, units):
    version = f.item(unit=units["dept"], status="published", name="食品经营许可")
    client.force_login(units["author"])

    response = client.get(reverse("workbench:catalog_version_handbook", args=[version.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "食品经营许可操作指南" in text
    assert "审查要点：核对申请人签名和日期" in text
    assert "常见问题：漏签名" in text
    assert "办理要点：对照审查要点逐项核对原件。" in text


def test_the_staff_version_page_shows_the_handbook_and_links_the_pdf(client, units):
    version = f.item(unit=units["dept"], status="published", name="食品经营许可")
    client.force_login(units["author"])

    html = client.get(reverse("workbench:catalog_version", args=[version.pk])).content.decode()

    assert "业务手册（仅工作人员可见）" in html
    assert "核对申请人签名和日期" in html
    assert reverse("workbench:catalog_version_handbook", args=[version.pk]) in html
